"""`loket`: the officer's desktop application (entry point)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time

from app.version import version


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface; parsed before Qt is imported so that --help is instant."""
    parser = argparse.ArgumentParser(
        prog="loket",
        description="Loket: pelayanan administrasi kependudukan di desa/kelurahan dan kecamatan.",
    )
    parser.add_argument("--version", action="version", version=f"loket {version()}")
    parser.add_argument("--basedir", help="data folder (default: LOKET_BASEDIR or the platform's folder)")
    parser.add_argument(
        "--smoke", action="store_true", help="start on a temporary data folder, show the main window, and quit with 0"
    )
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Start the application."""
    from app.updates.launch import hand_over  # noqa: PLC0415

    # A frozen bundle first runs the newest good version (a staged update gets its trial start).
    hand_over(version(), sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    from PySide6.QtCore import QTimer  # noqa: PLC0415 - Qt only after argument parsing
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from app.logs import configure  # noqa: PLC0415
    from app.paths import DataPaths  # noqa: PLC0415
    from app.settings import Settings  # noqa: PLC0415
    from ui import crash  # noqa: PLC0415
    from ui.controller import Controller  # noqa: PLC0415

    basedir = tempfile.mkdtemp(prefix="loket-smoke-") if args.smoke else args.basedir
    paths = DataPaths.resolve(basedir)
    paths.ensure()
    configure(paths.logs)
    crash.install(paths.logs)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Loket")
    app.setOrganizationName("Loket")
    from PySide6.QtGui import QIcon  # noqa: PLC0415

    from app.resources import resource_path  # noqa: PLC0415

    app.setWindowIcon(QIcon(str(resource_path("icons", "loket.png"))))
    controller = Controller(paths, Settings(paths.settings))
    app.aboutToQuit.connect(controller.shutdown)
    from ui import updates  # noqa: PLC0415

    # The start check of an updated version: it came up as far as the log-in (or the main) window.
    controller.login_shown.connect(lambda _dialog: updates.started())
    controller.main_shown.connect(lambda _window: updates.started())
    if args.smoke:
        from app.store import Store  # noqa: PLC0415
        from app.store.crypto import ScryptParams  # noqa: PLC0415

        # A throwaway installation (weak KDF: it lives for a second) to show the real main window.
        store = Store.initialise(paths, "smoke", "Uji Asap", "smoke-test-1", params=ScryptParams(n=2**10))
        controller.main_shown.connect(lambda _w: QTimer.singleShot(500, app.quit))
        QTimer.singleShot(0, lambda: controller.unlocked(store))
    else:
        if args.startup_probe:
            # For the benchmark: quit as soon as the log-in (or first-run) window is on screen.
            def report() -> None:
                print(f"shown {time.time():.6f}", flush=True)  # wall clock: the parent started the clock
                app.quit()

            def shown(_dialog: object) -> None:
                QTimer.singleShot(0, report)  # once the event loop has run, as for the bare window

            controller.login_shown.connect(shown)
        controller.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
