"""The structure of the shipped data files, declared once with pydantic, and its faults told as DataFileError.

A loader declares what an entry holds as a pydantic model or dataclass with `DATA_FILE` as its config
(unknown keys refused, nothing coerced that the file did not say) and calls `validate`. The first
fault becomes the loader's DataFileError naming the file, the entry and the field, e.g.
`templates.yaml: templates.f4_ngawi.layouts.F-1.01.orientation: must be 'portrait' or 'landscape', not 'miring'`.
Checks across entries (ids used twice, references) stay in the loaders.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ConfigDict, TypeAdapter, ValidationError

from app.datafiles import DataFileError

T = TypeVar("T")

DATA_FILE = ConfigDict(extra="forbid")
"""The config of every data-file model: a key the model does not declare is an error (a typo)."""


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def validate(
    kind: type[T], data: object, *, file: str, entry: str = "", error: type[DataFileError] = DataFileError
) -> T:
    """`data` as a `kind`; `error(file, entry.path.to.field, problem)` for the first fault."""
    try:
        result: T = _adapter(kind).validate_python(data)
    except ValidationError as exc:
        raise fault(exc, data, file, entry, error) from None
    return result


def fault(
    exc: ValidationError, data: object, file: str, entry: str, error: type[DataFileError] = DataFileError
) -> DataFileError:
    """The first error of validating `data` as a DataFileError naming the file, the entry and the field."""
    detail = exc.errors(include_url=False)[0]
    loc = list(detail["loc"])
    kind = detail["type"]
    if kind in ("missing", "extra_forbidden", "unexpected_keyword_argument") and loc:
        field = loc.pop()  # the key is named in the problem; the entry is the mapping that lacks or has it
        return error(file, _path(entry, loc, data), _problem(kind, str(field), detail))
    return error(file, _path(entry, loc, data), _problem(kind, "", detail))


def _path(entry: str, loc: list[int | str], data: object) -> str:
    """`a.b[0].c`: list positions in brackets (an item with an `id` by its id), mapping keys after dots."""
    path = entry
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            node = node[part] if part < len(node) else None
            named = node.get("id") if isinstance(node, dict) else None
            path += f".{named}" if isinstance(named, str) and named else f"[{part}]"  # templates.ngawi
            continue
        path = f"{path}.{part}" if path else str(part)
        node = node.get(part) if isinstance(node, dict) else None
    return path


def _problem(kind: str, key: str, detail: Any) -> str:
    """What is wrong, in words a data-file editor can act on."""
    given = detail.get("input")
    ctx = detail.get("ctx") or {}
    simple = {
        "missing": f"needs '{key}'",
        "extra_forbidden": f"unknown key '{key}' (check its spelling against the comment at the top of the file)",
        "bool_type": f"must be true or false, not {given!r}",
        "bool_parsing": f"must be true or false, not {given!r}",
        "int_type": f"must be a whole number, not {given!r}",
        "int_parsing": f"must be a whole number, not {given!r}",
        "string_type": f"must be text, not {given!r}",
        "string_too_short": "must not be empty",
        "list_type": f"must be a list, not {given!r}",
        "tuple_type": f"must be a list, not {given!r}",
        "dict_type": "must be a mapping (key: value)",
        "model_type": "must be a mapping (key: value)",
        "dataclass_type": "must be a mapping (key: value)",
        "model_attributes_type": "must be a mapping (key: value)",
    }
    simple["unexpected_keyword_argument"] = simple["extra_forbidden"]
    if kind in simple:
        return simple[kind]
    if kind == "literal_error":
        return f"must be {ctx.get('expected', '')}, not {given!r}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)"
    bounds = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        return f"must be {bounds[kind]} {limit}, not {given!r}"
    if kind == "less_than":
        return f"must be less than {next(iter(ctx.values()), '')}, not {given!r}"
    if kind == "value_error":
        return str(ctx.get("error", detail.get("msg", "")))
    return str(detail.get("msg", kind))
