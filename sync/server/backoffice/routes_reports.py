"""Report pages: the daily register, the SLA report and the monthly counts, as pages, CSV and PDF."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from sync.server import audit
from sync.server.backoffice import reports
from sync.server.backoffice.context import Viewer, today, zone
from sync.server.backoffice.web import PREFIX, SECURITY_HEADERS, BackOffice, PageError
from sync.server.db import in_transaction
from sync.server.models import Outpost


def _need(viewer: Viewer) -> None:
    if not viewer.may("reports"):
        raise PageError(403, "Tidak diizinkan", "Laporan hanya untuk pimpinan, validator dan administrator.")


def _download(report: reports.Report, kind: str, name: str) -> Response:
    headers = dict(SECURITY_HEADERS)
    if kind == "csv":
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return Response(reports.to_csv(report), media_type="text/csv; charset=utf-8", headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    printed = dt.datetime.now(zone()[1])
    return Response(reports.to_pdf(report, printed_at=printed), media_type="application/pdf", headers=headers)


def install(app: FastAPI, office: BackOffice) -> None:
    """Register the report pages."""

    @app.get(f"{PREFIX}/laporan", include_in_schema=False)
    async def report_page(
        request: Request,
        jenis: str = "harian",
        tanggal: str = "",
        bulan: str = "",
        pos: str = "",
        kecamatan: str = "",
        format: str = "",
    ) -> Response:
        viewer = office.viewer(request)
        _need(viewer)
        errors: dict[str, str] = {}
        day = today()
        offset = int(zone()[1].utcoffset(None).total_seconds() // 3600)
        if jenis == "harian":
            chosen = day
            if tanggal:
                try:
                    chosen = dt.date.fromisoformat(tanggal)
                except ValueError:
                    errors["tanggal"] = "Tanggal tidak sah: pilih tanggal dari kalender."
            report = await run_in_threadpool(
                reports.daily_register,
                chosen,
                outpost_code=pos.strip() or None,
                kecamatan=kecamatan.strip() or None,
                scope=viewer.scope,
                catalog=office.reference.catalog,
                utc_offset_hours=offset,
            )
            name = f"buku-harian-{chosen:%Y%m%d}"
        elif jenis == "sla":
            report = await run_in_threadpool(
                reports.sla_report, day, scope=viewer.scope, catalog=office.reference.catalog, utc_offset_hours=offset
            )
            name = f"laporan-sla-{day:%Y%m%d}"
        elif jenis == "bulanan":
            year, month = day.year, day.month
            if bulan:
                try:
                    first = dt.date.fromisoformat(bulan + "-01")
                    year, month = first.year, first.month
                except ValueError:
                    errors["bulan"] = "Bulan tidak sah: pilih bulan dari kalender (tttt-bb)."
            report = await run_in_threadpool(
                reports.monthly_counts,
                year,
                month,
                scope=viewer.scope,
                catalog=office.reference.catalog,
                utc_offset_hours=offset,
            )
            name = f"rekap-bulanan-{year}{month:02d}"
        else:
            raise PageError(404, "Laporan tidak ada", f"Tidak ada laporan '{jenis}'. Pilih dari menu laporan.")
        in_transaction(lambda: audit.record(viewer.actor, "view.report", jenis, {"format": format or "html"}))
        if format in ("csv", "pdf") and not errors:
            return await run_in_threadpool(_download, report, format, name)
        outposts = [(o.code, o.name) for o in Outpost.select(Outpost.code, Outpost.name).order_by(Outpost.code)]
        chart = reports.chart_svg(report) if report.chart else None
        return office.page(
            request,
            "reports.html",
            {"report": report, "jenis": jenis, "errors": errors, "chart": chart, "outposts": outposts,
             "raw": {"tanggal": tanggal, "bulan": bulan, "pos": pos, "kecamatan": kecamatan}},
            viewer=viewer,
        )  # fmt: skip
