"""Reference data published by the Dinas: signed catalogue and form-schema versions, kept per version.

`bundle` is the signed zip format, `signing` the Dinas reference key, `library` the versions an
installation holds (the newest for new applications, each application's own for its drafts), and
`changes` says in words what a new version changed.
"""

from app.reference.bundle import BundleError, Manifest, SignedBundle
from app.reference.changes import describe_changes
from app.reference.library import ReferenceData, ReferenceLibrary, activate, library_at, newest_catalog

__all__ = [
    "BundleError",
    "Manifest",
    "ReferenceData",
    "ReferenceLibrary",
    "SignedBundle",
    "activate",
    "describe_changes",
    "library_at",
    "newest_catalog",
]
