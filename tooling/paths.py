"""Where things are in the repository. The package is installed in editable mode by `make setup`,
so the repository is the folder above this package."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not (REPO / "versions.tf").is_file():  # pragma: no cover - a non-editable install
    raise ImportError(
        f"tooling must be installed in editable mode from the repository (pip install -e .); {REPO} is not it"
    )

BUILD = REPO / ".build"
EXAMPLES_DIR = REPO / "examples"
SAMPLE_DATA = EXAMPLES_DIR / "sample-data"
LAMBDA_SRC = REPO / "lambda_src"
DIST = REPO / "dist"
MODULES_DIR = REPO / "modules"


def examples() -> list[str]:
    """Every runnable example: a folder of examples/ with a main.tf."""
    return sorted(p.name for p in EXAMPLES_DIR.iterdir() if (p / "main.tf").is_file())


EXAMPLES = examples()
