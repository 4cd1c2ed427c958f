"""No personal data in application logs: a full run at DEBUG level, then the log files are searched."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from app.logs import configure
from app.store import applications as apps
from app.store.backup import create_backup
from app.store.residents import ResidentRecord, add_residents, search_name
from app.store.verify import verify_store
from tests.helpers.stores import SUPERVISOR, new_store

NIK = "3521016303910002"
KK = "3521012402150007"
NAME = "Rahmawati Kusumaningrum"


def test_logs_hold_no_name_nik_or_kk(tmp_path: Path) -> None:
    base = tmp_path / "data"
    log_file = configure(tmp_path / "logs", logging.DEBUG)
    assert log_file is not None
    try:
        store = new_store(base)
        application = apps.create_draft(
            store, "KTPEL-BARU-WNI", applicant_name=NAME, applicant_nik=NIK, applicant_kk=KK
        )
        apps.save_answers(
            store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": NAME, "nik": NIK, "no_kk": KK}}
        )
        apps.attach_page(store, application, "kk", f"{NAME} {NIK}".encode(), media_type="text/plain")
        apps.submit(store, application)
        add_residents(store, [ResidentRecord(NAME, NIK, KK)])
        search_name(NAME[:6])
        create_backup(store, tmp_path / "b.loket")
        verify_store(store)
        # A careless log line with a NIK is redacted by the handler.
        logging.getLogger("loket.store").warning("lookup failed for %s", NIK)
        store.close()
        env = {**os.environ, "LOKET_PASSWORD": SUPERVISOR[2]}
        for args in (["verify"], ["outbox"], ["backup", str(tmp_path / "c.loket")]):
            subprocess.run(
                [sys.executable, "-m", "app.admin.cli", "--basedir", str(base), "--user", SUPERVISOR[0], *args],
                env=env,
                check=True,
                capture_output=True,
            )
    finally:
        configure(None)
    texts = [
        p.read_text(encoding="utf-8")
        for p in [*tmp_path.joinpath("logs").glob("*.log*"), *base.joinpath("logs").glob("*.log*")]
    ]
    combined = "\n".join(texts)
    assert "submitted" in combined and "unlocked" in combined, "the run must have logged something"
    assert "[16-digit number redacted]" in combined
    for needle in (NIK, KK, NAME, NAME.split(maxsplit=1)[0], NAME.split()[1]):
        assert needle not in combined, f"personal data {needle!r} in the logs"
