"""Supervisor and admin pages: conflicts, outposts and devices (with the enrolment slip), staff, the audit."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import peewee
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from sync.protocol import ApplicationPackage
from sync.server import audit, auth, conflicts, orders
from sync.server import staff as accounts
from sync.server.backoffice import formview, queues
from sync.server.backoffice.context import Viewer, today
from sync.server.backoffice.web import PREFIX, BackOffice, PageError
from sync.server.db import in_transaction
from sync.server.errors import ServerError
from sync.server.keys import read_package
from sync.server.models import Application, AuditLog, Device, Outpost, Staff, Submission
from sync.server.models import Conflict as ParkedConflict
from sync.server.roles import ROLES

ENV_PUBLIC_URL = "LOKET_SERVER_PUBLIC_URL"


def _pairs(query: peewee.ModelSelect[Any]) -> dict[int, Any]:
    return {int(key): value for key, value in query.tuples()}


def _need(viewer: Viewer, permission: str) -> None:
    if not viewer.may(permission):
        raise PageError(
            403,
            "Tidak diizinkan",
            "Halaman ini hanya untuk peran tertentu. Minta administrator Dinas menambahkan peran yang diperlukan.",
        )


def _qr_svg(text: str, size: int = 180) -> str:
    """A QR code as inline SVG with presentation attributes only (the pages' CSP forbids inline styles)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget  # type: ignore[import-untyped]  # noqa: PLC0415

    widget = QrCodeWidget(text)
    widget.draw()  # computes the matrix
    matrix = widget.qr
    count = int(matrix.getModuleCount())
    quiet = 4
    cells = "".join(
        f'<rect x="{col + quiet}" y="{row + quiet}" width="1" height="1"/>'
        for row in range(count)
        for col in range(count)
        if matrix.isDark(row, col)
    )
    side = count + 2 * quiet
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {side} {side}" '
        f'shape-rendering="crispEdges" role="img"><title>Kode QR pendaftaran</title>'
        f'<rect width="{side}" height="{side}" fill="#fff"/><g fill="#000">{cells}</g></svg>'
    )


def install(app: FastAPI, office: BackOffice) -> None:
    """Register the supervisor and admin pages."""

    # -- conflicts ----------------------------------------------------------------------------------
    @app.get(f"{PREFIX}/konflik", include_in_schema=False)
    def conflict_list(request: Request, semua: str = "") -> Response:
        viewer = office.viewer(request)
        _need(viewer, "conflicts")
        query = ParkedConflict.select(ParkedConflict, Outpost).join(Outpost).order_by(ParkedConflict.id.desc())
        if not semua:
            query = query.where(ParkedConflict.resolved_at.is_null())
        if viewer.scope:
            query = query.where(Outpost.kecamatan.in_(viewer.scope))
        rows = list(query.limit(200))
        return office.page(request, "conflicts.html", {"rows": rows, "all": bool(semua)}, viewer=viewer)

    @app.get(f"{PREFIX}/konflik/{{conflict_id}}", include_in_schema=False)
    def conflict_page(request: Request, conflict_id: int) -> Response:
        viewer = office.viewer(request)
        _need(viewer, "conflicts")
        return _conflict_response(office, request, viewer, conflict_id)

    @app.post(f"{PREFIX}/konflik/{{conflict_id}}", include_in_schema=False)
    async def conflict_decide(request: Request, conflict_id: int) -> Response:
        viewer, form = await office.posted(request)
        _need(viewer, "conflicts")
        decision = str(form.get("keputusan", ""))
        note = str(form.get("catatan", ""))[:500]
        try:
            outcome = await run_in_threadpool(
                conflicts.resolve, conflict_id, decision, viewer.actor, office.reference, today(), note
            )
        except ServerError as exc:
            return _conflict_response(office, request, viewer, conflict_id, error=exc.message, note=note, status=409)
        return _conflict_response(office, request, viewer, conflict_id, done=outcome)

    # -- outposts and devices ----------------------------------------------------------------------
    @app.get(f"{PREFIX}/pos", include_in_schema=False)
    def outposts(request: Request) -> Response:
        viewer = office.viewer(request)
        _need(viewer, "outposts")
        return _outposts_response(office, request, viewer)

    @app.post(f"{PREFIX}/pos", include_in_schema=False)
    async def outpost_add(request: Request) -> Response:
        viewer, form = await office.posted(request)
        _need(viewer, "admin")
        code, name = str(form.get("kode", "")).strip(), str(form.get("nama", "")).strip()
        errors: dict[str, str] = {}
        if not code:
            errors["kode"] = "Kode wilayah wajib diisi, mis. 35.21.01.2001."
        if not name:
            errors["nama"] = "Nama pos pelayanan wajib diisi, mis. Desa Sukamaju."
        if not errors:
            try:
                outpost = auth.add_outpost(code, name)
                enrol = auth.new_enrolment_code(outpost)
            except ServerError as exc:
                errors["kode" if "kode" in exc.message.lower() else "nama"] = exc.message
            else:
                return _slip(office, request, viewer, outpost, enrol)
        return _outposts_response(office, request, viewer, errors=errors, kept={"kode": code, "nama": name}, status=422)

    @app.post(f"{PREFIX}/pos/{{code}}/kode", include_in_schema=False)
    async def outpost_code(request: Request, code: str) -> Response:
        viewer, _form = await office.posted(request)
        _need(viewer, "admin")
        outpost = Outpost.get_or_none(Outpost.code == code)
        if outpost is None:
            raise PageError(404, "Pos pelayanan tidak ada", f"Tidak ada pos pelayanan dengan kode {code}.")
        return _slip(office, request, viewer, outpost, auth.new_enrolment_code(outpost))

    @app.post(f"{PREFIX}/pos/{{code}}/status", include_in_schema=False)
    async def outpost_active(request: Request, code: str) -> Response:
        viewer, form = await office.posted(request)
        _need(viewer, "admin")
        active = str(form.get("aktif", "")) == "1"

        def run() -> int:
            changed = Outpost.update(active=active).where(Outpost.code == code).execute()
            if changed:
                audit.record(viewer.actor, "outpost.activate" if active else "outpost.deactivate", code)
            return int(changed)

        if not in_transaction(run):
            raise PageError(404, "Pos pelayanan tidak ada", f"Tidak ada pos pelayanan dengan kode {code}.")
        return RedirectResponse(f"{PREFIX}/pos", status_code=303)

    @app.post(f"{PREFIX}/perangkat/{{device_id}}/cabut", include_in_schema=False)
    async def device_revoke(request: Request, device_id: str) -> Response:
        viewer, _form = await office.posted(request)
        _need(viewer, "admin")
        try:
            auth.revoke_device(device_id[:36], actor=viewer.actor)
        except ServerError as exc:
            raise PageError(exc.status, "Perangkat tidak dapat dicabut", exc.message) from None
        return RedirectResponse(f"{PREFIX}/pos", status_code=303)

    @app.post(f"{PREFIX}/perangkat/{{device_id}}/hapus", include_in_schema=False)
    async def device_wipe(request: Request, device_id: str) -> Response:
        viewer, _form = await office.posted(request)
        _need(viewer, "admin")
        try:
            await run_in_threadpool(orders.order_wipe, device_id[:36], viewer.actor)
        except ServerError as exc:
            raise PageError(exc.status, "Perintah hapus tidak dapat dibuat", exc.message) from None
        return RedirectResponse(f"{PREFIX}/pos", status_code=303)

    # -- staff -------------------------------------------------------------------------------------
    @app.get(f"{PREFIX}/staf", include_in_schema=False)
    def staff_list(request: Request) -> Response:
        viewer = office.viewer(request)
        _need(viewer, "admin")
        return _staff_response(office, request, viewer)

    @app.post(f"{PREFIX}/staf", include_in_schema=False)
    async def staff_add(request: Request) -> Response:
        viewer, form = await office.posted(request)
        _need(viewer, "admin")
        username = str(form.get("username", "")).strip().lower()
        full_name = str(form.get("nama", "")).strip()
        roles = [str(r) for r in form.getlist("peran")]
        kecamatan = str(form.get("kecamatan", "")).strip()
        kept = {"username": username, "nama": full_name, "peran": roles, "kecamatan": kecamatan}
        errors: dict[str, str] = {}
        if not roles:
            errors["peran"] = "Pilih paling sedikit satu peran."
        if not errors:
            try:
                created = await run_in_threadpool(
                    accounts.add_staff, username, full_name, ",".join(roles), kecamatan=kecamatan, actor=viewer.actor
                )
            except ServerError as exc:
                field = (
                    "username"
                    if "pengguna" in exc.message.lower() or "sudah ada" in exc.message
                    else ("kecamatan" if "kecamatan" in exc.message.lower() else "nama")
                )
                errors[field] = exc.message
            else:
                secret = {"username": created.staff.username, "password": created.password, "token": created.token}
                return _staff_response(office, request, viewer, secret=secret)
        return _staff_response(office, request, viewer, errors=errors, kept=kept, status=422)

    @app.post(f"{PREFIX}/staf/{{username}}", include_in_schema=False)
    async def staff_change(request: Request, username: str) -> Response:
        viewer, form = await office.posted(request)
        _need(viewer, "admin")
        what = str(form.get("ubah", ""))
        secret: dict[str, str] | None = None
        try:
            if what == "peran":
                roles = ",".join(str(r) for r in form.getlist("peran"))
                accounts.set_roles(username, roles, actor=viewer.actor, kecamatan=str(form.get("kecamatan", "")))
            elif what in ("nonaktif", "aktif"):
                if username == viewer.staff.username and what == "nonaktif":
                    raise ServerError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
                accounts.set_active(username, what == "aktif", actor=viewer.actor)
            elif what == "sandi":
                password = await run_in_threadpool(accounts.reset_password, username, viewer.actor)
                secret = {"username": username, "password": password}
            elif what == "token":
                secret = {"username": username, "token": accounts.rotate_token(username, viewer.actor)}
            else:
                raise ServerError("Pilih perubahan yang akan dilakukan.")
        except ServerError as exc:
            return _staff_response(office, request, viewer, errors={f"staf:{username}": exc.message}, status=422)
        return _staff_response(office, request, viewer, secret=secret, done=username if secret is None else "")

    # -- audit -------------------------------------------------------------------------------------
    @app.get(f"{PREFIX}/audit", include_in_schema=False)
    def audit_page(request: Request, oleh: str = "", subjek: str = "", aksi: str = "", periksa: str = "") -> Response:
        viewer = office.viewer(request)
        _need(viewer, "admin")
        query = AuditLog.select().order_by(AuditLog.id.desc())
        if oleh.strip():
            query = query.where(AuditLog.actor.contains(oleh.strip()[:64]))
        if subjek.strip():
            query = query.where(AuditLog.subject == subjek.strip()[:64])
        if aksi.strip():
            query = query.where(AuditLog.action.startswith(aksi.strip()[:40]))
        rows = list(query.limit(200))
        report = audit.verify() if periksa else None
        return office.page(
            request,
            "audit.html",
            {"rows": rows, "report": report, "raw": {"oleh": oleh, "subjek": subjek, "aksi": aksi}},
            viewer=viewer,
        )


def _conflict_response(
    office: BackOffice,
    request: Request,
    viewer: Viewer,
    conflict_id: int,
    *,
    error: str = "",
    done: str = "",
    note: str = "",
    status: int = 200,
) -> Response:
    conflict = (
        ParkedConflict.select(ParkedConflict, Outpost).join(Outpost).where(ParkedConflict.id == conflict_id).first()
    )
    if conflict is None or (viewer.scope and conflict.outpost.kecamatan not in viewer.scope):
        raise PageError(404, "Konflik tidak ada", f"Tidak ada konflik nomor {conflict_id} di wilayah tugas Anda.")
    incoming = json.loads(read_package(conflict))
    application = Application.get_or_none(Application.client_id == conflict.client_id)
    current: dict[str, Any] = {}
    if application is not None:
        latest = (
            Submission.select(Submission.package)
            .where(Submission.application == application)
            .order_by(Submission.revision.desc())
            .first()
        )
        current = json.loads(read_package(latest)) if latest is not None else {}
    day = today()
    diff = formview.diff_packages(current, incoming, office.reference, day) if current else None
    ApplicationPackage.model_validate(incoming)  # a parked package was valid on the wire; fail loudly if not
    return office.page(
        request,
        "conflict.html",
        {
            "conflict": conflict,
            "application": application,
            "incoming": formview.render_forms(incoming, office.reference, day),
            "current": formview.render_forms(current, office.reference, day) if current else [],
            "incoming_pkg": incoming,
            "current_pkg": current,
            "diff": diff,
            "decisions": conflicts.DECISIONS,
            "resolution": json.loads(conflict.resolution) if conflict.resolution else None,
            "error": error,
            "done": done,
            "note": note,
        },
        viewer=viewer,
        status=status,
    )


def _outposts_response(
    office: BackOffice,
    request: Request,
    viewer: Viewer,
    *,
    errors: dict[str, str] | None = None,
    kept: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    day = today()
    month_start = dt.datetime.combine(day.replace(day=1), dt.time())
    query = Outpost.select().order_by(Outpost.code)
    if viewer.scope:
        query = query.where(Outpost.kecamatan.in_(viewer.scope))
    outposts = list(query)
    ids = [o.id for o in outposts]
    last_seen: dict[int, Any] = _pairs(
        Device.select(Device.outpost, peewee.fn.MAX(Device.last_seen_at))
        .where(Device.outpost.in_(ids) & ~Device.revoked)
        .group_by(Device.outpost)
    )
    in_work: dict[int, Any] = _pairs(
        Application.select(Application.outpost, peewee.fn.COUNT(Application.id))
        .where(Application.outpost.in_(ids) & Application.state.in_(queues.SLA_STATES))
        .group_by(Application.outpost)
    )
    this_month: dict[int, Any] = _pairs(
        Application.select(Application.outpost, peewee.fn.COUNT(Application.id))
        .where(Application.outpost.in_(ids) & (Application.received_at >= month_start))
        .group_by(Application.outpost)
    )
    last_batch: dict[int, Any] = _pairs(
        Submission.select(Device.outpost, peewee.fn.MAX(Submission.received_at))
        .join(Device)
        .where(Device.outpost.in_(ids))
        .group_by(Device.outpost)
    )
    waiting: dict[int, Any] = _pairs(
        Device.select(Device.outpost, peewee.fn.SUM(Device.outbox_waiting))
        .where(Device.outpost.in_(ids) & ~Device.revoked)
        .group_by(Device.outpost)
    )
    oldest: dict[int, Any] = _pairs(
        Device.select(Device.outpost, peewee.fn.MIN(Device.outbox_oldest_at))
        .where(Device.outpost.in_(ids) & ~Device.revoked & (Device.outbox_waiting > 0))
        .group_by(Device.outpost)
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    devices: dict[int, list[Device]] = {}
    for device in Device.select().where(Device.outpost.in_(ids)).order_by(Device.id):
        devices.setdefault(device.outpost_id, []).append(device)
    rows = [
        {
            "outpost": o,
            "last_seen": last_seen.get(o.id),
            "in_work": in_work.get(o.id, 0),
            "this_month": this_month.get(o.id, 0),
            "last_batch": last_batch.get(o.id),
            "waiting": int(waiting.get(o.id) or 0),
            "oldest_age": _age(now, oldest.get(o.id)),
            "devices": devices.get(o.id, []),
        }
        for o in outposts
    ]
    from sync.server import updates  # noqa: PLC0415

    versions = updates.reports(updates.served_dir())  # what each laptop reported at its last update check
    return office.page(
        request,
        "outposts.html",
        {"rows": rows, "errors": errors or {}, "kept": kept or {}, "versions": versions},
        viewer=viewer,
        status=status,
    )


def _age(now: dt.datetime, then: object) -> str:
    """How long ago, in words ("3 hari", "5 jam", "20 menit"); empty when unknown."""
    if isinstance(then, str):
        then = dt.datetime.fromisoformat(then)
    if not isinstance(then, dt.datetime):
        return ""
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60)} hari"
    if minutes >= 120:
        return f"{minutes // 60} jam"
    return f"{minutes} menit"


def _slip(office: BackOffice, request: Request, viewer: Viewer, outpost: Outpost, code: str) -> Response:
    server = os.environ.get(ENV_PUBLIC_URL) or str(request.base_url).rstrip("/")
    # The server key's pin (serve --tls-cert, or --tls-pin behind a reverse proxy): the laptop trusts only it.
    pins: tuple[str, ...] = getattr(request.app.state, "tls_pins", ())
    pin = pins[0] if pins else ""
    fields = {"server": server, "kode": code, "pos": outpost.code, **({"pin": pin} if pin else {})}
    payload = json.dumps(fields, separators=(",", ":"))
    return office.page(
        request,
        "slip.html",
        {
            "outpost": outpost,
            "code": code,
            "server": server,
            "pin": pin,
            "address": f"{server}#{pin}" if pin else server,
            "qr": _qr_svg(payload),
        },
        viewer=viewer,
    )


def _staff_response(
    office: BackOffice,
    request: Request,
    viewer: Viewer,
    *,
    errors: dict[str, str] | None = None,
    kept: dict[str, Any] | None = None,
    secret: dict[str, str] | None = None,
    done: str = "",
    status: int = 200,
) -> Response:
    rows = list(Staff.select().order_by(Staff.username))
    return office.page(
        request,
        "staff.html",
        {"rows": rows, "errors": errors or {}, "kept": kept or {}, "secret": secret, "done": done, "roles": ROLES},
        viewer=viewer,
        status=status,
    )
