"""`python -m app.catalog [CODE --answers FILE]`: the catalogue, or one service's checklist, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.catalog import checklist, eligibility, load_catalog, referrals, required_forms
from app.catalog.model import Service


def service_dict(service: Service) -> dict[str, object]:
    """A service as JSON."""
    return {
        "number": service.number,
        "code": service.code,
        "title": service.title,
        "group": service.group.id,
        "forms": list(service.form_ids),
        "requirements": [
            {
                "id": r.id,
                "title": r.title,
                "document": r.document.id,
                "copy": r.copy,
                "mandatory": r.mandatory if isinstance(r.mandatory, bool) else r.mandatory.source,
                "substitutes": [
                    {"id": s.id, "label": s.label, "documents": [d.id for d in s.documents]} for s in r.substitutes
                ],
                "note": r.note,
                "unless": [{"when": w.when.source, "reason": w.reason} for w in r.unless],
            }
            for r in service.requirements
        ],
        "eligibility": [
            {"id": e.id, "label": e.label, "check": e.check.source}
            | ({"referral_to": e.referral.office.id} if e.referral is not None else {})
            for e in service.eligibility
        ],
        "facts": [{"id": f.id, "label": f.label, "type": f.type} for f in service.facts],
        "outputs": [o.id for o in service.outputs],
        "sla_days": service.sla_days,
        "fee": service.fee,
        "legal_basis": [b.id for b in service.legal_basis],
        "steps": list(service.steps),
        "keywords": list(service.keywords),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the catalogue or a checklist; exit 0 when it ran, 2 on bad usage."""
    parser = argparse.ArgumentParser(prog="python -m app.catalog", description="The Loket service catalogue.")
    parser.add_argument("service", nargs="?", help="service code (e.g. LAHIR-WNI) or number (1-43)")
    parser.add_argument("--answers", help='JSON file {"forms": {"F-2.01": {...}}, "fakta": {...}}')
    args = parser.parse_args(argv)
    catalog = load_catalog()
    if args.service is None:
        if args.answers:
            parser.error("--answers needs a service code")
        out: dict[str, object] = {"version": catalog.version, "services": [service_dict(s) for s in catalog.services]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    try:
        service = catalog.service(args.service)
    except KeyError:
        print(f"error: unknown service {args.service!r}", file=sys.stderr)
        return 2
    answers: object = {}
    if args.answers:
        try:
            answers = json.loads(Path(args.answers).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: cannot read {args.answers}: {exc}", file=sys.stderr)
            return 2
        except json.JSONDecodeError as exc:
            print(f"error: {args.answers} is not JSON: {exc}", file=sys.stderr)
            return 2
    result = {
        "version": catalog.version,
        "service": service.code,
        "title": service.title,
        "forms": required_forms(service, answers),
        "requirements": [item.to_dict() for item in checklist(service, answers)],
        "eligibility": [f.to_dict() for f in eligibility(service, answers)],
        "referrals": [r.to_dict() for r in referrals(service, answers)],
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
