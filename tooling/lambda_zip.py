"""Build lambda_src/*.py into dist/functions.zip (every function's code), byte for byte reproducibly.

    python -m tooling.lambda_zip          # write the zip (make package)
    python -m tooling.lambda_zip --check  # exit 1 if the committed zip is stale

Entries are sorted, sit at the zip's root, carry a fixed 1980-01-01 timestamp and mode
0644, and are deflated; no directory entries, no __pycache__.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import zipfile
from pathlib import Path

from tooling.paths import DIST, LAMBDA_SRC

SOURCE = LAMBDA_SRC
ZIP_PATH = DIST / "functions.zip"
FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
REGULAR_FILE_0644 = 0o100644


def source_files(source: Path = SOURCE) -> list[Path]:
    return sorted(
        (p for p in source.glob("*.py") if p.is_file() and "__pycache__" not in p.parts),
        key=lambda p: p.name,
    )


def build(source: Path = SOURCE) -> bytes:
    """The zip's bytes; the same sources always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in source_files(source):
            entry = zipfile.ZipInfo(path.name, date_time=FIXED_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so the mode bits below are honoured
            entry.external_attr = REGULAR_FILE_0644 << 16
            archive.writestr(entry, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the zip on disk differs from a fresh build")
    args = parser.parse_args(argv)
    fresh = build()
    relative = os.path.relpath(ZIP_PATH, Path.cwd())
    if args.check:
        if not ZIP_PATH.exists() or ZIP_PATH.read_bytes() != fresh:
            print(
                f"{relative} is stale or missing: run `make package` and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"{relative} is up to date")
        return 0
    ZIP_PATH.parent.mkdir(parents=True, exist_ok=True)
    ZIP_PATH.write_bytes(fresh)
    print(f"wrote {relative} ({len(fresh)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
