"""Draw Loket's icon (resources/icons/loket.png and loket.ico) with Pillow.

A service counter seen from the citizen's side: a blue rounded tile, a white "L" whose foot is the
counter, and a gold dot for the person being served. Run after changing the drawing:

    .venv/bin/python installers/icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
PNG_SIZE = 512

BLUE = (17, 76, 156, 255)  # the deep blue of Dukcapil's signage
BLUE_LIGHT = (44, 112, 199, 255)
WHITE = (255, 255, 255, 255)
GOLD = (246, 183, 28, 255)


def draw(size: int) -> Image.Image:
    """The icon at one size; drawn at 4x and reduced, so edges stay smooth at every size."""
    scale = 4
    side = size * scale
    unit = side / 64  # the drawing is laid out on a 64x64 grid
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return round(x0 * unit), round(y0 * unit), round(x1 * unit), round(y1 * unit)

    pen.rounded_rectangle(box(2, 2, 62, 62), radius=round(12 * unit), fill=BLUE)
    # The service window behind the counter, a lighter pane.
    pen.rounded_rectangle(box(26, 12, 52, 38), radius=round(4 * unit), fill=BLUE_LIGHT)
    # The "L": a post and the counter top.
    pen.rounded_rectangle(box(13, 10, 23, 52), radius=round(3 * unit), fill=WHITE)
    pen.rounded_rectangle(box(13, 42, 54, 52), radius=round(3 * unit), fill=WHITE)
    # The citizen at the counter.
    pen.ellipse(box(33, 20, 45, 32), fill=GOLD)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(folder: Path = ICON_DIR) -> tuple[Path, Path]:
    """Write loket.png (512 px) and loket.ico (16 to 256 px) into the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / "loket.png"
    ico = folder / "loket.ico"
    draw(PNG_SIZE).save(png, optimize=True)
    largest, *smaller = (draw(s) for s in reversed(ICO_SIZES))
    largest.save(ico, sizes=[(s, s) for s in ICO_SIZES], append_images=smaller)
    return png, ico


if __name__ == "__main__":
    for path in write_icons():
        print(path)
    sys.exit(0)
