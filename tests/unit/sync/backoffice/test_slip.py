"""The enrolment slip's QR code: inline SVG that the pages' CSP allows, and that a QR reader decodes."""

from __future__ import annotations

import re

import cv2
import numpy as np

from sync.server.backoffice.routes_admin import _qr_svg

PAYLOAD = '{"server":"https://dukcapil.example.go.id","kode":"T2A7-9YRQ-HYCA","pos":"35.21.01.2001"}'


def test_qr_svg_decodes_to_the_payload() -> None:
    """Painting the SVG's dark modules into an image gives a QR code OpenCV reads back exactly."""
    svg = _qr_svg(PAYLOAD)
    assert "style=" not in svg  # inline styles are refused by the back office's Content-Security-Policy
    side = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    scale = 8
    image = np.full((side * scale, side * scale), 255, dtype=np.uint8)
    for x, y in re.findall(r'<rect x="(\d+)" y="(\d+)" width="1" height="1"/>', svg):
        image[int(y) * scale : (int(y) + 1) * scale, int(x) * scale : (int(x) + 1) * scale] = 0
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert text == PAYLOAD
