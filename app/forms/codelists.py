"""Code lists (SIAK-compatible numeric codes and their labels), loaded from resources/forms/codelists.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import load_yaml
from app.forms.errors import SchemaError

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
    """Load and validate the code lists file; raise SchemaError naming the file and list."""
    data = load_yaml(path, SchemaError)
    where = path.name
    if not isinstance(data, dict) or not isinstance(data.get("lists"), dict):
        raise SchemaError(where, "", "expected a mapping with 'version' and 'lists'")
    lists: dict[str, CodeList] = {}
    for list_id, body in data["lists"].items():
        entry = f"lists.{list_id}"
        if not isinstance(body, dict) or not isinstance(body.get("codes"), list) or not body["codes"]:
            raise SchemaError(where, entry, "a code list needs a non-empty 'codes' list")
        codes: list[Code] = []
        seen: set[CodeValue] = set()
        for i, item in enumerate(body["codes"]):
            if not isinstance(item, dict) or "code" not in item or "label" not in item:
                raise SchemaError(where, f"{entry}.codes[{i}]", "each code needs 'code' and 'label'")
            code = item["code"]
            if isinstance(code, bool) or not isinstance(code, int | str):
                raise SchemaError(where, f"{entry}.codes[{i}]", f"code must be a number or text, not {code!r}")
            if code in seen:
                raise SchemaError(where, f"{entry}.codes[{i}]", f"code {code!r} appears twice")
            seen.add(code)
            aliases = item.get("aliases") or []
            codes.append(Code(code, str(item["label"]), tuple(str(a) for a in aliases)))
        lists[str(list_id)] = CodeList(
            str(list_id), str(body.get("title", list_id)), tuple(codes), str(body.get("source", ""))
        )
    return CodeLists(str(data.get("version", "")), lists)
