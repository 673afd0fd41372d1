"""The committed Lambda zip is a fresh, deterministic build of lambda_src."""

from __future__ import annotations

import io
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tooling import lambda_zip as package


def test_committed_zip_matches_a_fresh_build() -> None:
    assert package.ZIP_PATH.read_bytes() == package.build(), "dist/functions.zip is stale: run `make package`"


def test_check_mode_fails_on_a_stale_zip_until_it_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "dist" / "trigger_crawler.zip"
    monkeypatch.setattr(package, "ZIP_PATH", stale)

    assert package.main(["--check"]) == 1  # missing
    stale.parent.mkdir()
    stale.write_bytes(b"stale")
    assert package.main(["--check"]) == 1
    assert package.main([]) == 0
    assert package.main(["--check"]) == 0


def test_check_command_passes_on_the_committed_zip() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tooling.lambda_zip", "--check"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr


def test_handler_module_sits_at_the_zip_root_with_fixed_metadata() -> None:
    with zipfile.ZipFile(io.BytesIO(package.build())) as archive:
        entries = archive.infolist()

    names = [e.filename for e in entries]
    assert "trigger_crawler.py" in names  # Terraform's handler is trigger_crawler.handler
    assert names == sorted(names)
    assert all("/" not in n and not n.endswith(".pyc") for n in names)
    for entry in entries:
        assert entry.date_time == (1980, 1, 1, 0, 0, 0)
        assert entry.compress_type == zipfile.ZIP_DEFLATED
        assert stat.S_IFMT(entry.external_attr >> 16) == stat.S_IFREG
        assert stat.S_IMODE(entry.external_attr >> 16) == 0o644


def test_build_ignores_bytecode_caches(tmp_path: Path) -> None:
    (tmp_path / "b.py").write_text("B = 2\n")
    (tmp_path / "a.py").write_text("A = 1\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")

    with zipfile.ZipFile(io.BytesIO(package.build(tmp_path))) as archive:
        assert archive.namelist() == ["a.py", "b.py"]
