"""The officer's lists of applications as a Qt item model (rows read by app/views/lists.py on the database thread)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.store.lifecycle import STATE_LABELS
from app.views.lists import ApplicationRow
from ui import palette

Index = QModelIndex | QPersistentModelIndex

STATE_COLOURS = {"returned": palette.ERROR, "ready": palette.GOOD, "draft": palette.QUIET, "rejected": palette.ERROR}


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
