"""The structure of the shipped data files, declared once with pydantic, and its faults told as DataFileError.

A loader declares what an entry holds as a pydantic model or dataclass with `DATA_FILE` as its config
(unknown keys refused, nothing coerced that the file did not say) and calls `validate`. The first
fault becomes the loader's DataFileError naming the file, the entry and the field, e.g.
`templates.yaml: templates.f4_ngawi.layouts.F-1.01.orientation: must be 'portrait' or 'landscape', not 'miring'`.
Checks across entries (ids used twice, references) stay in the loaders.

The pieces below the validation are shared by the loaders whose files are pydantic models (app.catalog.files,
app.forms.files): `DataEntry`, the base of a file's mappings; `Read` and `TextRead`, small validators for
values a function reads; `Listed` (through `none_as_list`), `OptionalMapping`, `needed` and `given` for
lists, mappings and keys the file must give; `read_text` and `ident`, the text and id checks the files share.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import CoreSchema, core_schema

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


# -- pieces of the data-file models ----------------------------------------------------------------------


class DataEntry(BaseModel, frozen=True):
    """A mapping of a data file (subclass it with `frozen=True`); a key it does not declare is refused with
    every unknown key named: "unknown keys ['titel']".

    The validators are built when the first file is read, once for each whole file (`defer_build`), not
    once for each class when the module is imported: the catalogue and the forms load at every start."""

    model_config = ConfigDict(**DATA_FILE, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: object) -> object:
        if isinstance(data, dict) and not _keys(cls).issuperset(data):
            unknown = sorted(str(key) for key in data if key not in _keys(cls))
            raise ValueError(f"unknown keys {unknown}")
        return data


@functools.cache
def _keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys a file's mapping may have: the fields' names as the file spells them."""
    return frozenset(info.alias or name for name, info in model.model_fields.items())


@dataclass(frozen=True)
class Read:
    """`Annotated[T, Read(fn)]`: the file's value is read by `fn` alone, which returns a T or raises
    ValueError saying what is wrong. Unlike pydantic's PlainValidator it does not also build T's own schema
    (for serialising, never used here), which for the parsed types (app.forms.expr.Expression,
    app.forms.carry.Link: dataclasses holding syntax trees) was most of the time the models took to build
    at the first load."""

    read: Callable[[Any], Any]

    def __get_pydantic_core_schema__(self, source: object, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(self.read)


class TextRead(Read):
    """A text key: text as written is taken by pydantic's core, anything else goes to `read` (`read_text`
    reads a number as its digits); the one problem told is "must be text, not ..." (string_type above)."""

    def __get_pydantic_core_schema__(self, source: object, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.union_schema(
            [core_schema.str_schema(strict=True), core_schema.no_info_plain_validator_function(self.read)],
            mode="left_to_right",
            custom_error_type="string_type",
        )


def read_text(value: object) -> str:
    """A title, label or note: text (a number is read as its digits), kept as written."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"must be text, not {value!r}")
    return str(value)


_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def ident(what: str = "") -> Read:
    """A snake_case id; `what` names it in the problem: "field id 'Nama' must be snake_case" (left out:
    "id 'Nama' must be snake_case")."""
    prefix = f"{what} " if what else ""

    def check(value: object) -> str:
        if not isinstance(value, str) or not _IDENT.match(value):
            raise ValueError(f"{prefix}id {value!r} must be snake_case")
        return value

    return Read(check)


def none_as_list(value: object) -> object:
    """A list key written with nothing after it (`key:`, read as None) as an empty list."""
    return [] if value is None else value


def _given_mapping(value: object) -> object:
    if value is None:
        raise ValueError("must be a mapping (key: value)")
    return value


Listed = Annotated[tuple[T, ...], BeforeValidator(none_as_list)]
"""A list in the file; left out or empty (`key:` with nothing after it) is no items."""
OptionalMapping = Annotated[T | None, BeforeValidator(_given_mapping)]
"""A mapping that may be left out (give the field `= None`); `key:` with nothing after it is an error, as
it would be for a list: "must be a mapping (key: value)"."""


def needed(problem: str) -> BeforeValidator:
    """`Annotated[tuple[...], needed(problem)]`: a list that must have an item; `problem` is told when it is
    empty or `key:` has nothing after it."""

    def check(value: object) -> object:
        if value is None or value == []:
            raise ValueError(problem)
        return value

    return BeforeValidator(check)


def given() -> Any:
    """The default of a key the file must give, validated when left out so that its own problem is told
    (e.g. "needs a non-empty text", "bad condition: ...") rather than a bare "needs 'key'"."""
    return Field(None, validate_default=True)
