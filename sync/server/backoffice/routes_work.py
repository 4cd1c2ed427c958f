"""The work pages: the queues, search, one application (forms, checklist, scans, history) and its steps."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from app.store.lifecycle import DINAS_TRANSITIONS
from sync.protocol import ACTION_STATES, Reason
from sync.server import audit, settling, workflow
from sync.server.backoffice import formview, queues, sessions
from sync.server.backoffice.context import Viewer, today
from sync.server.backoffice.pages import PageRenderer
from sync.server.backoffice.sessions import take_form
from sync.server.backoffice.web import PREFIX, SECURITY_HEADERS, BackOffice, PageError
from sync.server.db import in_transaction
from sync.server.errors import ServerError
from sync.server.keys import read_package
from sync.server.models import Application, Event, Outpost, Staff, Submission
from sync.server.roles import STEP_LABELS, may_step

REASON_ROWS = 6
NOTE_LIMIT = 1000


def _not_found(key: str) -> PageError:
    return PageError(
        404,
        "Permohonan tidak ditemukan",
        f"Tidak ada permohonan dengan nomor '{key}' di wilayah tugas Anda. Periksa nomor registrasi, atau cari "
        "dengan NIK atau nama pemohon.",
    )


def _require_view(viewer: Viewer) -> None:
    if not viewer.may("view"):
        raise PageError(403, "Tidak diizinkan", "Akun Anda belum diberi peran. Hubungi administrator Dinas.")


def _load(key: str, viewer: Viewer) -> Application:
    application: Application | None = (
        Application.select(Application, Outpost)
        .join(Outpost)
        .where((Application.registration_number == key) | (Application.client_id == key.lower()))
        .first()
    )
    if application is None or (viewer.scope and application.outpost.kecamatan not in viewer.scope):
        raise _not_found(key)
    return application


def _packages(application: Application) -> tuple[dict[str, Any], dict[str, Any] | None]:
    rows = list(
        Submission.select(Submission.revision, Submission.package)
        .where(Submission.application == application)
        .order_by(Submission.revision.desc())
        .limit(2)
    )
    if not rows:
        return {}, None
    latest = json.loads(read_package(rows[0]))
    previous = json.loads(read_package(rows[1])) if len(rows) > 1 else None
    return latest, previous


def _steps(application: Application, viewer: Viewer) -> list[dict[str, Any]]:
    allowed = DINAS_TRANSITIONS.get(application.state, frozenset())
    steps = []
    for action, target in ACTION_STATES.items():
        if target in allowed:
            steps.append({"action": action, "label": STEP_LABELS[action], "allowed": may_step(viewer.roles, action)})
    return steps


def _page_shas(package: dict[str, Any]) -> dict[str, str]:
    return {
        page["sha256"]: page.get("media_type", "")
        for document in package.get("documents", [])
        for page in document.get("pages", [])
    }


def _history(application: Application) -> list[dict[str, Any]]:
    events = list(Event.select().where(Event.application == application).order_by(Event.seq))
    names = {
        s.username: s.full_name
        for s in Staff.select(Staff.username, Staff.full_name).where(
            Staff.username.in_([e.actor.removeprefix("staf:") for e in events])
        )
    }
    return [
        {
            "at": e.at,
            "state": e.state,
            "revision": e.revision,
            "actor": names.get(e.actor.removeprefix("staf:"), e.actor.removeprefix("staf:")),
            "note": e.note,
            "reasons": json.loads(e.reasons),
        }
        for e in events
    ]


def install(app: FastAPI, office: BackOffice) -> None:
    """Register the work pages."""
    renderer = PageRenderer(office.storage, office.cache_dir)

    @app.get(f"{PREFIX}/", include_in_schema=False)
    def home(request: Request) -> Response:
        viewer = office.viewer(request)
        _require_view(viewer)
        per_state, overdue = queues.counts(viewer.scope, today())
        mine = queues.queues_for(viewer.roles)
        cards = [
            {
                "queue": q,
                "count": queues.queue_count(q, per_state),
                "overdue": queues.queue_count(q, overdue) if q.states else sum(overdue.values()),
            }
            for q in mine
        ]
        from sync.server.models import Conflict  # noqa: PLC0415

        open_conflicts = (
            Conflict.select().where(Conflict.resolved_at.is_null()).count() if viewer.may("conflicts") else 0
        )
        return office.page(request, "home.html", {"cards": cards, "conflicts": open_conflicts}, viewer=viewer)

    @app.get(f"{PREFIX}/antrian/{{slug}}", include_in_schema=False)
    def queue_page(
        request: Request,
        slug: str,
        pos: str = "",
        kecamatan: str = "",
        layanan: str = "",
        dari: str = "",
        sampai: str = "",
        urut: str = "jatuh_tempo",
        hal: str = "1",
    ) -> Response:
        viewer = office.viewer(request)
        _require_view(viewer)
        q = queues.queue(slug)
        if q is None:
            raise PageError(404, "Antrian tidak ada", f"Tidak ada antrian '{slug}'. Pilih antrian dari menu.")
        errors: dict[str, str] = {}
        date_from, date_to = _date(dari, "dari", errors), _date(sampai, "sampai", errors)
        if date_from and date_to and date_from > date_to:
            errors["sampai"] = "Tanggal akhir harus sama atau sesudah tanggal awal."
        filters = queues.Filters(
            outpost=pos.strip()[:20],
            kecamatan=kecamatan.strip()[:8],
            service=layanan.strip().upper()[:40],
            date_from=date_from,
            date_to=date_to if "sampai" not in errors else None,
            sort=urut if urut in queues.SORTS else "jatuh_tempo",
            page=int(hal) if hal.isdigit() else 1,
        )
        page = queues.list_queue(q, filters, viewer.scope, today())
        outposts = _scoped_outposts(viewer)
        services = sorted((s.code, s.title) for s in office.reference.catalog.services)
        return office.page(
            request,
            "queue.html",
            {"queue": q, "page": page, "errors": errors, "outposts": outposts, "services": services,
             "sorts": queues.SORTS, "raw": {"dari": dari, "sampai": sampai}, "today": today()},
            viewer=viewer,
        )  # fmt: skip

    @app.get(f"{PREFIX}/cari", include_in_schema=False)
    def search_page(request: Request, q: str = "") -> Response:
        viewer = office.viewer(request)
        _require_view(viewer)
        kind, rows = queues.search(q[:100], viewer.scope, today()) if q.strip() else ("", [])
        if len(rows) == 1 and kind in ("nomor registrasi",):
            return RedirectResponse(f"{PREFIX}/permohonan/{rows[0].key}", status_code=303)
        return office.page(
            request, "search.html", {"q": q, "kind": kind, "rows": rows, "today": today()}, viewer=viewer
        )

    @app.get(f"{PREFIX}/permohonan/{{key}}", include_in_schema=False)
    def application_page(request: Request, key: str) -> Response:
        viewer = office.viewer(request)
        _require_view(viewer)
        application = _load(key[:40], viewer)
        session = sessions.find(request.cookies.get(sessions.COOKIE))
        kept = take_form(session, request.url.path) if session else {}
        return _application_response(office, request, viewer, application, kept=kept)

    @app.get(f"{PREFIX}/permohonan/{{key}}/halaman/{{sha256}}", include_in_schema=False)
    async def page_image(request: Request, key: str, sha256: str, ukuran: str = "full") -> Response:
        viewer = office.viewer(request)
        _require_view(viewer)
        application = _load(key[:40], viewer)
        latest, previous = _packages(application)
        media = {**_page_shas(previous or {}), **_page_shas(latest)}
        if sha256 not in media:
            raise PageError(404, "Halaman tidak ada", "Halaman dokumen ini tidak termasuk permohonan tersebut.")
        size = "thumb" if ukuran == "thumb" else "full"
        try:
            rendered = await run_in_threadpool(renderer.render, sha256, media[sha256], size)
        except ServerError as exc:
            raise PageError(exc.status, "Halaman tidak dapat ditampilkan", exc.message) from None
        if size == "full":
            subject = application.registration_number or application.client_id
            await run_in_threadpool(
                in_transaction,
                lambda: audit.record(viewer.actor, "view.page", subject, {"sha256": sha256[:16]}),
            )
        headers = dict(SECURITY_HEADERS)
        headers["Cache-Control"] = "private, max-age=3600"
        return Response(rendered.data, media_type=rendered.media_type, headers=headers)

    @app.post(f"{PREFIX}/permohonan/{{key}}/langkah", include_in_schema=False)
    async def take_step(request: Request, key: str) -> Response:
        viewer, form = await office.posted(request)
        _require_view(viewer)
        application = _load(key[:40], viewer)
        action = str(form.get("langkah", ""))
        note = str(form.get("catatan", ""))[: NOTE_LIMIT + 1]
        fields = {k: [str(v) for v in form.getlist(k)] for k in form if k != "csrf"}
        errors: dict[str, str] = {}
        reasons: list[Reason] = []
        if action not in ACTION_STATES:
            errors["langkah"] = "Pilih langkah yang akan diambil."
        if len(note) > NOTE_LIMIT:
            errors["catatan"] = f"Catatan paling panjang {NOTE_LIMIT} karakter; persingkat catatan."
        if action in ("return", "reject"):
            latest, _previous = _packages(application)
            choices = formview.reason_choices(latest, office.reference, today()) if latest else []
            allowed = {c.value for c in choices}
            reasons = _reasons(form, errors, allowed, require=True)
        if not errors:
            try:
                expected_revision = int(str(form.get("revisi", "")))
            except ValueError:
                expected_revision = None
            try:
                await run_in_threadpool(
                    workflow.act,
                    application.registration_number or application.client_id,
                    action,
                    viewer.actor,
                    reasons,
                    note,
                    staff=viewer.staff,
                    expected_state=str(form.get("status", "")) or None,
                    expected_revision=expected_revision,
                )
            except ServerError as exc:
                if exc.status == 403:
                    raise PageError(403, "Langkah tidak diizinkan", exc.message) from None
                errors["langkah"] = exc.message
        if errors:
            fresh = Application.select(Application, Outpost).join(Outpost).where(Application.id == application.id).get()
            return _application_response(
                office,
                request,
                viewer,
                fresh,
                kept=fields,
                errors=errors,
                status=409 if "sudah diproses" in errors.get("langkah", "") else 422,
            )
        label = STEP_LABELS.get(action, action)
        return (
            RedirectResponse(
                f"{PREFIX}/permohonan/{application.registration_number or application.client_id}?selesai={action}",
                status_code=303,
            )
            if label
            else RedirectResponse(f"{PREFIX}/", status_code=303)
        )


def _date(text: str, name: str, errors: dict[str, str]) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = "Tanggal tidak sah: pilih tanggal dari kalender (tttt-bb-hh)."
        return None


def _scoped_outposts(viewer: Viewer) -> list[tuple[str, str]]:
    query = Outpost.select(Outpost.code, Outpost.name).order_by(Outpost.code)
    if viewer.scope:
        query = query.where(Outpost.kecamatan.in_(viewer.scope))
    return [(o.code, o.name) for o in query]


def _reasons(form: Any, errors: dict[str, str], allowed: set[str], *, require: bool) -> list[Reason]:
    reasons: list[Reason] = []
    for index in range(1, REASON_ROWS + 1):
        target = str(form.get(f"alasan_{index}", "")).strip()
        message = str(form.get(f"pesan_{index}", "")).strip()
        if not target and not message:
            continue
        if not target or target not in allowed:
            errors[f"alasan_{index}"] = "Pilih isian atau persyaratan yang dimaksud alasan ini dari daftar."
            continue
        if not message:
            errors[f"pesan_{index}"] = "Tulis apa yang perlu diperbaiki, mis. 'KK buram, pindai ulang'."
            continue
        if len(message) > NOTE_LIMIT:
            errors[f"pesan_{index}"] = f"Alasan paling panjang {NOTE_LIMIT} karakter."
            continue
        reasons.append(Reason.model_validate({**formview.parse_choice(target), "message": message}))
    if require and not reasons and not errors:
        errors["alasan_1"] = (
            "Alasan wajib diisi untuk mengembalikan atau menolak: pilih isian atau persyaratan dan tulis apa yang "
            "perlu diperbaiki."
        )
    return reasons


def _application_response(
    office: BackOffice,
    request: Request,
    viewer: Viewer,
    application: Application,
    *,
    kept: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    latest, previous = _packages(application)
    day = today()
    forms = formview.render_forms(latest, office.reference, day) if latest else []
    requirements = formview.render_requirements(latest, office.reference) if latest else []
    choices = formview.reason_choices(latest, office.reference, day) if latest else []
    diff = formview.diff_packages(previous, latest, office.reference, day) if previous else None
    try:
        service_title = office.reference.catalog.service(application.service_code).title
    except KeyError:
        service_title = application.service_code
    subject = application.registration_number or application.client_id
    in_transaction(lambda: audit.record(viewer.actor, "view.application", subject, {"revision": application.revision}))
    key = application.registration_number or application.client_id
    pages = [
        {"sha256": p.sha256, "label": f"{r.label}, hal. {i}", "media_type": p.media_type}
        for r in requirements
        for i, p in enumerate(r.pages, start=1)
    ]
    return office.page(
        request,
        "application.html",
        {
            "application": application,
            "key": key,
            "package": latest,
            "service_title": service_title,
            "forms": forms,
            "requirements": requirements,
            "choices": choices,
            "diff": diff,
            "pages": pages,
            "history": _history(application),
            "cancellations": settling.cancellations_of(application),
            "steps": _steps(application, viewer),
            "kept": kept or {},
            "errors": errors or {},
            "reason_rows": REASON_ROWS,
            "done": request.query_params.get("selesai", ""),
            "today": day,
            "page_url": lambda sha, size="full": (
                f"{PREFIX}/permohonan/{key}/halaman/{sha}" + ("?ukuran=thumb" if size == "thumb" else "")
            ),
        },
        viewer=viewer,
        status=status,
    )
