"""What every back-office page shares: the template environment, the signed-in staff, times in the Dinas' zone."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.store.lifecycle import STATE_LABELS
from sync.server.backoffice.queues import queues_for
from sync.server.models import Staff
from sync.server.roles import ROLES, STEP_LABELS, may
from sync.server.staff import roles_of, scope_of

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}
ENV_ZONE = "LOKET_SERVER_ZONE"
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")  # fmt: skip


def zone() -> tuple[str, dt.timezone]:
    """The Dinas' time zone (LOKET_SERVER_ZONE: WIB, WITA or WIT; WIB by default)."""
    name = os.environ.get(ENV_ZONE, "WIB").upper()
    hours = ZONES.get(name, 7)
    return (name if name in ZONES else "WIB"), dt.timezone(dt.timedelta(hours=hours))


def local(moment: dt.datetime) -> dt.datetime:
    """A stored UTC time in the Dinas' zone."""
    return moment.replace(tzinfo=dt.UTC).astimezone(zone()[1])


def today() -> dt.date:
    """Today in the Dinas' zone (SLA dates are counted in it)."""
    return dt.datetime.now(zone()[1]).date()


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{local(moment):%d-%m-%Y %H:%M} {zone()[0]}"


def _day(value: dt.date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else ""


def _long_day(value: dt.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def environment() -> Environment:
    """The Jinja2 environment of the back office (autoescaped; assets from the server only)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["day"] = _day
    env.filters["long_day"] = _long_day
    env.filters["state_label"] = lambda state: STATE_LABELS.get(state, state)
    env.filters["step_label"] = lambda step: STEP_LABELS.get(step, step)
    env.filters["role_label"] = lambda role: ROLES.get(role, role)
    env.globals["query"] = lambda base, **params: (
        base + ("?" + urlencode({k: v for k, v in params.items() if v}) if any(params.values()) else "")
    )
    env.globals["ROLES"] = ROLES
    env.globals["menu_queues"] = lambda viewer: queues_for(viewer.roles)
    return env


@dataclass(frozen=True)
class Viewer:
    """The signed-in staff member as the pages need them."""

    staff: Staff
    csrf: str

    @property
    def roles(self) -> frozenset[str]:
        """Their roles."""
        return roles_of(self.staff)

    @property
    def scope(self) -> tuple[str, ...]:
        """Kecamatan codes they are posted to (empty: all)."""
        return scope_of(self.staff)

    @property
    def actor(self) -> str:
        """How they appear in the audit and the status feed."""
        return f"staf:{self.staff.username}"

    def may(self, permission: str) -> bool:
        """Whether their roles have a permission (view, reports, conflicts, outposts, admin)."""
        return may(self.roles, permission)
