"""The faults printing tells the officer about, rooted in one class."""

from __future__ import annotations

from app.datafiles import DataFileError
from app.errors import KnownError


class PrintingError(KnownError):
    """Something the officer can fix before printing (a template choice, an application not yet submitted)."""


class PrintDataError(DataFileError):
    """A shipped printing data file (holidays, print templates) is invalid; names the file and the entry."""
