"""The service catalogue: the 43 layanan with forms, requirements, outputs, SLA and procedure."""

from __future__ import annotations

import threading

from app.catalog.checklist import ActiveReferral, ChecklistItem, checklist, eligibility, referrals, required_forms
from app.catalog.loader import CatalogError, read_catalog
from app.catalog.model import Catalog, Document, Office, Referral, Requirement, Service, Substitute, Waiver
from app.forms.registry import default_registry
from app.resources import resource_path

_default: Catalog | None = None
_lock = threading.Lock()


def load_catalog() -> Catalog:
    """The shipped catalogue (resources/catalog), validated against the form schemas, loaded once."""
    global _default  # noqa: PLW0603 - a process-wide cache of immutable data
    with _lock:
        if _default is None:
            _default = read_catalog(resource_path("catalog"), default_registry())
        return _default


__all__ = [
    "ActiveReferral",
    "Catalog",
    "CatalogError",
    "ChecklistItem",
    "Document",
    "Office",
    "Referral",
    "Requirement",
    "Service",
    "Substitute",
    "Waiver",
    "checklist",
    "eligibility",
    "load_catalog",
    "read_catalog",
    "referrals",
    "required_forms",
]
