"""The back office's HTTP side: sessions and CSRF, log-in, error pages, and mounting every page on the API app.

Pages are plain HTML forms (one POST per action); the same role table guards pages and API.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import peewee
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import FormData

from sync.server import staff as accounts
from sync.server.backoffice import sessions
from sync.server.backoffice.context import STATIC, Viewer, environment
from sync.server.db import in_transaction
from sync.server.errors import ServerError
from sync.server.models import Staff
from sync.server.reference import Reference
from sync.server.storage import DocumentStorage

log = logging.getLogger("loket.sync.server")
PREFIX = "/backoffice"
LOGIN_CSRF_COOKIE = "loket_masuk"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class LoginRequiredError(Exception):
    """No live session: go to the log-in page, then back to `next`."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PasswordChangeRequiredError(Exception):
    """The staff member still has a one-time password: nothing else until it is changed."""


class PageError(Exception):
    """A page that cannot be shown: status, title and message in Bahasa Indonesia."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


@dataclass
class BackOffice:
    """What the page handlers share: templates, storage, reference data, page cache."""

    storage: DocumentStorage
    reference: Reference
    cache_dir: Path

    def __post_init__(self) -> None:
        self.templates = environment()

    def page(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any],
        *,
        viewer: Viewer | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        """Render a template with the shared context (viewer, csrf, current path)."""
        body = self.templates.get_template(template).render(
            request=request, viewer=viewer, csrf=viewer.csrf if viewer else "", path=request.url.path, **context
        )
        return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)

    def viewer(self, request: Request) -> Viewer:
        """The signed-in staff member (else LoginRequiredError)."""
        session = sessions.find(request.cookies.get(sessions.COOKIE))
        if session is None:
            raise LoginRequiredError(_next_of(request))
        if session.staff.must_change_password and request.url.path != f"{PREFIX}/kata-sandi":
            raise PasswordChangeRequiredError()
        return Viewer(session.staff, session.csrf)

    async def posted(self, request: Request) -> tuple[Viewer, FormData]:
        """The signed-in staff member and the form they posted, with its CSRF token checked.

        When the session expired meanwhile, the form is kept and the staff member is sent to log in;
        they come back to the same page with the form refilled.
        """
        form = await request.form()
        cookie = request.cookies.get(sessions.COOKIE)
        session = sessions.find(cookie)
        back = str(form.get("kembali") or "") or _next_of(request)
        if session is None:
            fields = {k: [str(v) for v in form.getlist(k)] for k in form if k != "csrf"}
            raise LoginRequiredError(_safe_next(back)) from _KeptFormError(fields)
        if not sessions.csrf_ok(session, str(form.get("csrf", ""))):
            raise PageError(
                403,
                "Formulir kedaluwarsa",
                "Formulir ini berasal dari sesi lain atau halaman yang sudah lama dibuka. Muat ulang halaman, "
                "lalu ulangi.",
            )
        if session.staff.must_change_password and request.url.path != f"{PREFIX}/kata-sandi":
            raise PasswordChangeRequiredError()
        return Viewer(session.staff, session.csrf), form


class _KeptFormError(Exception):
    """Carries a form posted without a live session to the log-in page."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("kept form")
        self.fields = fields


def _next_of(request: Request) -> str:
    url = request.url.path
    if request.url.query:
        url += "?" + request.url.query
    return url


def _safe_next(value: str) -> str:
    """Only paths of the back office itself (no open redirect)."""
    parsed = urlparse(value)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith(PREFIX + "/") or "\\" in value:
        return PREFIX + "/"
    return value


def _cookie_secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def install(app: FastAPI, storage: DocumentStorage, reference: Reference, cache_dir: Path) -> BackOffice:
    """Mount the back office on the API app: pages under /backoffice/, static files, error pages."""
    office = BackOffice(storage, reference, cache_dir)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(STATIC)), name="backoffice-static")

    @app.exception_handler(LoginRequiredError)
    async def to_login(request: Request, exc: LoginRequiredError) -> Response:
        kept = exc.__cause__.fields if isinstance(exc.__cause__, _KeptFormError) else None
        if kept is not None:
            # Show the log-in page at once, carrying the form (never lost to an expired session).
            return _login_page(
                office,
                request,
                exc.next_url,
                kept=kept,
                message="Sesi Anda berakhir. Masuk lagi untuk melanjutkan; isian Anda disimpan.",
            )
        return RedirectResponse(f"{PREFIX}/masuk?next={quote(exc.next_url, safe='')}", status_code=303)

    @app.exception_handler(PasswordChangeRequiredError)
    async def to_password(_request: Request, _exc: PasswordChangeRequiredError) -> Response:
        return RedirectResponse(f"{PREFIX}/kata-sandi", status_code=303)

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        viewer = _maybe_viewer(request)
        return office.page(
            request, "error.html", {"title": exc.title, "message": exc.message, "status": exc.status},
            viewer=viewer, status=exc.status,
        )  # fmt: skip

    from sync.server.backoffice import routes_admin, routes_reports, routes_work  # noqa: PLC0415

    _install_login(app, office)
    routes_work.install(app, office)
    routes_admin.install(app, office)
    routes_reports.install(app, office)
    return office


def _maybe_viewer(request: Request) -> Viewer | None:
    try:
        session = sessions.find(request.cookies.get(sessions.COOKIE))
    except peewee.PeeweeException:
        return None
    return Viewer(session.staff, session.csrf) if session else None


def is_page(request: Request) -> bool:
    """Whether a request is for a back-office page (errors answer as HTML, not JSON)."""
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def html_error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    """A plain error page for faults raised outside the back office's own handlers (database down, 404)."""
    env = environment()
    body = env.get_template("error.html").render(
        request=request, viewer=None, csrf="", path=request.url.path, title=title, message=message, status=status
    )
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def _login_page(
    office: BackOffice,
    request: Request,
    next_url: str,
    *,
    message: str = "",
    error: str = "",
    username: str = "",
    kept: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = office.page(
        request,
        "login.html",
        {"next": _safe_next(next_url), "message": message, "error": error, "username": username,
         "login_csrf": token, "kept": kept or {}},
        status=status,
    )  # fmt: skip
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_cookie_secure(request), path=PREFIX
    )
    return response


def _install_login(app: FastAPI, office: BackOffice) -> None:
    @app.get(PREFIX, include_in_schema=False)
    def root() -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    @app.get(f"{PREFIX}/masuk", include_in_schema=False)
    def login_form(request: Request, next: str = f"{PREFIX}/") -> Response:
        if _maybe_viewer(request) is not None:
            return RedirectResponse(_safe_next(next), status_code=303)
        return _login_page(office, request, next)

    @app.post(f"{PREFIX}/masuk", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        next_url = _safe_next(str(form.get("next") or f"{PREFIX}/"))
        username = str(form.get("username", "")).strip().lower()
        password = str(form.get("password", ""))
        kept = _kept_fields(form)
        cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not cookie_token or not secrets.compare_digest(cookie_token, str(form.get("login_csrf", ""))):
            return _login_page(
                office, request, next_url, error="Halaman masuk kedaluwarsa. Coba masuk sekali lagi.",
                username=username, kept=kept, status=403,
            )  # fmt: skip
        if not username or not password:
            return _login_page(
                office, request, next_url, error="Isi nama pengguna dan kata sandi.", username=username, kept=kept,
                status=422,
            )  # fmt: skip
        outcome = await run_in_threadpool(in_transaction, lambda: _authenticate(username, password))
        if isinstance(outcome, ServerError):
            return _login_page(office, request, next_url, error=outcome.message, username=username, kept=kept,
                               status=outcome.status)  # fmt: skip
        staff = outcome
        cookie, session = in_transaction(lambda: sessions.start(staff))
        if kept:
            sessions.keep_form(session, urlparse(next_url).path, kept)
        target = f"{PREFIX}/kata-sandi" if staff.must_change_password else next_url
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            sessions.COOKIE, cookie, httponly=True, samesite="strict", secure=_cookie_secure(request), path=PREFIX
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX)
        return response

    @app.post(f"{PREFIX}/keluar", include_in_schema=False)
    async def logout(request: Request) -> Response:
        form = await request.form()
        session = sessions.find(request.cookies.get(sessions.COOKIE))
        if session is not None and sessions.csrf_ok(session, str(form.get("csrf", ""))):
            in_transaction(lambda: sessions.end(session))
        response = RedirectResponse(f"{PREFIX}/masuk", status_code=303)
        response.delete_cookie(sessions.COOKIE, path=PREFIX)
        return response

    @app.get(f"{PREFIX}/kata-sandi", include_in_schema=False)
    def password_form(request: Request) -> Response:
        viewer = office.viewer(request)
        return office.page(request, "password.html", {"errors": {}}, viewer=viewer)

    @app.post(f"{PREFIX}/kata-sandi", include_in_schema=False)
    async def change_password(request: Request) -> Response:
        viewer, form = await office.posted(request)
        current, new, again = (str(form.get(k, "")) for k in ("current", "new", "again"))
        errors: dict[str, str] = {}
        if new != again:
            errors["again"] = "Ulangi kata sandi baru persis sama."
        else:
            try:
                await run_in_threadpool(accounts.change_password, viewer.staff, current, new)
            except ServerError as exc:
                field = exc.payload.get("field", "new") if isinstance(exc.payload, dict) else "new"
                errors[str(field)] = exc.message
        if errors:
            return office.page(request, "password.html", {"errors": errors}, viewer=viewer, status=422)
        return office.page(request, "password.html", {"errors": {}, "done": True}, viewer=viewer)


def _authenticate(username: str, password: str) -> Staff | ServerError:
    """Check a log-in; a refusal is returned, not raised, so the failure it counted is committed."""
    try:
        return accounts.authenticate(username, password)
    except ServerError as exc:
        return exc


def _kept_fields(form: FormData) -> dict[str, list[str]]:
    kept: dict[str, list[str]] = {}
    for key in form:
        if key.startswith("kept::"):
            kept[key.removeprefix("kept::")] = [str(v) for v in form.getlist(key)]
    return kept


Handler = Callable[..., Awaitable[Response]]
