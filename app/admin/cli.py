"""`loket-admin`: the support tool. Prints JSON for scripts; exit 0 on success, 1 on a fault, 2 on bad usage."""

from __future__ import annotations

import argparse
import json
import sys
import time

from app.version import version


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface (more commands arrive with the local store)."""
    parser = argparse.ArgumentParser(
        prog="loket-admin",
        description="Loket support tool for outpost and Dinas IT staff.",
    )
    parser.add_argument("--version", action="version", version=f"loket-admin {version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "data-check",
        help="load and validate the shipped catalogue, form schemas and region codes; print a JSON report",
    )
    return parser


def data_check() -> int:
    """Load every shipped data file; exit 1 with the file and entry named if any is invalid."""
    from app.catalog import load_catalog  # noqa: PLC0415 - imported on demand to keep --help fast
    from app.datafiles import DataFileError  # noqa: PLC0415
    from app.forms import default_registry  # noqa: PLC0415
    from app.regions import default_index  # noqa: PLC0415

    started = time.perf_counter()
    try:
        forms = default_registry()
        catalog = load_catalog()
        regions = default_index()
    except DataFileError as exc:
        print(json.dumps({"ok": False, "file": exc.file, "entry": exc.entry, "problem": exc.problem}))
        return 1
    report = {
        "ok": True,
        "catalog_version": catalog.version,
        "services": len(catalog.services),
        "forms": [schema.key for schema in forms],
        "regions": len(regions),
        "seconds": round(time.perf_counter() - started, 3),
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `loket-admin`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "data-check":
        return data_check()
    parser.print_help(sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
