"""The icon (resources/icons) has every size Windows asks for and is the drawing installers/icon.py makes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from PIL import Image

ICONS = Path(__file__).resolve().parents[3] / "resources" / "icons"


def test_ico_holds_every_size_windows_uses() -> None:
    with Image.open(ICONS / "loket.ico") as ico:
        sizes = ico.info["sizes"]

    assert {(s, s) for s in (16, 24, 32, 48, 256)} <= sizes


def test_png_is_square_with_transparent_corners() -> None:
    with Image.open(ICONS / "loket.png") as png:
        image = png.convert("RGBA")

    alpha = image.getchannel("A")
    assert image.width == image.height >= 256
    assert alpha.getpixel((0, 0)) == 0
    assert alpha.getpixel((image.width // 2, image.height // 2)) == 255


def test_icon_is_the_drawing_of_installers_icon_py(icon: ModuleType, tmp_path: Path) -> None:
    png, _ = icon.write_icons(tmp_path)

    with Image.open(png) as drawn, Image.open(ICONS / "loket.png") as shipped:
        assert drawn.size == shipped.size
        difference = [abs(a - b) for a, b in zip(drawn.tobytes(), shipped.convert(drawn.mode).tobytes(), strict=True)]
    assert max(difference) <= 2, "resources/icons is out of date: run installers/icon.py"
