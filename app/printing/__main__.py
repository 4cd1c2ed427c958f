"""`python -m app.printing DIR [--template ID] [--png]`: sample print-outs to check a template or take screenshots."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from app.forms import default_registry, load_form
from app.printing.errors import PrintingError
from app.printing.forms import render_form
from app.printing.receipt import render_receipt
from app.printing.samples import sample_f101_answers, sample_f201_birth_answers, sample_receipt
from app.printing.templates import available_templates


def main(argv: list[str] | None = None) -> int:
    """Write a sample receipt, filled F-1.01 and F-2.01, and every other form blank, as PDFs (and PNGs)."""
    parser = argparse.ArgumentParser(prog="python -m app.printing", description=main.__doc__)
    parser.add_argument("out", type=Path, nargs="?", help="folder for the PDFs")
    parser.add_argument("--template", default="pmdn109", help="print template id (default: pmdn109)")
    parser.add_argument("--png", action="store_true", help="also write the first page of each as PNG (150 dpi)")
    parser.add_argument("--list", action="store_true", help="list the print templates and stop")
    args = parser.parse_args(argv)
    if args.list:
        for choice in available_templates():
            print(f"{choice.id}\t{choice.paper}\t{choice.title}\t{', '.join(choice.forms)}")
        return 0
    if args.out is None:
        parser.error("give the folder for the PDFs")
    args.out.mkdir(parents=True, exist_ok=True)
    template: str = args.template
    jobs: dict[str, Callable[[], bytes]] = {
        "receipt": lambda: render_receipt(sample_receipt()),
        "print-f101": lambda: render_form(load_form("F-1.01"), sample_f101_answers(4), template, place="Sine"),
        "print-f201": lambda: render_form(load_form("F-2.01"), sample_f201_birth_answers(), template, place="Sine"),
    }
    for schema in default_registry():
        jobs.setdefault(f"print-{schema.form}-blank", partial(render_form, schema, {}, template))
    for name, job in jobs.items():
        started = time.perf_counter()
        try:
            pdf = job()
        except PrintingError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            continue
        elapsed = time.perf_counter() - started
        (args.out / f"{name}.pdf").write_bytes(pdf)
        if args.png:
            _write_png(pdf, args.out / f"{name}.png")
        print(f"{name}.pdf\t{len(pdf) // 1024} KiB\t{elapsed * 1000:.0f} ms")
    return 0


def _write_png(pdf: bytes, target: Path) -> None:
    import pypdfium2  # noqa: PLC0415 - only for --png

    document = pypdfium2.PdfDocument(pdf)
    try:
        # Print-outs are black and grey only: a grey-scale PNG is a third of the size.
        document[0].render(scale=150 / 72).to_pil().convert("L").save(target, optimize=True)
    finally:
        document.close()


if __name__ == "__main__":
    sys.exit(main())
