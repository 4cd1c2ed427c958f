"""Make a flat card look captured: a phone photo (perspective, background, shadow, blur, noise, JPEG) or a
flatbed scan (slight tilt, blur, noise, JPEG), deterministic for a seed."""

from __future__ import annotations

import random

import cv2
import numpy as np


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
    assert ok and decoded is not None
    return np.asarray(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB), dtype=np.uint8)


def _noise(image: np.ndarray, rng: random.Random, sigma: float) -> np.ndarray:
    # OpenCV's generator, seeded here: numpy's normal() takes seconds on a photo-sized frame.
    cv2.setRNGSeed(rng.randint(0, 2**31 - 1))
    noise = np.empty(image.shape, np.int16)
    cv2.randn(noise, np.zeros(1), np.full(1, sigma))
    return cv2.add(image.astype(np.int16), noise, dtype=cv2.CV_16S).clip(0, 255).astype(np.uint8)


def photo(page: np.ndarray, seed: int, *, frame: tuple[int, int] = (2600, 1950)) -> np.ndarray:
    """The page photographed by a phone held roughly above it, on a table, in uneven room light."""
    rng = random.Random(seed)
    fw, fh = frame
    h, w = page.shape[:2]
    if h > w:
        fw, fh = fh, fw
    # The page fills 72-88 % of the frame's width, its corners pushed by a tilted view.
    fill = rng.uniform(0.72, 0.88)
    pw = fw * fill
    ph = pw * h / w
    if ph > fh * 0.92:
        ph = fh * 0.92
        pw = ph * w / h
    cx, cy = fw / 2 + rng.uniform(-0.04, 0.04) * fw, fh / 2 + rng.uniform(-0.04, 0.04) * fh
    jitter = 0.035 * pw
    corners = np.array(
        [
            [cx - pw / 2, cy - ph / 2],
            [cx + pw / 2, cy - ph / 2],
            [cx + pw / 2, cy + ph / 2],
            [cx - pw / 2, cy + ph / 2],
        ]
    )
    keystone = rng.uniform(-0.05, 0.05) * pw  # the far edge looks shorter
    corners[0, 0] += keystone
    corners[1, 0] -= keystone
    corners += np.array([[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)] for _ in range(4)])
    matrix = cv2.getPerspectiveTransform(
        np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32), corners.astype(np.float32)
    )
    table = np.array([rng.randint(60, 140), rng.randint(45, 110), rng.randint(30, 90)], dtype=np.float32)
    background = np.ones((fh, fw, 3), np.float32) * table
    background = _noise(background.astype(np.uint8), rng, 12).astype(np.float32)
    background = np.asarray(cv2.GaussianBlur(background, (0, 0), 3), dtype=np.float32)
    warped = cv2.warpPerspective(page, matrix, (fw, fh), flags=cv2.INTER_AREA if pw < w else cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, (fw, fh)).astype(np.float32)[..., None] / 255
    image = warped.astype(np.float32) * mask + background * (1 - mask)
    # Room light: brighter on one side, and a soft shadow of the phone or a hand across part of the page.
    # (The light varies slowly: compute it on a grid 8 times coarser and enlarge it.)
    step = 8
    yy, xx = np.mgrid[0 : fh // step, 0 : fw // step].astype(np.float32) * step
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * (xx / fw - 0.5) + np.sin(angle) * (yy / fh - 0.5)) * rng.uniform(0.15, 0.35)
    light = 0.95 - ramp
    if rng.random() < 0.7:
        sx, sy = rng.uniform(0.1, 0.9) * fw, rng.uniform(0.1, 0.9) * fh
        radius = rng.uniform(0.15, 0.35) * fw
        shadow = np.exp(-(((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * radius**2)))
        light = light * (1 - rng.uniform(0.2, 0.4) * shadow)
    light = cv2.resize(light, (fw, fh), interpolation=cv2.INTER_LINEAR)
    tint = np.array([1.0, rng.uniform(0.96, 1.0), rng.uniform(0.88, 0.98)], dtype=np.float32)
    image = image * light[..., None] * tint
    image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.5, 1.2))
    out = _noise(np.clip(image, 0, 255).astype(np.uint8), rng, rng.uniform(2.0, 5.0))
    return _jpeg(out, rng.randint(60, 88))


def scan(page: np.ndarray, seed: int) -> np.ndarray:
    """The page from a flatbed scanner: laid slightly crooked, a little soft, compressed."""
    rng = random.Random(seed)
    h, w = page.shape[:2]
    angle = rng.uniform(-1.5, 1.5)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = cv2.warpAffine(page, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(250, 250, 250))
    soft = cv2.GaussianBlur(turned, (0, 0), rng.uniform(0.4, 0.8))
    dim = (soft.astype(np.float32) * rng.uniform(0.9, 1.0)).astype(np.uint8)
    out = _noise(dim, rng, rng.uniform(1.5, 3.5))
    if rng.random() < 0.5:
        out = cv2.cvtColor(cv2.cvtColor(out, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    return _jpeg(out, rng.randint(70, 92))
