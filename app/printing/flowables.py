"""Small drawing pieces of the paper forms: character boxes, a code box with its label, tick boxes."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph  # type: ignore[import-untyped]

_GAP = 3.0


class CharBoxes(Flowable):  # type: ignore[misc]
    """A row of boxes, one character in each (NIK, codes, dates); `groups` leaves a gap between groups."""

    def __init__(
        self, text: str, count: int, font: str, size: float = 8, box: float = 10, groups: Sequence[int] = ()
    ) -> None:
        super().__init__()
        self.text = text
        self.count = max(count, len(text), 1)
        self.font = font
        self.size = size
        self.box = box
        self.groups = tuple(groups) if sum(groups) == self.count else ()
        gaps = max(len(self.groups) - 1, 0)
        self.width = self.count * box + gaps * _GAP
        self.height = box

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The boxes keep their size."""
        return self.width, self.height

    def _lefts(self) -> list[float]:
        lefts: list[float] = []
        ends: set[int] = set()
        total = 0
        for group in self.groups[:-1]:
            total += group
            ends.add(total)
        x = 0.0
        for index in range(self.count):
            if index in ends:
                x += _GAP
            lefts.append(x)
            x += self.box
        return lefts

    def draw(self) -> None:
        """Draw the boxes and their characters."""
        canvas = self.canv
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(colors.black)
        canvas.setFont(self.font, self.size)
        for index, left in enumerate(self._lefts()):
            canvas.rect(left, 0, self.box, self.box, stroke=1, fill=0)
            if index < len(self.text):
                char = self.text[index]
                width = stringWidth(char, self.font, self.size)
                canvas.drawString(left + (self.box - width) / 2, (self.box - self.size * 0.7) / 2, char)


class BoxedValue(Flowable):  # type: ignore[misc]
    """Character boxes with a paragraph to their right (a code and its label, a region code and its name)."""

    def __init__(self, boxes: CharBoxes, text: Paragraph | None = None, gap: float = 4) -> None:
        super().__init__()
        self.boxes = boxes
        self.text = text
        self.gap = gap
        self._text_size = (0.0, 0.0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The boxes, then the paragraph wrapped in the width left."""
        box_width, box_height = self.boxes.wrap(avail_width, avail_height)
        width, height = box_width, box_height
        if self.text is not None:
            room = max(avail_width - box_width - self.gap, 24)
            self._text_size = self.text.wrap(room, avail_height)
            width = box_width + self.gap + self._text_size[0]
            height = max(box_height, self._text_size[1])
        self.width, self.height = width, height
        return width, height

    def draw(self) -> None:
        """Boxes top-left, paragraph beside them."""
        self.boxes.drawOn(self.canv, 0, self.height - self.boxes.height)
        if self.text is not None:
            text_height = self._text_size[1]
            top = self.height - max(text_height, self.boxes.height)
            self.text.drawOn(self.canv, self.boxes.width + self.gap, top + max(self.boxes.height - text_height, 0) / 2)


class TickBox(Flowable):  # type: ignore[misc]
    """A square tick box, crossed when checked."""

    def __init__(self, checked: bool, size: float = 8) -> None:
        super().__init__()
        self.checked = checked
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """A fixed square."""
        return self.width, self.height

    def draw(self) -> None:
        """The square, and an X inside when checked."""
        canvas = self.canv
        canvas.setLineWidth(0.5)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        if self.checked:
            inset = self.width * 0.2
            canvas.setLineWidth(1.1)
            canvas.line(inset, inset, self.width - inset, self.height - inset)
            canvas.line(inset, self.height - inset, self.width - inset, inset)


class MeteraiBox(Flowable):  # type: ignore[misc]
    """A dashed box where the duty stamp (meterai) goes, across the signature."""

    def __init__(self, font: str, width: float = 58, height: float = 34) -> None:
        super().__init__()
        self.font = font
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """A fixed box."""
        return self.width, self.height

    def draw(self) -> None:
        """Dashed rectangle with the word Meterai."""
        canvas = self.canv
        canvas.saveState()
        canvas.setDash(2, 2)
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(colors.grey)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canvas.setFillColor(colors.grey)
        canvas.setFont(self.font, 6.5)
        canvas.drawCentredString(self.width / 2, self.height / 2 + 1, "Meterai")
        canvas.drawCentredString(self.width / 2, self.height / 2 - 7, "Rp10.000")
        canvas.restoreState()


class RowNumber(Flowable):  # type: ignore[misc]
    """A row's number, centred in a box tall enough to write the row in by hand."""

    def __init__(self, number: int, font: str, size: float = 7, height: float = 12.5) -> None:
        super().__init__()
        self.text = str(number)
        self.font = font
        self.size = size
        self.height = height
        self.width = stringWidth(self.text, font, size)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Full cell width, fixed height."""
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        """The number in the middle."""
        self.canv.setFont(self.font, self.size)
        self.canv.drawCentredString(self.width / 2, (self.height - self.size * 0.7) / 2, self.text)
