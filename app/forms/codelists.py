"""Code lists (SIAK-compatible numeric codes and their labels), loaded from resources/forms/codelists.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import load_yaml
from app.datamodels import validate
from app.forms.errors import SchemaError
from app.forms.files import CodeListsFile

CodeValue = int | str


@dataclass(frozen=True)
class Code:
    """One entry of a code list."""

    code: CodeValue
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeList:
    """A named list of codes, e.g. `agama` or `f102_jenis_permohonan`."""

    id: str
    title: str
    codes: tuple[Code, ...]
    source: str = ""

    def label(self, code: object) -> str | None:
        """Return the label of a code, or None if the code is not in the list."""
        for entry in self.codes:
            if entry.code == code and type(entry.code) is type(code):
                return entry.label
        return None

    def has(self, code: object) -> bool:
        """Tell whether `code` is one of this list's codes (same type: 1 is not "1")."""
        return self.label(code) is not None

    def describe(self, limit: int = 8) -> str:
        """A short 'code = label' listing for messages."""
        shown = ", ".join(f"{c.code} = {c.label}" for c in self.codes[:limit])
        return shown + (", ..." if len(self.codes) > limit else "")


@dataclass(frozen=True)
class CodeLists:
    """All code lists of one version."""

    version: str
    lists: Mapping[str, CodeList]

    def get(self, list_id: str) -> CodeList | None:
        """Return one list by id."""
        return self.lists.get(list_id)


def load_codelists(path: Path) -> CodeLists:
    """Load and validate the code lists file (structure: app.forms.files.CodeListsFile); raise SchemaError
    naming the file, the list and the code."""
    where = path.name
    data = validate(CodeListsFile, load_yaml(path, SchemaError), file=where, error=SchemaError)
    lists: dict[str, CodeList] = {}
    for list_id, body in data.lists.items():
        seen: set[CodeValue] = set()
        for i, item in enumerate(body.codes):
            if item.code in seen:
                raise SchemaError(where, f"lists.{list_id}.codes[{i}]", f"code {item.code!r} appears twice")
            seen.add(item.code)
        codes = tuple(Code(item.code, item.label, item.aliases) for item in body.codes)
        lists[list_id] = CodeList(list_id, list_id if body.title is None else body.title, codes, body.source)
    return CodeLists(data.version, lists)
