"""Finding a service: search the 43 layanan by words and read its forms, requirements, SLA and procedure."""

from __future__ import annotations

import html
import threading

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.catalog import Catalog, Service
from app.catalog.model import COPY_KINDS
from app.datafiles import DataFileError
from app.reference import newest_catalog
from ui.escape import clear_on_escape

_SERVICE_ROLE = Qt.ItemDataRole.UserRole


class _CatalogLoader(QObject):
    """Loads the catalogue on a Python thread and reports back by (queued) signal."""

    done = Signal(object)
    failed = Signal(str)

    def start(self) -> None:
        threading.Thread(target=self._run, name="loket-catalogue", daemon=True).start()

    def _run(self) -> None:
        try:
            catalog = newest_catalog()  # new applications start on the newest version from the Dinas
        except DataFileError as exc:
            self.failed.emit(str(exc))
            return
        self.done.emit(catalog)


def matches(service: Service, query: str) -> bool:
    """Whether every word of the query starts a word of the service's title, code, number or keywords."""
    words = _words(query)
    if not words:
        return True
    targets = _words(" ".join((service.title, service.code, str(service.number), *service.keywords)))
    return all(any(t.startswith(w) for t in targets) for w in words)


def _words(text: str) -> list[str]:
    return text.casefold().replace("-", " ").replace("/", " ").split()


def service_html(service: Service) -> str:
    """The detail view of one service, as simple HTML."""
    e = html.escape
    parts = [f"<h2>{e(service.title)}</h2>"]
    fee = "Gratis" if service.fee == 0 else f"Rp {service.fee:,}".replace(",", ".")
    parts.append(
        f"<p><b>Kode:</b> {e(service.code)} &nbsp; <b>Waktu penyelesaian:</b> {service.sla_days} hari kerja"
        f" &nbsp; <b>Biaya:</b> {fee}</p>"
    )
    forms = ", ".join(e(f.form) + (" (bila perlu)" if f.when is not None else "") for f in service.forms)
    parts.append(f"<p><b>Formulir:</b> {forms}</p>")
    if service.eligibility:
        parts.append("<h3>Syarat pemohon</h3><ul>")
        parts.extend(f"<li>{e(item.label)}</li>" for item in service.eligibility)
        parts.append("</ul>")
    referred = [item.referral for item in service.eligibility if item.referral is not None]
    if referred:  # "not here, go there": told before the officer starts an application
        parts.append("<h3>Bukan layanan Disdukcapil: rujuk ke instansi lain</h3><ul>")
        parts.extend(
            f"<li><b>{e(r.office.title)}</b>: {e(r.reason)} <small>({e(r.articles)})</small></li>" for r in referred
        )
        parts.append("</ul>")
    parts.append("<h3>Persyaratan</h3><ol>")
    for req in service.requirements:
        tag = " <i>(bila berlaku)</i>" if req.conditional else ""
        line = f"<li>{e(req.title)} — {e(COPY_KINDS.get(req.copy, req.copy))}{tag}"
        for sub in req.substitutes:
            line += f"<br/>&nbsp;&nbsp;atau: {e(sub.label)}"
        if req.note:
            line += f"<br/><small>{e(req.note)}</small>"
        parts.append(line + "</li>")
    parts.append("</ol><h3>Prosedur</h3><ol>")
    parts.extend(f"<li>{e(step)}</li>" for step in service.steps)
    parts.append("</ol><h3>Produk layanan</h3><ul>")
    parts.extend(f"<li>{e(out.title)}</li>" for out in service.outputs)
    parts.append("</ul><h3>Dasar hukum</h3><ul>")
    parts.extend(f"<li>{e(basis.title)}</li>" for basis in service.legal_basis)
    parts.append("</ul>")
    return "".join(parts)


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped title at the column's width (QTreeView does not ask the width)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """The height the title needs when wrapped in the room its row has."""
        hint = super().sizeHint(option, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        room = self.tree.columnWidth(0) - depth * self.tree.indentation() - 12
        if room <= 0:
            return hint
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        needed = option.fontMetrics.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(hint.width(), max(hint.height(), needed.height() + 4))


class ServiceBrowser(QWidget):
    """Search box, services grouped, and the selected service's details."""

    loaded = Signal()
    chosen = Signal(str)  # service code (Enter or double-click)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog: Catalog | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Cari layanan: misalnya akta lahir, KTP hilang, pindah…"))
        self.search.setClearButtonEnabled(True)
        clear_on_escape(self.search)  # Escape clears the search first, then closes the picker
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        # Long titles wrap onto a second line instead of being cut at the pane's edge.
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        self.tree.header().sectionResized.connect(lambda *_: self.tree.scheduleDelayedItemsLayout())
        self.detail = QTextBrowser()
        self.status = QLabel(self.tr("Memuat katalog layanan…"))

        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(8, 8, 0, 8)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        layout.addWidget(self.status)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([520, 680])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

        self.search.textChanged.connect(self.refilter)
        self.search.returnPressed.connect(self._choose_current)
        self.tree.currentItemChanged.connect(self.show_current)
        self.tree.itemActivated.connect(lambda item, _col: self._choose(item))
        self._loader = _CatalogLoader(self)
        self._loader.done.connect(self.on_loaded)
        self._loader.failed.connect(self.on_failed)
        self._loader.start()

    def on_loaded(self, catalog: Catalog) -> None:
        """Fill the tree once the catalogue is loaded."""
        self.catalog = catalog
        groups: dict[str, QTreeWidgetItem] = {}
        for service in catalog.services:
            parent = groups.get(service.group.id)
            if parent is None:
                parent = QTreeWidgetItem(self.tree, [service.group.title])
                parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                groups[service.group.id] = parent
            item = QTreeWidgetItem(parent, [f"{service.number}. {service.title}"])
            item.setData(0, _SERVICE_ROLE, service.code)
        self.tree.expandAll()
        self.status.setText(self.tr("%n layanan, katalog versi ", "", len(catalog.services)) + catalog.version)
        self.search.setFocus()
        self.loaded.emit()

    def on_failed(self, message: str) -> None:
        """Tell the officer the shipped data is damaged (a reinstall fixes it)."""
        self.status.setText(self.tr("Katalog layanan rusak; pasang ulang aplikasi. Rincian: ") + message)
        self.loaded.emit()

    def refilter(self, query: str) -> None:
        """Show only the services matching the search words."""
        if self.catalog is None:
            return
        root = self.tree.invisibleRootItem()
        first: QTreeWidgetItem | None = None
        for g in range(root.childCount()):
            group = root.child(g)
            if group is None:
                continue
            visible = 0
            for i in range(group.childCount()):
                item = group.child(i)
                if item is None:
                    continue
                service = self.catalog.service(str(item.data(0, _SERVICE_ROLE)))
                hidden = not matches(service, query)
                item.setHidden(hidden)
                if not hidden:
                    visible += 1
                    first = first or item
            group.setHidden(visible == 0)
        if first is not None and query:
            self.tree.setCurrentItem(first)

    def show_current(self, item: QTreeWidgetItem | None) -> None:
        """Show the selected service's details."""
        if item is None or self.catalog is None or item.data(0, _SERVICE_ROLE) is None:
            return
        self.detail.setHtml(service_html(self.catalog.service(str(item.data(0, _SERVICE_ROLE)))))

    def current_code(self) -> str | None:
        """The selected service's code."""
        item = self.tree.currentItem()
        data = item.data(0, _SERVICE_ROLE) if item is not None else None
        return str(data) if data is not None else None

    def _choose_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item: QTreeWidgetItem) -> None:
        code = item.data(0, _SERVICE_ROLE)
        if code is not None:
            self.chosen.emit(str(code))


class ServicePickerDialog(QDialog):
    """Pick the service for a new application (Enter on a service takes it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Permohonan baru — pilih layanan"))
        self.browser = ServiceBrowser()
        self.code: str | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Mulai permohonan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Batal"))
        buttons.accepted.connect(lambda: self._take(self.browser.current_code()))
        buttons.rejected.connect(self.reject)
        self.browser.chosen.connect(self._take)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        # 1200x700, or what the officer's window has room for (1280x720 less a taskbar is 650 high).
        room = parent.window().size() if parent is not None else QSize(1200, 700)
        self.resize(min(1200, room.width()), min(700, room.height()))

    def _take(self, code: str | None) -> None:
        if code:
            self.code = code
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> str | None:
        """Show the dialog; the chosen service code or None (tests patch this)."""
        dialog = cls(parent)
        return dialog.code if dialog.exec() == QDialog.DialogCode.Accepted else None
