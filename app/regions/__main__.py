"""Command line: `python -m app.regions CODE` describes a region as JSON; `--search QUERY` lists matches."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from app.findings import Finding
from app.regions.codes import LEVELS, Level, dotted_code
from app.regions.index import RegionIndex, default_index
from app.regions.model import Region


def _brief(region: Region) -> dict[str, str]:
    """Return `{"code", "name", "level"}` of a region."""
    return {"code": region.code, "name": region.name, "level": region.level}


def describe(index: RegionIndex, code: str) -> dict[str, object]:
    """Return the JSON object for one code: the region, its path and children, or its errors."""
    dotted = dotted_code(code)
    if dotted is None:
        finding = Finding(
            path="code",
            code="region_format",
            severity="error",
            message=(
                "Kode wilayah tidak sesuai format. Gunakan 2, 4, 6 atau 10 angka, dengan atau tanpa titik, "
                "misalnya 35, 35.21, 35.21.01 atau 35.21.01.2001."
            ),
        )
        return {"code": code, "errors": [finding.to_dict()]}
    region = index.get(dotted)
    if region is not None:
        out: dict[str, object] = dict(_brief(region))
        out["path"] = [_brief(r) for r in index.path(dotted)]
        out["children"] = [_brief(r) for r in index.children(dotted)]
        if region.postal_code is not None:
            out["postal_code"] = region.postal_code
        return out
    retired = index.historical(dotted)
    if retired is not None:
        path: list[dict[str, str]] = []
        prefix = ""
        for part in dotted.split("."):
            prefix = f"{prefix}.{part}" if prefix else part
            current = index.get(prefix)
            older = index.historical(prefix)
            if current is not None:
                path.append(_brief(current))
            elif older is not None:
                path.append({"code": older.code, "name": older.name, "level": older.level})
        return {
            "code": retired.code,
            "name": retired.name,
            "level": retired.level,
            "path": path,
            "children": [{"code": h.code, "name": h.name, "level": h.level} for h in index.historical_children(dotted)],
            "historical": retired.to_dict(),
        }
    finding = Finding(
        path="code",
        code="region_unknown",
        severity="error",
        message=(
            f"Kode wilayah {dotted} tidak ada dalam daftar kode wilayah Kemendagri yang terpasang "
            f"({index.edition or 'edisi terbaru'}), juga tidak dalam daftar kode lama. Periksa kembali angkanya."
        ),
    )
    return {"code": code, "errors": [finding.to_dict()]}


def search_results(index: RegionIndex, query: str, level: Level | None, parent: str | None, limit: int) -> list[object]:
    """Return the JSON list for a search: each match with its path from the provinsi."""
    results: list[object] = []
    for region in index.search(query, level=level, parent=parent, limit=limit):
        item: dict[str, object] = dict(_brief(region))
        item["path"] = [_brief(r) for r in index.path(region.code)]
        if region.postal_code is not None:
            item["postal_code"] = region.postal_code
        results.append(item)
    return results


def _parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m app.regions",
        description="Look up an Indonesian region code (Kemendagri) or search region names; prints JSON.",
    )
    parser.add_argument("code", nargs="?", help="region code, dotted or not: 35.21.01.2001 or 3521012001")
    parser.add_argument("--search", metavar="QUERY", help='search names instead, e.g. "wonosari sine"')
    parser.add_argument("--level", choices=LEVELS, help="with --search: only this level")
    parser.add_argument("--parent", metavar="CODE", help="with --search: only below this region")
    parser.add_argument("--limit", type=int, default=20, help="with --search: at most this many (default 20)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status (0, or 2 for bad usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.code is None) == (args.search is None):
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: give either a CODE or --search QUERY", file=sys.stderr)
        return 2
    index = default_index()
    if args.search is not None:
        output: object = search_results(index, args.search, args.level, args.parent, args.limit)
    else:
        output = describe(index, args.code)
    json.dump(output, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
