"""`python -m tooling.emulator -H 127.0.0.1 -p 5000`: moto's server with every gap fill installed."""

from __future__ import annotations

import sys

from tooling import emulator


def main(argv: list[str]) -> None:
    emulator.install()
    from moto.server import main as moto_main

    moto_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
