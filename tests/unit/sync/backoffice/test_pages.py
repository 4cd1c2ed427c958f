"""Stored pages rendered for the browser: G4 text pages as lossless 1-bit PNG, photo pages as WebP, cached."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PilImage

from app.documents import Options, process_page
from app.documents.encode import encode_tone
from sync.server import keys
from sync.server.backoffice.pages import THUMB_WIDTH, PageRenderer, RenderedPage, UnreadablePageError
from sync.server.errors import NotFoundError, ServerError
from sync.server.storage import DiskStorage
from tests.helpers import documents

STATIC = Path(__file__).resolve().parents[4] / "sync" / "server" / "backoffice" / "static"


@dataclass(frozen=True)
class StoredPage:
    """A page made by the outpost's pipeline: its bytes, hash and media type."""

    data: bytes
    sha256: str
    media_type: str
    width: int
    height: int


def _stored_page(data: bytes, media_type: str, width: int, height: int) -> StoredPage:
    return StoredPage(data, hashlib.sha256(data).hexdigest(), media_type, width, height)


@pytest.fixture(scope="module")
def text_page() -> StoredPage:
    """A 10 pt letter scanned at 200 dpi: the pipeline keeps it as a G4 TIFF."""
    letter = documents.text_page(31, lines=36)
    page = process_page(documents.scan(letter, dpi=200), source="scanner", source_dpi=200, options=Options(find="off"))
    assert page.media_type == "image/tiff"
    return _stored_page(page.data, page.media_type, page.width, page.height)


@pytest.fixture(scope="module")
def photo_page() -> StoredPage:
    """A page with a colour photograph scanned at 200 dpi: the pipeline keeps it as WebP."""
    doc = documents.photo_page(32)
    page = process_page(
        documents.scan(doc, dpi=200, gray=False), source="scanner", source_dpi=200, options=Options(find="off")
    )
    assert page.media_type == "image/webp"
    return _stored_page(page.data, page.media_type, page.width, page.height)


def _store(storage: DiskStorage, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    storage.append(sha, len(data), 0, data)
    assert storage.complete(sha)
    return sha


@pytest.fixture
def storage(tmp_path: Path) -> DiskStorage:
    """A real document storage in a temporary folder."""
    return DiskStorage(tmp_path / "storage")


@pytest.fixture
def renderer(storage: DiskStorage, tmp_path: Path) -> PageRenderer:
    """A renderer over that storage with its own cache folder."""
    return PageRenderer(storage, tmp_path / "cache")


def _decoded(rendered: RenderedPage) -> PilImage.Image:
    with PilImage.open(io.BytesIO(rendered.data)) as picture:
        picture.load()
        decoded = picture.copy()
        decoded.format = picture.format
        return decoded


def test_a_g4_page_renders_to_the_same_pixels_as_a_1_bit_png(
    storage: DiskStorage, renderer: PageRenderer, text_page: StoredPage
) -> None:
    _store(storage, text_page.data)
    rendered = renderer.render(text_page.sha256, text_page.media_type)
    assert rendered.media_type == "image/png" and not rendered.cached
    shown = _decoded(rendered)
    assert shown.format == "PNG" and shown.mode == "1"
    assert shown.size == (text_page.width, text_page.height)
    with PilImage.open(io.BytesIO(text_page.data)) as source:
        assert source.format == "TIFF"
        assert np.array_equal(np.asarray(shown), np.asarray(source)), "lossless: every pixel as stored"

    again = renderer.render(text_page.sha256, text_page.media_type, "full")
    assert again == RenderedPage(rendered.data, "image/png", cached=True)


def test_a_g4_page_thumbnail_is_a_small_gray_png(
    storage: DiskStorage, renderer: PageRenderer, text_page: StoredPage
) -> None:
    _store(storage, text_page.data)
    rendered = renderer.render(text_page.sha256, text_page.media_type, "thumb")
    assert rendered.media_type == "image/png"
    thumb = _decoded(rendered)
    assert thumb.width == THUMB_WIDTH
    assert thumb.height == round(text_page.height * THUMB_WIDTH / text_page.width)
    gray = np.asarray(thumb.convert("L"))
    assert gray.min() < 100 and np.median(gray) > 240, "dark text on white paper"
    assert len(rendered.data) < 40_000
    assert renderer.render(text_page.sha256, text_page.media_type, "thumb").cached


def test_a_photo_page_is_shown_as_its_own_webp_and_thumbnailed_as_webp(
    storage: DiskStorage, renderer: PageRenderer, photo_page: StoredPage
) -> None:
    _store(storage, photo_page.data)
    full = renderer.render(photo_page.sha256, photo_page.media_type)
    assert full.media_type == "image/webp"
    assert full.data == photo_page.data, "no second lossy encoding of a page the browser can show"
    picture = _decoded(full)
    assert picture.size == (photo_page.width, photo_page.height) and picture.mode == "RGB"

    thumb = renderer.render(photo_page.sha256, photo_page.media_type, "thumb")
    assert thumb.media_type == "image/webp" and not thumb.cached
    small = _decoded(thumb)
    assert small.format == "WEBP" and small.mode == "RGB"
    assert small.size == (THUMB_WIDTH, round(photo_page.height * THUMB_WIDTH / photo_page.width))
    again = renderer.render(photo_page.sha256, photo_page.media_type, "thumb")
    assert again.cached and again.data == thumb.data


def test_a_jpeg_page_is_thumbnailed_too(storage: DiskStorage, renderer: PageRenderer) -> None:
    gray = np.asarray(documents.at_dpi(documents.id_card(33), 200)[:, :, 1])
    encoded = encode_tone(np.ascontiguousarray(gray), 200, limit=150_000, fmt="jpeg")
    sha = _store(storage, encoded.data)
    full = renderer.render(sha, "image/jpeg")
    assert full.media_type == "image/jpeg" and full.data == encoded.data
    thumb = _decoded(renderer.render(sha, "image/jpeg", "thumb"))
    assert thumb.format == "WEBP" and thumb.width == THUMB_WIDTH
    pixels = np.asarray(thumb, dtype=np.int16)
    assert np.abs(pixels[:, :, 0] - pixels[:, :, 2]).max() <= 8, "a gray page stays gray"


def test_the_cache_is_private_keyed_by_size_and_a_damaged_entry_is_made_again(
    storage: DiskStorage, renderer: PageRenderer, text_page: StoredPage
) -> None:
    _store(storage, text_page.data)
    full = renderer.render(text_page.sha256, text_page.media_type, "full")
    renderer.render(text_page.sha256, text_page.media_type, "thumb")
    path = renderer.cache_path(text_page.sha256, "full")
    assert text_page.sha256 in path.name and path != renderer.cache_path(text_page.sha256, "thumb")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [name for name in os.listdir(path.parent) if name.startswith(".")], "no temp files left"

    path.write_bytes(path.read_bytes()[:1000])  # as if the server had died while writing it
    remade = renderer.render(text_page.sha256, text_page.media_type, "full")
    assert remade == RenderedPage(full.data, "image/png", cached=False)
    fresh = PageRenderer(storage, renderer.cache_dir)  # another server process sharing the cache
    assert fresh.render(text_page.sha256, text_page.media_type).cached


def test_no_plaintext_image_bytes_are_in_the_cache(
    storage: DiskStorage, renderer: PageRenderer, text_page: StoredPage, photo_page: StoredPage
) -> None:
    shown: list[bytes] = []
    for page in (text_page, photo_page):
        _store(storage, page.data)
        shown += [renderer.render(page.sha256, page.media_type, size).data for size in ("full", "thumb")]
    entries = [path for path in renderer.cache_dir.rglob("*") if path.is_file()]
    assert len(entries) == 4
    for path in entries:
        content = path.read_bytes()
        assert keys.is_sealed(content)
        for magic in (b"\x89PNG", b"WEBP", b"II*\x00", b"image/"):
            assert magic not in content, f"{path.name} holds {magic!r}"
        for data in shown:
            middle = len(data) // 2
            assert data[middle : middle + 32] not in content, f"{path.name} holds rendered bytes"

    fresh = PageRenderer(storage, renderer.cache_dir)  # another process with the same key reads them
    assert fresh.render(photo_page.sha256, photo_page.media_type, "thumb") == RenderedPage(
        shown[3], "image/webp", cached=True
    )
    other = PageRenderer(storage, renderer.cache_dir, keys.Keyring((keys.new_key(),)))  # the key rotated away
    remade = other.render(text_page.sha256, text_page.media_type)
    assert remade == RenderedPage(shown[0], "image/png", cached=False)
    assert other.render(text_page.sha256, text_page.media_type).cached


def test_pages_rendered_at_once_by_many_requests_are_all_correct(
    storage: DiskStorage, renderer: PageRenderer, text_page: StoredPage
) -> None:
    _store(storage, text_page.data)
    results: list[RenderedPage] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def request(size: str) -> None:
        start.wait()
        try:
            results.append(renderer.render(text_page.sha256, text_page.media_type, size))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=request, args=("full" if n % 2 else "thumb",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    fulls = [r for r in results if r.media_type == "image/png" and _decoded(r).mode == "1"]
    thumbs = [r for r in results if r not in fulls]
    assert len(fulls) == 3 and len(thumbs) == 3
    assert len({r.data for r in fulls}) == 1 and len({r.data for r in thumbs}) == 1
    assert sum(not r.cached for r in fulls) == 1 and sum(not r.cached for r in thumbs) == 1, "made once each"


def test_unknown_or_incomplete_documents_are_not_found(storage: DiskStorage, renderer: PageRenderer) -> None:
    data = os.urandom(5000)
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(NotFoundError) as raised:
        renderer.render(sha, "image/tiff")
    assert raised.value.status == 404 and "tidak ditemukan" in raised.value.message
    storage.append(sha, len(data), 0, data[:1000])  # an upload still under way
    with pytest.raises(NotFoundError):
        renderer.render(sha, "image/tiff")
    for bad in ("../../etc/passwd", sha.upper(), sha[:-1]):
        with pytest.raises(NotFoundError):
            renderer.render(bad, "image/tiff")


def test_undecodable_pages_are_a_422_with_a_message_not_a_traceback(
    storage: DiskStorage, renderer: PageRenderer, text_page: StoredPage
) -> None:
    garbage = _store(storage, b"bukan gambar " * 500)
    truncated = _store(storage, text_page.data[: len(text_page.data) // 2])
    header_only = _store(storage, b"RIFF\x00\x10\x00\x00WEBPVP8 " + bytes(64))
    for sha, media_type in ((garbage, "image/tiff"), (truncated, "image/tiff"), (header_only, "image/webp")):
        for size in ("full", "thumb"):
            with pytest.raises(UnreadablePageError) as raised:
                renderer.render(sha, media_type, size)
            assert raised.value.status == 422 and raised.value.code == "unreadable_page"
            assert "rusak" in raised.value.message and "Traceback" not in str(raised.value)
            assert not renderer.cache_path(sha, "full").exists()


def test_unsupported_media_types_and_sizes_are_refused(
    storage: DiskStorage, renderer: PageRenderer, text_page: StoredPage
) -> None:
    _store(storage, text_page.data)
    with pytest.raises(UnreadablePageError) as raised:
        renderer.render(text_page.sha256, "application/pdf")
    assert raised.value.status == 422 and raised.value.code == "unsupported_media_type"
    with pytest.raises(ServerError) as refused:
        renderer.render(text_page.sha256, text_page.media_type, "huge")
    assert refused.value.status == 400 and "Ukuran" in refused.value.message


def test_viewer_script_parses() -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node is not None, "node is missing: installers/debian-deps.sh installs it (make test runs that)"
    subprocess.run([node, "--check", str(STATIC / "viewer.js")], check=True, capture_output=True, timeout=60)


_TEST_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><link rel="stylesheet" href="viewer.css"></head><body>
<input id="field">
<section class="viewer" data-viewer>
  <a class="viewer-thumb" href="p0.png" data-full="p0.png" data-label="Persyaratan A, hal. 1">
    <img src="p0.png" alt="A1"></a>
  <a class="viewer-thumb" href="p1.png" data-full="p1.png" data-label="Persyaratan A, hal. 2">
    <img src="p1.png" alt="A2"></a>
  <a class="viewer-thumb" href="p2.png" data-full="p2.png" data-label="Persyaratan B, hal. 1">
    <img src="p2.png" alt="B1"></a>
  <figure class="viewer-stage">
    <img class="viewer-image" alt=""><figcaption class="viewer-caption"></figcaption>
  </figure>
  <button type="button" data-viewer-action="prev">Sebelumnya</button>
  <button type="button" data-viewer-action="next">Berikutnya</button>
</section>
<pre id="log"></pre>
<script src="viewer.js"></script>
<script>
window.addEventListener("load", function () {
  var log = [];
  var viewer = document.querySelector("[data-viewer]");
  function key(name, target) {
    (target || document.body).dispatchEvent(new KeyboardEvent("keydown", {key: name, bubbles: true, cancelable: true}));
  }
  function state() {
    return [document.querySelector(".viewer-caption").textContent,
      document.querySelector(".viewer-image").getAttribute("src"),
      viewer.getAttribute("data-zoom"), viewer.getAttribute("data-rotation"),
      document.querySelector("[data-viewer-action=prev]").disabled].join("|");
  }
  log.push(state());
  key("ArrowRight"); log.push(state());
  key("r"); log.push(state());
  key("+"); log.push(state());
  key("0"); log.push(state());
  key("ArrowRight", document.getElementById("field")); log.push(state());
  document.querySelectorAll(".viewer-thumb")[2].click(); log.push(state());
  key("PageUp"); log.push(state());
  document.getElementById("log").textContent = log.join("\\n");
});
</script>
</body></html>
"""


def test_viewer_pages_zooms_and_rotates_in_chromium(tmp_path: Path) -> None:
    """A smoke test on a standalone page; the back office's browser tests drive the real pages."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium is not None, "chromium is missing: installers/debian-deps.sh installs it (make test runs that)"
    for name in ("viewer.js", "viewer.css"):
        shutil.copy(STATIC / name, tmp_path / name)
    for number, size in enumerate(((300, 400), (400, 300), (200, 260))):
        PilImage.new("L", size, 120 + 40 * number).save(tmp_path / f"p{number}.png")
    (tmp_path / "viewer.html").write_text(_TEST_PAGE, encoding="utf-8")
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            "--dump-dom",
            (tmp_path / "viewer.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    log = done.stdout.split('<pre id="log">', 1)[1].split("</pre>", 1)[0].split("\n")
    rows = [row.split("|") for row in log]
    assert rows[0][:2] == ["Persyaratan A, hal. 1 \u2014 Halaman 1 dari 3", "p0.png"] and rows[0][4] == "true"
    assert rows[1][:2] == ["Persyaratan A, hal. 2 \u2014 Halaman 2 dari 3", "p1.png"] and rows[1][4] == "false"
    fit = int(rows[1][2])
    assert rows[2][3] == "90" and int(rows[2][2]) != fit, "rotated and fitted to the width again"
    assert int(rows[3][2]) > int(rows[2][2]), "zoomed in"
    assert rows[4][2:4] == rows[2][2:4], "0 fits again"
    assert rows[5] == rows[4], "keys typed in a field are the field's"
    assert rows[6][:2] == ["Persyaratan B, hal. 1 \u2014 Halaman 3 dari 3", "p2.png"] and rows[6][3] == "0"
    assert rows[7][1] == "p1.png"
