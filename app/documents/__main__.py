"""Command line: `python -m app.documents process FILE... --out DIR` runs the pipeline on image and
PDF files and prints one JSON object per page (ms, bytes, mode, dpi, checks); for support staff
checking a scanner's output, and for the benchmark. `read-kk FILE` and `read-ktp FILE` read a
Kartu Keluarga page or a KTP-el front and print the reading as JSON (fields, rows, confidence, problems)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from app.capture.errors import FileImportError
from app.capture.files import file_pages
from app.documents.encode import MEDIA_TYPES
from app.documents.paper import PAPERS
from app.documents.pipeline import Find, Options, process_page

_FIND: dict[str, Find] = {"file": "optional", "scanner": "off", "camera": "required"}
_EXTENSIONS = {media: name for name, media in MEDIA_TYPES.items()}
_SUFFIX = {"png": ".png", "g4": ".tif", "webp": ".webp", "avif": ".avif", "jpeg": ".jpg"}


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="python -m app.documents", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    process = commands.add_parser("process", help="process image/PDF files into stored-size pages")
    process.add_argument("files", nargs="+", type=Path, metavar="FILE")
    process.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the page files")
    process.add_argument(
        "--as",
        dest="treat_as",
        choices=sorted(_FIND),
        default="file",
        help="treat pictures as camera photos (the page must be found), scans (never look), or either (default)",
    )
    process.add_argument("--paper", choices=["auto", *sorted(PAPERS)], default="auto")
    process.add_argument("--dpi", type=int, default=None, help="output resolution (default: 200, cards 300)")
    process.add_argument("--format", choices=["webp", "avif", "jpeg"], default="webp", help="for gray/colour pages")
    process.add_argument("--bilevel", choices=["g4", "png", "auto"], default="g4", help="for text pages")
    for name, card in (("read-kk", "a Kartu Keluarga page"), ("read-ktp", "the front of a KTP-el")):
        read = commands.add_parser(name, help=f"read {card} (a stored page or any image) and print JSON")
        read.add_argument("file", type=Path, metavar="FILE")
    return parser


def read_card_file(path: Path, kind: Literal["kk", "ktp"]) -> int:
    """Print the card reader's JSON for one file; exit 1 when the page could not be read."""
    from app.cardread.reader import read_card  # noqa: PLC0415 - loads the OCR engine only for this command
    from app.cardread.report import reading_dict  # noqa: PLC0415

    try:
        reading = read_card(path, kind)
    except FileImportError as exc:
        print(json.dumps({"file": str(path), "error": exc.message, "detail": exc.detail}, ensure_ascii=False))
        return 1
    print(json.dumps({"file": str(path), **reading_dict(reading)}, ensure_ascii=False, indent=1))
    return 0 if reading.usable else 1


def run(args: argparse.Namespace) -> int:
    """Process every file; a bad file is reported and skipped. Exit 1 if any file failed."""
    args.out.mkdir(parents=True, exist_ok=True)
    options = Options(
        find=_FIND[args.treat_as],
        paper=None if args.paper == "auto" else PAPERS[args.paper],
        dpi=args.dpi,
        tone_format=args.format,
        bilevel_format=args.bilevel,
    )
    failures = 0
    for path in args.files:
        try:
            started = time.perf_counter()
            for raw in file_pages(path):
                decoded = (time.perf_counter() - started) * 1000.0
                # A PDF page is a document as it was saved: never cropped to something drawn on it.
                chosen = replace(options, find="off") if raw.source == "pdf" and args.treat_as == "file" else options
                page = process_page(raw.image, source=raw.source, source_dpi=raw.dpi, options=chosen)
                target = args.out / f"{path.stem}-p{raw.number}{_SUFFIX[_EXTENSIONS[page.media_type]]}"
                target.write_bytes(page.data)
                record = {
                    "file": str(path),
                    "page": raw.number,
                    "out": str(target),
                    "ms": round(page.ms, 1),
                    "decode_ms": round(decoded, 1),
                    "bytes": len(page.data),
                    "media_type": page.media_type,
                    "mode": page.mode,
                    "dpi": page.dpi,
                    "width": page.width,
                    "height": page.height,
                    "paper": page.paper,
                    "checks": page.store_fields()["checks"],
                    "reasons": [check.reason for check in page.failed],
                }
                print(json.dumps(record, ensure_ascii=False), flush=True)
                started = time.perf_counter()
        except FileImportError as exc:
            failures += 1
            print(json.dumps({"file": str(path), "error": exc.message, "detail": exc.detail}, ensure_ascii=False))
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    if args.command in ("read-kk", "read-ktp"):
        return read_card_file(args.file, "kk" if args.command == "read-kk" else "ktp")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
