"""The exception tree of the form-schema package."""

from __future__ import annotations

from app.datafiles import DataFileError


class SchemaError(DataFileError):
    """A schema or code-list file is invalid; names the file and the entry so it can be fixed."""
