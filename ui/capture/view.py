"""The dialog's big view: a picture fitted to the widget, the detected page outline drawn over it,
a ring showing how close auto capture is, and draggable corner handles to fix the outline."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

HANDLE_RADIUS = 9.0
OUTLINE_COLOUR = QColor(40, 200, 90)
EDIT_COLOUR = QColor(255, 160, 0)


class PageView(QWidget):
    """Shows one image with an optional outline; in edit mode its four corners can be dragged."""

    outline_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._outline: list[QPointF] | None = None
        self._progress = 0.0
        self._message = ""
        self._editing = False
        self._dragging: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setMouseTracking(True)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor(48, 52, 58))
        self.setPalette(palette)

    def sizeHint(self) -> QSize:
        """Room for a page."""
        return QSize(820, 560)

    @property
    def editing(self) -> bool:
        """Whether the corner handles are shown."""
        return self._editing

    def show_image(self, image: QImage | None, outline: list[QPointF] | None = None, progress: float = 0.0) -> None:
        """Show an image (None: only the message) with an outline in image pixels."""
        self._image = image
        if not self._editing:
            self._outline = outline
        self._progress = progress
        self.update()

    def show_message(self, text: str) -> None:
        """A line of text over the view (e.g. "Menyiapkan kamera…")."""
        self._message = text
        self.update()

    def edit_outline(self, image: QImage, corners: list[QPointF]) -> None:
        """Show image with four draggable corners (image pixels: top-left, top-right, bottom-right, bottom-left)."""
        self._image = image
        self._outline = [QPointF(point) for point in corners]
        self._editing = True
        self._progress = 0.0
        self.update()

    def stop_editing(self) -> None:
        """Hide the handles."""
        self._editing = False
        self._dragging = None
        self.update()

    def outline(self) -> list[QPointF] | None:
        """The outline in image pixels."""
        return None if self._outline is None else [QPointF(point) for point in self._outline]

    def _frame(self) -> tuple[QRectF, float]:
        if self._image is None or self._image.isNull():
            return QRectF(), 1.0
        margin = 2 * HANDLE_RADIUS if self._editing else 0.0
        area = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        scale = min(area.width() / self._image.width(), area.height() / self._image.height())
        width, height = self._image.width() * scale, self._image.height() * scale
        left = area.left() + (area.width() - width) / 2
        top = area.top() + (area.height() - height) / 2
        return QRectF(left, top, width, height), scale

    def _to_widget(self, point: QPointF) -> QPointF:
        frame, scale = self._frame()
        return QPointF(frame.left() + point.x() * scale, frame.top() + point.y() * scale)

    def _to_image(self, point: QPointF) -> QPointF:
        frame, scale = self._frame()
        assert self._image is not None
        x = min(max((point.x() - frame.left()) / scale, 0.0), self._image.width() - 1.0)
        y = min(max((point.y() - frame.top()) / scale, 0.0), self._image.height() - 1.0)
        return QPointF(x, y)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the image, outline, handles, progress ring and message."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        frame, _ = self._frame()
        if self._image is not None and not self._image.isNull():
            painter.drawImage(frame, self._image)
        if self._outline is not None and self._image is not None:
            points = [self._to_widget(point) for point in self._outline]
            colour = EDIT_COLOUR if self._editing else OUTLINE_COLOUR
            painter.setPen(QPen(colour, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(QPolygonF(points))
            if self._editing:
                painter.setBrush(colour)
                for point in points:
                    painter.drawEllipse(point, HANDLE_RADIUS, HANDLE_RADIUS)
        if self._progress > 0:
            ring = QRectF(self.width() - 64, 16, 44, 44)
            painter.setPen(QPen(QColor(255, 255, 255, 90), 5))
            painter.drawEllipse(ring)
            painter.setPen(QPen(OUTLINE_COLOUR, 5))
            painter.drawArc(ring, 90 * 16, -int(360 * 16 * self._progress))
        if self._message:
            painter.setPen(QColor(240, 240, 240))
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.2)
            painter.setFont(font)
            box = QRectF(self.rect()).adjusted(24, 0, -24, -16)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap
            if self._image is None:
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(box, int(flags), self._message)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Pick up the nearest handle."""
        if not self._editing or self._outline is None:
            super().mousePressEvent(event)
            return
        position = event.position()
        distances = [
            (point.x() - position.x()) ** 2 + (point.y() - position.y()) ** 2
            for point in (self._to_widget(corner) for corner in self._outline)
        ]
        nearest = min(range(4), key=lambda index: distances[index])
        self._dragging = nearest if distances[nearest] <= (3 * HANDLE_RADIUS) ** 2 else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Move the handle being dragged."""
        if self._dragging is None or self._outline is None:
            super().mouseMoveEvent(event)
            return
        self._outline[self._dragging] = self._to_image(event.position())
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Drop the handle."""
        if self._dragging is not None:
            self._dragging = None
            self.outline_changed.emit()
        super().mouseReleaseEvent(event)
