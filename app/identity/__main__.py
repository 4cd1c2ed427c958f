"""Command line: `python -m app.identity VALUE...` checks each value and prints a JSON list of results.

Kinds with `--kind auto` (the default), decided per value:
- the text "belum-punya-nik" is a NIK (pending; accepted only with --allow-pending);
- letters and no digit at all: a name;
- after cleaning, 2, 4, 6 or 10 digits (dotted or not): a region code;
- anything else: a NIK (16 digits, or a faulty value whose findings then say what is wrong).
A Nomor KK is checked only with `--kind kk`: every well-formed KK number (issue day 01-31) is also a
well-formed NIK, so no digit tells the two apart and guessing would mislead.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence

from app.identity.kk import check_kk
from app.identity.name import check_name
from app.identity.nik import NIK_PENDING, check_nik
from app.identity.normalize import is_ascii_digits, normalize_identifier
from app.identity.region_code import check_region_code


def guess_kind(value: str) -> str:
    """Return the kind `--kind auto` checks a value as: "nik", "region" or "name"."""
    if value.strip().lower() == NIK_PENDING:
        return "nik"
    if any(c.isalpha() for c in value) and not any(c.isdigit() for c in value):
        return "name"
    digits = normalize_identifier(value)
    if is_ascii_digits(digits) and len(digits) in (2, 4, 6, 10):
        return "region"
    return "nik"


def check_value(
    value: str,
    kind: str,
    *,
    sex: int | None = None,
    birth_date: datetime.date | None = None,
    allow_pending: bool = False,
    legacy: bool = False,
) -> dict[str, object]:
    """Return the JSON object for one value checked as `kind` ("auto", "nik", "kk", "region" or "name")."""
    chosen = guess_kind(value) if kind == "auto" else kind
    if chosen == "kk":
        return check_kk(value).to_dict()
    if chosen == "region":
        return check_region_code(value).to_dict()
    if chosen == "name":
        return check_name(value, legacy=legacy).to_dict()
    return check_nik(value, sex=sex, birth_date=birth_date, allow_pending=allow_pending).to_dict()


def _birth_date(text: str) -> datetime.date:
    """Parse YYYY-MM-DD for argparse."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m app.identity",
        description="Check NIK, Nomor KK, region codes or names; prints a JSON list, one object per value.",
        epilog="Exit status 0 also when values have findings; 2 on bad usage.",
    )
    parser.add_argument("values", nargs="+", metavar="VALUE", help="values to check")
    parser.add_argument(
        "--kind",
        choices=("auto", "nik", "kk", "region", "name"),
        default="auto",
        help="how to read every value (default auto: see the module docstring)",
    )
    parser.add_argument("--sex", type=int, choices=(1, 2), help="recorded sex for NIK checks: 1 laki-laki, 2 perempuan")
    parser.add_argument("--birth-date", type=_birth_date, metavar="YYYY-MM-DD", help="recorded birth date")
    parser.add_argument("--allow-pending", action="store_true", help=f"accept {NIK_PENDING!r} as a NIK")
    parser.add_argument("--legacy", action="store_true", help="names: documents issued before 2022")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    args = _parser().parse_args(argv)
    results = [
        check_value(
            value,
            args.kind,
            sex=args.sex,
            birth_date=args.birth_date,
            allow_pending=args.allow_pending,
            legacy=args.legacy,
        )
        for value in args.values
    ]
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
