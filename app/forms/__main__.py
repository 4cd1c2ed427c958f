"""`python -m app.forms`: validate answers against a form schema, or list the forms, printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.forms.engine import evaluate
from app.forms.registry import default_registry


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="python -m app.forms", description="Loket form schemas and checks.")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a JSON answers file against a form")
    validate.add_argument("form", help="form id (F-1.01) or form@version (F-1.01@PMDN109-2019)")
    validate.add_argument("file", help="JSON file with the answers, or - for standard input")
    commands.add_parser("list", help="list every form and version")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; exit 0 when it ran (findings included), 2 on bad usage."""
    args = build_parser().parse_args(argv)
    registry = default_registry()
    if args.command == "list":
        rows = [{"form": s.form, "version": s.version, "key": s.key, "title": s.title} for s in registry]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    try:
        schema = registry.get(args.form)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    try:
        answers: object = json.loads(text)
    except json.JSONDecodeError:
        answers = None  # reported by the engine as malformed answers
    result = evaluate(schema, answers).to_dict()
    del result["visible"]
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
