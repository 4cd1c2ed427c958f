"""An application's print-outs (the receipt, the filled official forms) made as PDF files in the print-outs folder."""

from __future__ import annotations

from pathlib import Path

from app.catalog import Catalog
from app.paths import DataPaths
from app.reference import library_at
from app.settings import Settings
from app.store.models import Officer
from app.views.editing import application


def make_receipt(paths: DataPaths, settings: Settings, catalog: Catalog, client_id: str) -> Path:
    """Render the receipt of a submitted application; return the PDF's path."""
    from app.printing.receipt import outpost_from_settings, receipt_data_for, render_receipt  # noqa: PLC0415

    found = application(client_id)
    own = library_at(paths.reference).get(found.catalog_version).catalog  # the version it was filled in
    try:
        service = own.service(found.service_code)
    except KeyError:  # that version is no longer on this device and the newest lacks the service
        service = catalog.service(found.service_code)
    officer: Officer = found.created_by
    data = receipt_data_for(found, service, outpost_from_settings(settings), officer_name=officer.full_name)
    target = paths.printouts / f"tanda-terima-{data.registration_number}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render_receipt(data))
    return target


def make_forms(paths: DataPaths, settings: Settings, client_id: str) -> list[Path]:
    """Render the filled official forms of an application for wet signatures; return the PDFs."""
    from app.printing.forms import render_form  # noqa: PLC0415
    from app.store.applications import answers_of, schema_versions_of  # noqa: PLC0415

    found = application(client_id)
    registry = library_at(paths.reference).get(found.catalog_version).forms  # the version it was filled in
    versions = schema_versions_of(found)
    out = []
    for form, answers in answers_of(found).items():
        key = versions.get(form, form)
        schema = registry.get(key if key in registry else form)
        target = paths.printouts / f"{form}-{client_id[:8].upper()}-rev{found.revision}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(
            render_form(
                schema, answers, settings.text("print.template") or "pmdn109", place=settings.text("outpost.name")
            )
        )
        out.append(target)
    return out
