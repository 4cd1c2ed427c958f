"""The service catalogue: the 43 layanan with forms, requirements, outputs, SLA and procedure."""

from __future__ import annotations

import functools

from app.catalog.checklist import ActiveReferral, ChecklistItem, checklist, eligibility, referrals, required_forms
from app.catalog.loader import CatalogError, read_catalog
from app.catalog.model import Catalog, Document, Office, Referral, Requirement, Service, Substitute, Waiver
from app.forms.registry import default_registry
from app.resources import resource_path


@functools.cache
def load_catalog() -> Catalog:
    """The shipped catalogue (resources/catalog), validated against the form schemas, loaded once."""
    return read_catalog(resource_path("catalog"), default_registry())


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
