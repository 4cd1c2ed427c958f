"""Where things are on a card's page: the flattened page, its ink without the table rules, the ruled
tables with their rows and cells, and the text lines of a label block ("Label : value")."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from app.cardread.model import Box

Gray = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Page:
    """A page ready to read: even paper (`gray`), its ink, and its table rules."""

    gray: Gray  # evenly lit, table rules painted white
    ink: Mask  # dark pixels, table rules included
    rules: Mask  # horizontal and vertical table rules
    text: Mask  # ink that is not a rule
    across: Mask | None = None  # the horizontal rules alone
    down: Mask | None = None  # the vertical rules alone

    @property
    def width(self) -> int:
        return int(self.gray.shape[1])

    @property
    def height(self) -> int:
        return int(self.gray.shape[0])


def even_paper(gray: Gray) -> Gray:
    """Divide out the light: the paper's brightness (a wide maximum, smoothed) becomes white."""
    small = cv2.resize(gray, (max(1, gray.shape[1] // 4), max(1, gray.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    paper = cv2.GaussianBlur(cv2.dilate(small, kernel), (0, 0), 4)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    even = gray.astype(np.float32) * (255.0 / np.maximum(paper.astype(np.float32), 40.0))
    return np.clip(even, 0, 255).astype(np.uint8)


def analyse(gray: Gray, *, ruled: bool = True) -> Page:
    """Find the ink and (when `ruled`) the table rules of an evenly lit page."""
    even = even_paper(gray)
    # Ink is what is clearly darker than paper; a blurred photo's thin print is paler than a scan's.
    otsu, _ = cv2.threshold(even, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    ink = even < float(np.clip(otsu, 140, 185))
    if not ruled:
        return Page(even, ink, np.zeros_like(ink), ink)
    height, width = even.shape
    # Thin rules go pale when blurred: look for them with a lighter threshold. Only runs longer than any
    # cell's text count (a sixth of the page across, an eighth down): a blurred row of digits is no rule.
    binary = (even < 205).astype(np.uint8) * 255
    # The picture's own edges (a sliver of table or shadow around a photographed page) are not rules.
    edge = max(2, min(width, height) // 150)
    binary[:edge, :] = 0
    binary[-edge:, :] = 0
    binary[:, :edge] = 0
    binary[:, -edge:] = 0
    # A bilevel (G4) page breaks thin rules into dashes: close short breaks along each direction first.
    across = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))
    down = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    horizontal = cv2.morphologyEx(
        across, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(8, width // 6), 1))
    )
    vertical = cv2.morphologyEx(
        down, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, height // 8)))
    )
    rules = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8)) > 0
    # Crops are taken from the page with its rules painted over: a rule at a crop's edge is no letter.
    clean = even.copy()
    clean[cv2.dilate(rules.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 255
    return Page(clean, ink, rules, ink & ~rules, horizontal > 0, vertical > 0)


# Below this mean edge strength on the ink, print is too blurred to read (readable captures: 16 and up).
BLURRED = 11.0


def sharpness(page: Page) -> float:
    """The mean strength of the edges (absolute Laplacian) on the page's ink: low for a blurred capture."""
    if not page.ink.any():
        return 0.0
    edges = np.abs(cv2.Laplacian(page.gray.astype(np.float32), cv2.CV_32F))
    return float(edges[page.ink].mean())


@dataclass(frozen=True)
class Table:
    """A ruled table: its outline and its rows of cells, top to bottom, each left to right."""

    box: Box
    rows: tuple[tuple[Box, ...], ...]

    def columns(self) -> int:
        """The most common number of cells in a row."""
        counts = [len(row) for row in self.rows]
        return max(set(counts), key=counts.count) if counts else 0


def find_tables(page: Page) -> list[Table]:
    """The page's ruled tables (wide, tall ones), top to bottom."""
    rules = page.rules.astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    tables = []
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if w < page.width * 0.4 or h < page.height * 0.1:
            continue
        rows = _grid(page, Box(x, y, w, h)) or _cells(rules[y : y + h, x : x + w], x, y)
        if len(rows) >= 2:
            tables.append(Table(Box(x, y, w, h), rows))
    return sorted(tables, key=lambda t: t.box.y)


def _runs(profile: npt.NDArray[np.int64], least: float) -> list[tuple[int, int]]:
    """(first, last) of each run of positions where `profile` reaches `least`."""
    on = np.flatnonzero(profile >= least)
    if on.size == 0:
        return []
    runs = []
    begin = previous = int(on[0])
    for position in on[1:].tolist():
        if position > previous + 2:
            runs.append((begin, previous))
            begin = position
        previous = position
    runs.append((begin, previous))
    return runs


def _grid(page: Page, box: Box) -> tuple[tuple[Box, ...], ...]:
    """The cells of a table from where its rules run: a horizontal rule covering a third of the table's
    width, a vertical one half its height (a rule broken here and there, as on a bilevel page, still counts)."""
    if page.across is None or page.down is None:
        return ()
    across = page.across[box.y : box.y + box.height, box.x : box.x + box.width]
    down = page.down[box.y : box.y + box.height, box.x : box.x + box.width]
    rows = _runs(across.sum(axis=1), box.width / 3)
    columns = _runs(down.sum(axis=0), box.height / 2)
    if len(rows) < 3 or len(columns) < 3:
        return ()
    table = []
    for (_, top), (bottom, _) in itertools.pairwise(rows):
        if bottom - top < 10:
            continue
        cells = tuple(
            Box(box.x + left + 1, box.y + top + 1, right - left - 1, bottom - top - 1)
            for (_, left), (right, _) in itertools.pairwise(columns)
            if right - left >= 12
        )
        table.append(cells)
    return tuple(table)


def _cells(rules: npt.NDArray[np.uint8], x0: int, y0: int) -> tuple[tuple[Box, ...], ...]:
    """The cells between the rules of one table, grouped into rows."""
    holes = (rules == 0).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    cells = []
    height, width = rules.shape
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        touches = x == 0 or y == 0 or x + w >= width or y + h >= height
        if touches or w < 12 or h < 10 or area < 0.6 * w * h:
            continue
        cells.append(Box(x + x0, y + y0, w, h))
    if not cells:
        return ()
    cells.sort(key=lambda b: b.y + b.height / 2)
    typical = float(np.median([c.height for c in cells]))
    rows: list[list[Box]] = [[cells[0]]]
    for cell in cells[1:]:
        last = rows[-1]
        middle = np.mean([c.y + c.height / 2 for c in last])
        if cell.y + cell.height / 2 - middle > 0.5 * typical:
            rows.append([cell])
        else:
            last.append(cell)
    return tuple(tuple(sorted(row, key=lambda b: b.x)) for row in rows)


def member_rows(table: Table, columns: int) -> tuple[list[tuple[Box, ...]], bool]:
    """The member rows of a member table (below its heading and column-number rows), each as `columns`
    cells; and whether the table's rows could all be put in columns. Rows with a different number of
    cells (a broken rule) take their cells from the column edges of the well-formed rows."""
    rows = list(table.rows)
    good = [row for row in rows if len(row) == columns]
    if not good:
        return [], False
    lefts = [float(np.median([row[k].x for row in good])) for k in range(columns)]
    rights = [float(np.median([row[k].x + row[k].width for row in good])) for k in range(columns)]
    # The heading row is the first; the row of column numbers is the lowest of the next rows.
    heights = [float(np.median([c.height for c in row])) for row in rows]
    start = 2 if len(rows) > 2 else len(rows)
    if len(rows) > 3:
        candidates = range(1, 3)
        number_row = min(candidates, key=lambda k: heights[k])
        start = number_row + 1
    result = []
    complete = True
    for row in rows[start:]:
        if len(row) == columns:
            result.append(row)
            continue
        complete = False
        top = int(np.median([c.y for c in row]))
        bottom = int(np.median([c.y + c.height for c in row]))
        result.append(
            tuple(Box(round(lefts[k]), top, round(rights[k] - lefts[k]), bottom - top) for k in range(columns))
        )
    return result, complete


def ink_box(mask: Mask, box: Box, inset: int = 3) -> Box | None:
    """The tight box of the text ink inside `box` (specks ignored), or None when there is none."""
    x0, y0 = box.x + inset, box.y + inset
    x1, y1 = box.x + box.width - inset, box.y + box.height - inset
    if x1 <= x0 or y1 <= y0:
        return None
    part = mask[y0:y1, x0:x1]
    if int(part.sum()) < 6:
        return None
    rows = np.flatnonzero(part.sum(axis=1) >= 1)
    cols = np.flatnonzero(part.sum(axis=0) >= 1)
    return Box(x0 + int(cols[0]), y0 + int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1))


def crop(gray: Gray, box: Box, pad: float = 0.18, side: float = 0.45) -> Gray:
    """A text crop with a margin of `pad` times its height above and below, `side` times left and right (the
    recogniser loses a narrow letter at a crop's very edge)."""
    margin = max(2, round(box.height * pad))
    across = max(3, round(box.height * side))
    y0, y1 = max(0, box.y - margin), min(gray.shape[0], box.y + box.height + margin)
    x0, x1 = max(0, box.x - across), min(gray.shape[1], box.x + box.width + across)
    return np.ascontiguousarray(gray[y0:y1, x0:x1])


def text_lines(mask: Mask, area: Box, min_height: int = 8) -> list[Box]:
    """The text lines inside `area`: bands of rows with ink, each trimmed to its ink."""
    part = mask[area.y : area.y + area.height, area.x : area.x + area.width]
    if part.size == 0:
        return []
    filled = part.sum(axis=1) > max(2, area.width // 400)
    lines = []
    start: int | None = None
    for y, on in enumerate([*filled.tolist(), False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if y - start >= min_height:
                band = part[start:y]
                cols = np.flatnonzero(band.any(axis=0))
                lines.append(Box(area.x + int(cols[0]), area.y + start, int(cols[-1] - cols[0] + 1), y - start))
            start = None
    return lines


def segments(mask: Mask, line: Box, gap: float) -> list[Box]:
    """Pieces of a text line separated by blank columns wider than `gap` times the line's height."""
    part = mask[line.y : line.y + line.height, line.x : line.x + line.width]
    cols = np.flatnonzero(part.any(axis=0))
    if cols.size == 0:
        return []
    limit = max(3.0, gap * line.height)
    pieces = []
    begin = int(cols[0])
    for a, b in itertools.pairwise(cols.tolist()):
        if b - a > limit:
            pieces.append((begin, int(a)))
            begin = int(b)
    pieces.append((begin, int(cols[-1])))
    boxes = []
    for a, b in pieces:
        rows = np.flatnonzero(part[:, a : b + 1].any(axis=1))
        boxes.append(Box(line.x + a, line.y + int(rows[0]), b - a + 1, int(rows[-1] - rows[0] + 1)))
    return boxes


def colon_split(mask: Mask, line: Box) -> tuple[Box | None, Box | None]:
    """A "Label : value" line as (label box, value box), split at its colon: the first narrow piece standing
    apart after some text; (None, None) when there is no such colon."""
    pieces = segments(mask, line, 0.25)
    tallest = max((p.height for p in pieces), default=line.height)
    for i, piece in enumerate(pieces):
        if i == 0 or piece.width > 0.45 * tallest or piece.height < 0.4 * tallest:
            continue
        if not _is_colon(mask, piece, tallest):
            continue
        left = _union(pieces[:i])
        right = _union(pieces[i + 1 :])
        return left, right
    return None, None


def label_value_lines(mask: Mask, lines: list[Box]) -> list[tuple[Box, Box | None, Box | None]]:
    """Split a block of "Label : value" lines at their colons, which stand one above the other: the block's
    colon column is where most lines have a colon; a line without a colon there (a title) gets (None, None)."""
    found: list[tuple[Box, list[Box], list[Box]]] = []
    for line in lines:
        pieces = segments(mask, line, 0.25)
        tallest = max((p.height for p in pieces), default=line.height)
        colons = [
            p
            for i, p in enumerate(pieces)
            if i > 0 and p.width <= 0.45 * tallest and p.height >= 0.4 * tallest and _is_colon(mask, p, tallest)
        ]
        found.append((line, pieces, colons))
    xs = sorted(c.x for _, _, colons in found for c in colons)
    if not xs:
        return [(line, None, None) for line in lines]
    tolerance = max(4.0, float(np.median([line.height for line in lines])) * 0.6)
    column = max(xs, key=lambda x: sum(abs(other - x) <= tolerance for other in xs))
    out: list[tuple[Box, Box | None, Box | None]] = []
    for line, pieces, colons in found:
        colon = next((c for c in colons if abs(c.x - column) <= tolerance), None)
        if colon is None:
            out.append((line, None, None))
            continue
        left = _union([p for p in pieces if p.x + p.width <= colon.x])
        right = _union([p for p in pieces if p.x >= colon.x + colon.width])
        out.append((line, left, right))
    return out


def _is_colon(mask: Mask, piece: Box, line_height: int) -> bool:
    """Two small dots one above the other, well apart (an "i" has a dot over a tall stem); a faded dot may
    be a single pixel."""
    if piece.height > 0.85 * line_height:
        return False
    part = mask[piece.y : piece.y + piece.height, piece.x : piece.x + piece.width].astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(part, connectivity=8)
    dots = [stats[i] for i in range(1, count)]
    if len(dots) != 2:
        return False
    upper, lower = sorted(dots, key=lambda d: int(d[1]))
    if max(int(upper[3]), int(lower[3])) > 0.4 * line_height:
        return False
    return int(lower[1]) - (int(upper[1]) + int(upper[3])) >= 0.1 * line_height


def _union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    x0 = min(b.x for b in boxes)
    y0 = min(b.y for b in boxes)
    x1 = max(b.x + b.width for b in boxes)
    y1 = max(b.y + b.height for b in boxes)
    return Box(x0, y0, x1 - x0, y1 - y0)
