"""`loket-server`: the Dinas intake server's command line (the server itself arrives with the sync issue)."""

from __future__ import annotations

import argparse
import sys

from app.version import version


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="loket-server",
        description="Loket intake server for the Dinas Dukcapil: outposts sync their applications to it.",
    )
    parser.add_argument("--version", action="version", version=f"loket-server {version()}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `loket-server`: with no command, print the help and exit 2."""
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help(sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
