"""The `loket-server` command's entry point: a clear message when the server's packages are missing.

The outpost app and loket-admin install without the Dinas server's stack (the `server` extra); on such a
machine `loket-server` would otherwise end in a bare ModuleNotFoundError for fastapi."""

from __future__ import annotations

import sys

# The distributions of the `server` extra, by the top-level module a missing one leaves unimportable.
SERVER_MODULES = frozenset({"fastapi", "uvicorn", "starlette", "psycopg", "jinja2", "multipart", "boto3", "botocore"})


def main() -> int:
    """Run `loket-server`, or say which package is missing and how to install the server's packages."""
    try:
        from sync.server.cli import main as server_main  # noqa: PLC0415 - the import is what may fail

        return server_main()  # commands import the web stack when they need it (serve, the back office)
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in SERVER_MODULES:
            raise
        print(
            f"loket-server: paket server '{top}' tidak terpasang. Pasang paket server Loket dengan "
            "`pip install 'loket[server]' -c constraints.txt` (lihat docs/installing.md), lalu ulangi.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
