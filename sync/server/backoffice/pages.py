"""Scanned pages as browsers show them: bilevel TIFF pages as 1-bit PNG, photo pages as WebP, cached on disk.

Browsers cannot display TIFF, so a page is decoded from the stored blob with Pillow on its first view
and kept in a cache folder (named by the page's SHA-256 and the size asked for), sealed with the server
key like the stored scans (AES-256-GCM, bound to the entry's name). Pages a browser can
show as they are (WebP, JPEG, PNG) are passed through at full size after a check that they decode,
so a photo page is not made worse by a second lossy encoding. The work is CPU-bound: the route calls
`PageRenderer.render` in a threadpool.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import re
import tempfile
import threading
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image as PilImage
from PIL import UnidentifiedImageError

from sync.server import keys
from sync.server.errors import NotFoundError, ServerError, UnavailableError
from sync.server.storage import DocumentStorage

log = logging.getLogger("loket.sync.server")

Size = Literal["full", "thumb"]
SIZES: tuple[Size, ...] = ("full", "thumb")
THUMB_WIDTH = 240
MAX_PIXELS = 80_000_000
# Bump when the rendering changes, so pages rendered the old way are not served from the cache.
RENDER_VERSION = 1
# What outposts store (app/documents/encode.py MEDIA_TYPES): G4 TIFF or 1-bit PNG for text pages,
# WebP (default), AVIF or JPEG for photo pages.
ACCEPTED_MEDIA_TYPES = frozenset({"image/tiff", "image/png", "image/webp", "image/jpeg", "image/avif"})
_PILLOW_FORMATS = frozenset({"TIFF", "PNG", "WEBP", "JPEG", "AVIF"})
# Formats every supported browser shows as they are, with the media type to serve them under.
_SHOWN_AS_IS = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
_OUTPUT_TYPES = frozenset({"image/png", "image/webp", "image/jpeg"})
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FULL_WEBP_QUALITY = 90
_THUMB_WEBP_QUALITY = 80
_THUMB_GRAYS = 16
_LOCK_STRIPES = 64
_CACHE_CONTEXT = b"loket-render-cache\0"


class UnreadablePageError(ServerError):
    """A stored page that is not an image the server can read (damaged, or of a type it does not know)."""

    status = 422
    code = "unreadable_page"


@dataclass(frozen=True)
class RenderedPage:
    """A page's bytes for the browser, their media type, and whether they came from the cache."""

    data: bytes
    media_type: str
    cached: bool


class PageRenderer:
    """Turns stored page blobs into browser images, once per page and size, cached (sealed) under cache_dir.

    `keyring` seals the cache entries; by default the process's server key ring (the document storage
    activates it when it opens). An entry no key of the ring opens (after `keys rotate`) is rendered again.
    """

    def __init__(self, storage: DocumentStorage, cache_dir: Path, keyring: keys.Keyring | None = None) -> None:
        self.storage = storage
        self.cache_dir = cache_dir
        self.keyring = keyring or keys.active()
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Striped locks: a page rendered by two requests at once is made once; the memory they take is bounded.
        self._locks = tuple(threading.Lock() for _ in range(_LOCK_STRIPES))

    def cache_path(self, sha256: str, size: Size) -> Path:
        """Where the rendering of one page at one size is kept."""
        return self.cache_dir / sha256[:2] / f"{sha256}-{size}-v{RENDER_VERSION}"

    def render(self, sha256: str, media_type: str, size: str = "full") -> RenderedPage:
        """The page as a browser image: "full" size or a "thumb" about THUMB_WIDTH pixels wide."""
        if size not in SIZES:
            raise ServerError(f"Ukuran halaman tidak dikenal: {size!r}; gunakan 'full' atau 'thumb'.", code="bad_size")
        chosen: Size = "full" if size == "full" else "thumb"
        if not _SHA256.fullmatch(sha256):
            raise _not_found(sha256)
        if media_type not in ACCEPTED_MEDIA_TYPES:
            raise UnreadablePageError(
                f"Jenis berkas halaman {media_type!r} tidak dapat ditampilkan.",
                {"sha256": sha256, "media_type": media_type},
                code="unsupported_media_type",
            )
        path = self.cache_path(sha256, chosen)
        hit = self._read_cached(path)
        if hit is not None:
            return hit
        with self._locks[zlib.crc32(path.name.encode()) % _LOCK_STRIPES]:
            hit = self._read_cached(path)  # another request may have made it while this one waited
            if hit is not None:
                return hit
            data, output_type = _render(self._blob(sha256), chosen, sha256)
            self._keep(path, data, output_type)
        return RenderedPage(data, output_type, cached=False)

    def _blob(self, sha256: str) -> bytes:
        try:
            if not self.storage.complete(sha256):
                raise _not_found(sha256)
            with self.storage.open(sha256) as handle:
                return handle.read()
        except FileNotFoundError:
            raise _not_found(sha256) from None
        except OSError as exc:
            log.warning("stored page %s unreadable: %s", sha256[:12], exc.strerror or type(exc).__name__)
            raise UnavailableError("Penyimpanan dokumen tidak dapat dibaca saat ini; coba lagi nanti.") from None

    def _keep(self, path: Path, data: bytes, media_type: str) -> None:
        """Write a rendering to the cache, sealed: a temp file (mode 0600) renamed into place; failures only cost
        speed."""
        sealed = self.keyring.seal(_header(media_type, len(data)) + data, _cache_context(path))
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".render-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(sealed)
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError as exc:
            log.warning("page rendering not cached: %s", exc.strerror or type(exc).__name__)

    def _read_cached(self, path: Path) -> RenderedPage | None:
        """A cached rendering, or None when there is none or it is damaged, written before the cache was sealed,
        or sealed with a key no longer in the ring: each is rendered again (and replaced)."""
        try:
            sealed = path.read_bytes()
        except OSError:
            return None
        if not keys.is_sealed(sealed):
            return None
        try:
            content = self.keyring.open(sealed, _cache_context(path))
        except keys.KeyProblemError:
            return None
        return _parse_cached(content)


def _cache_context(path: Path) -> bytes:
    """What a cache entry is bound to: its name (page hash, size, render version), so entries cannot be swapped."""
    return _CACHE_CONTEXT + path.name.encode("ascii")


def _not_found(sha256: str) -> NotFoundError:
    return NotFoundError("Halaman dokumen tidak ditemukan di server.", {"sha256": sha256})


def _header(media_type: str, length: int) -> bytes:
    return f"{media_type} {length}\n".encode("ascii")


def _parse_cached(content: bytes) -> RenderedPage | None:
    """A cache entry's opened content (media type, length, the bytes), or None when it does not add up."""
    head, newline, data = content.partition(b"\n")
    if not newline:
        return None
    media_type, _space, length = head.decode("ascii", "replace").partition(" ")
    if media_type not in _OUTPUT_TYPES or not length.isdigit() or int(length) != len(data) or not data:
        return None
    return RenderedPage(data, media_type, cached=True)


def _unreadable(sha256: str, why: str) -> UnreadablePageError:
    return UnreadablePageError(
        "Berkas halaman ini rusak atau bukan gambar yang dapat dibaca; minta loket mengirim ulang pindaiannya.",
        {"sha256": sha256, "reason": why},
    )


@functools.cache
def _readable_formats() -> tuple[str, ...]:
    """The page formats this Pillow build can open (AVIF needs a recent one); others are never tried."""
    PilImage.init()
    return tuple(sorted(name for name in _PILLOW_FORMATS if name in PilImage.OPEN))


def _render(blob: bytes, size: Size, sha256: str) -> tuple[bytes, str]:
    """Decode a stored page and encode it for the browser; every decoding fault is an UnreadablePageError."""
    try:
        with warnings.catch_warnings():
            # Damaged metadata is Pillow's warning; damaged pixels are its error, caught below.
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", PilImage.DecompressionBombWarning)
            picture = PilImage.open(io.BytesIO(blob), formats=_readable_formats())
            with picture:
                if picture.width * picture.height > MAX_PIXELS:
                    raise _unreadable(sha256, f"{picture.width}x{picture.height} pixels")
                source_format = str(picture.format)
                picture.load()
                image = _workable(picture)
    except UnreadablePageError:
        raise
    except UnidentifiedImageError:
        raise _unreadable(sha256, "not an image") from None
    except (OSError, SyntaxError, ValueError, EOFError, PilImage.DecompressionBombError) as exc:
        raise _unreadable(sha256, f"{type(exc).__name__}: {exc}") from None
    except PilImage.DecompressionBombWarning as exc:
        raise _unreadable(sha256, str(exc)) from None
    bilevel = image.mode == "1"
    if size == "full":
        if source_format in _SHOWN_AS_IS:
            return blob, _SHOWN_AS_IS[source_format]
        if bilevel:
            return _png(image), "image/png"
        return _webp(image, _FULL_WEBP_QUALITY), "image/webp"
    small = _thumbnail(image.convert("L") if bilevel else image)
    if bilevel:
        # Text in sixteen grays: antialiased, crisp, and half the bytes of a full gray PNG.
        return _png(small.quantize(_THUMB_GRAYS), bits=4), "image/png"
    return _webp(small, _THUMB_WEBP_QUALITY), "image/webp"


def _workable(picture: PilImage.Image) -> PilImage.Image:
    """The decoded page in a mode the encoders take: 1, L, RGB or RGBA."""
    if picture.mode in ("1", "L", "RGB", "RGBA"):
        return picture.copy()
    if picture.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        return picture.convert("L")  # not made by outposts; clipped rather than refused
    has_alpha = picture.mode in ("LA", "PA", "RGBa", "La") or "transparency" in picture.info
    return picture.convert("RGBA" if has_alpha else "RGB")


def _thumbnail(image: PilImage.Image) -> PilImage.Image:
    if image.width <= THUMB_WIDTH:
        return image
    height = max(1, round(image.height * THUMB_WIDTH / image.width))
    return image.resize((THUMB_WIDTH, height), PilImage.Resampling.LANCZOS, reducing_gap=2.0)


def _png(image: PilImage.Image, bits: int | None = None) -> bytes:
    buffer = io.BytesIO()
    if bits is None:
        image.save(buffer, "PNG", compress_level=6)
    else:
        image.save(buffer, "PNG", optimize=True, bits=bits)
    return buffer.getvalue()


def _webp(image: PilImage.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=quality, method=4)
    return buffer.getvalue()
