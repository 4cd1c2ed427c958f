"""`loket`: the officer's desktop application (entry point)."""

from __future__ import annotations

import argparse
import sys

from app.version import version


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface; parsed before Qt is imported so that --help is instant."""
    parser = argparse.ArgumentParser(
        prog="loket",
        description="Loket: pelayanan administrasi kependudukan di desa/kelurahan dan kecamatan.",
    )
    parser.add_argument("--version", action="version", version=f"loket {version()}")
    parser.add_argument("--smoke", action="store_true", help="start, show the main window, and quit with 0")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Start the application."""
    args = build_parser().parse_args(argv)
    from PySide6.QtCore import QTimer  # noqa: PLC0415 - Qt only after argument parsing
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from ui.catalog_window import CatalogWindow  # noqa: PLC0415

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Loket")
    app.setOrganizationName("Loket")
    window = CatalogWindow()
    window.show()
    if args.smoke:
        window.loaded.connect(lambda: QTimer.singleShot(0, app.quit))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
