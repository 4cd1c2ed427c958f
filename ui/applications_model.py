"""The officer's lists of applications as a Qt item model (rows loaded on the database thread)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.store.lifecycle import STATE_LABELS
from app.store.models import Application
from app.store.settlement import settlements

Index = QModelIndex | QPersistentModelIndex

# The officer's lists: which states each shows.
LISTS: dict[str, tuple[str, ...]] = {
    "today": (),
    "draft": ("draft",),
    "waiting": ("submitted",),
    "returned": ("returned",),
    "in_progress": ("received", "verified", "validated", "produced", "signed"),
    "ready": ("ready",),
    "all": (),
}
STATE_COLOURS = {"returned": "#b00020", "ready": "#1b5e20", "draft": "#555555", "rejected": "#b00020"}


@dataclass(frozen=True)
class ApplicationRow:
    """What a list shows of one application."""

    client_id: str
    number: str
    service_code: str
    service_title: str
    applicant: str
    nik: str
    state: str
    revision: int
    updated: dt.datetime
    settling: str = ""  # a conflict or a cancellation being settled with the Dinas (short)
    settling_detail: str = ""  # the Dinas' answer and what to do next


def _in_list(list_id: str) -> Any:
    """The applications of one list, as a query."""
    select = Application.select()
    states = LISTS.get(list_id, ())
    if states:
        select = select.where(Application.state.in_(states))
    if list_id == "today":
        start = dt.datetime.combine(dt.date.today(), dt.time()) - dt.timedelta(hours=12)
        select = select.where(Application.updated_at >= start)
    return select


def list_counts() -> dict[str, int]:
    """How many applications each list holds (database thread), for the sidebar."""
    return {list_id: _in_list(list_id).count() for list_id in LISTS}


def load_rows(list_id: str, query: str, titles: dict[str, str], limit: int = 500) -> list[ApplicationRow]:
    """Read one list (database thread). `query` matches NIK, KK, name or registration number."""
    select = _in_list(list_id)
    text = query.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= 6 and len(digits) == len(text.replace(" ", "").replace(".", "").replace("-", "")):
            select = select.where(
                (Application.applicant_nik.startswith(digits))
                | (Application.applicant_kk.startswith(digits))
                | (Application.registration_number.contains(digits))
            )
        else:
            select = select.where(
                (Application.applicant_name.contains(text))
                | (Application.registration_number.contains(text))
                | (Application.client_id.startswith(text.lower()))
            )
    rows = []
    for app in select.order_by(Application.updated_at.desc()).limit(limit):
        rows.append(
            ApplicationRow(
                client_id=app.client_id,
                number=app.registration_number or app.client_id[:8].upper(),
                service_code=app.service_code,
                service_title=titles.get(app.service_code, app.service_code),
                applicant=app.applicant_name,
                nik=app.applicant_nik,
                state=app.state,
                revision=app.revision,
                updated=app.updated_at,
            )
        )
    found = settlements([row.client_id for row in rows])
    return [
        replace(row, settling=found[row.client_id].label, settling_detail=found[row.client_id].detail)
        if row.client_id in found
        else row
        for row in rows
    ]


class ApplicationsModel(QAbstractTableModel):
    """Rows of applications; columns: number, service, applicant, NIK, state, last change."""

    HEADERS = ("No. registrasi", "Layanan", "Pemohon", "NIK", "Status", "Diubah")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ApplicationRow] = []

    def set_rows(self, rows: list[ApplicationRow]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        """Number of applications (a table: no children)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        """Number of columns."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text, colour and the client id (UserRole)."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            state = STATE_LABELS.get(row.state, row.state) + (f" (rev. {row.revision})" if row.revision > 1 else "")
            if row.settling:
                state += f" · {row.settling}"
            values = (
                row.number,
                row.service_title,
                row.applicant or "—",
                row.nik or "—",
                state,
                row.updated.strftime("%d-%m-%Y %H:%M"),
            )
            return values[index.column()] if 0 <= index.column() < len(values) else None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4 and row.state in STATE_COLOURS:
            return QBrush(QColor(STATE_COLOURS[row.state]))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4 and row.settling_detail:
            return row.settling_detail
        if role == Qt.ItemDataRole.UserRole:
            return row.client_id
        return None
