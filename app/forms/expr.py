"""The condition language of form schemas and the catalogue: a safe Python-expression subset.

Expressions are parsed once with `ast` and checked against a whitelist; they are never passed to
`eval`. Evaluation uses three-valued logic: an unanswered field is unknown (None), comparisons with
unknown are unknown, and `and`/`or`/`not` follow Kleene logic. Evaluation never raises.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Field references are tuples of names: ("jenis_kelamin",) or ("header", "jenis_data") or
# ("f101", "header", "jenis_data").
Reference = tuple[str, ...]


class ExpressionError(ValueError):
    """An expression that does not parse or uses something the language does not have."""


@dataclass(frozen=True)
class Expression:
    """A parsed, validated expression with the field references it uses."""

    source: str
    tree: ast.expr
    references: frozenset[Reference] = field(default_factory=frozenset)
    # References used inside row predicates of count()/any_row()/all_rows(), keyed by the group.
    row_references: frozenset[tuple[Reference, Reference]] = field(default_factory=frozenset)

    def evaluate(self, scope: Scope) -> object:
        """Evaluate against answers; unknown answers give None, never an exception."""
        try:
            return _Evaluator(scope).visit(self.tree)
        except (TypeError, ValueError, ArithmeticError, OverflowError, RecursionError):
            return None

    def holds(self, scope: Scope) -> bool | None:
        """Evaluate as a condition: True, False, or None when unknown."""
        value = self.evaluate(scope)
        if value is None:
            return None
        return _truth(value)


class Scope:
    """How names resolve: a function from a reference to an answer, plus the current row if any."""

    def __init__(
        self,
        resolve: Callable[[Reference], object],
        rows: Callable[[Reference], Sequence[Mapping[str, object]] | None],
        row_scope: Callable[[Reference, Mapping[str, object]], Scope],
        today: dt.date | None = None,
        postal_code: Callable[[object], str | None] | None = None,
    ) -> None:
        self.resolve = resolve
        self.rows = rows
        self.row_scope = row_scope
        self.today = today or dt.date.today()
        # The region data's postal code of a desa; without it `postal_code(...)` is unknown.
        self.postal_code = postal_code


_FUNCTIONS_PLAIN = {
    "filled",
    "empty",
    "age",
    "age_at",
    "today",
    "len",
    "days_between",
    "region_at",
    "nik_sex",
    "nik_birth_date",
    "same_text",
    "postal_code",
}
# `this.<field>` inside a row predicate names the row the whole expression is about (a per-row rule's own
# row), so that rows can be compared with each other: `count(anggota, nik == this.nik) <= 1`.
THIS = "this"
_FUNCTIONS_ROWS = {"count", "any_row", "all_rows"}
FUNCTIONS = frozenset(_FUNCTIONS_PLAIN | _FUNCTIONS_ROWS)

_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Attribute,
    ast.Tuple,
    ast.List,
    ast.Call,
)

_LITERAL_NAMES: dict[str, object] = {
    "true": True,
    "false": False,
    "True": True,
    "False": False,
    "None": None,
    "null": None,
}


def parse(source: object) -> Expression:
    """Parse and validate an expression; raise ExpressionError saying what is wrong."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError(f"an expression must be a non-empty string, not {source!r}")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"does not parse: {exc.msg} in {source!r}") from None
    refs: set[Reference] = set()
    row_refs: set[tuple[Reference, Reference]] = set()
    _check(tree.body, refs, row_refs, group=None)
    return Expression(source, tree.body, frozenset(refs), frozenset(row_refs))


def reference_of(node: ast.expr) -> Reference | None:
    """Return the dotted name a Name/Attribute chain spells, or None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return tuple(reversed(parts))
    return None


def _check(
    node: ast.AST,
    refs: set[Reference],
    row_refs: set[tuple[Reference, Reference]],
    group: Reference | None,
) -> None:
    if not isinstance(node, _ALLOWED_NODES):
        raise ExpressionError(f"{type(node).__name__} is not allowed in an expression")
    if isinstance(node, ast.Name | ast.Attribute):
        ref = reference_of(node)
        if ref is None:
            raise ExpressionError("attribute access is only allowed on field names")
        if len(ref) == 1 and ref[0] in _LITERAL_NAMES:
            return
        if group is None:
            refs.add(ref)
        else:
            row_refs.add((group, ref))
        return
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float | str | bool | type(None)):
            raise ExpressionError(f"constant {node.value!r} is not allowed")
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = ast.unparse(node.func)
            raise ExpressionError(f"unknown function {name!r}; known: {', '.join(sorted(FUNCTIONS))}")
        if node.keywords:
            raise ExpressionError("keyword arguments are not allowed")
        _check_arity(node)
        if node.func.id in _FUNCTIONS_ROWS:
            group_ref = reference_of(node.args[0])
            if group_ref is None:
                raise ExpressionError(f"{node.func.id}() needs a repeating section name first")
            refs.add(group_ref) if group is None else row_refs.add((group, group_ref))
            for arg in node.args[1:]:
                _check(arg, refs, row_refs, group=group_ref)
            return
        for arg in node.args:
            _check(arg, refs, row_refs, group)
        return
    for child in ast.iter_child_nodes(node):
        _check(child, refs, row_refs, group)


_ARITY: dict[str, tuple[int, int]] = {
    "filled": (1, 1),
    "empty": (1, 1),
    "age": (1, 1),
    "age_at": (2, 2),
    "today": (0, 0),
    "len": (1, 1),
    "days_between": (2, 2),
    "region_at": (2, 2),
    "nik_sex": (1, 1),
    "nik_birth_date": (1, 1),
    "postal_code": (1, 1),
    "same_text": (2, 2),
    "count": (1, 2),
    "any_row": (2, 2),
    "all_rows": (2, 2),
}


def _check_arity(node: ast.Call) -> None:
    assert isinstance(node.func, ast.Name)
    low, high = _ARITY[node.func.id]
    if not low <= len(node.args) <= high:
        want = str(low) if low == high else f"{low}-{high}"
        raise ExpressionError(f"{node.func.id}() takes {want} argument(s), got {len(node.args)}")


def _truth(value: object) -> bool:
    if isinstance(value, str | list | tuple | dict):
        return len(value) > 0
    return bool(value)


def _is_empty(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple | dict) and len(value) == 0)


def as_date(value: object) -> dt.date | None:
    """An answer's date (ISO `YYYY-MM-DD` text, or a date; a datetime's day), or None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


_REGION_DIGITS = {"provinsi": 2, "kabupaten": 4, "kecamatan": 6, "desa": 10}


def _digits(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    digits = "".join(ch for ch in value if not ch.isspace() and ch != ".")
    return digits if digits.isascii() and digits.isdigit() else None


def region_at(code: object, level: object) -> str | None:
    """The dotted code of the region at `level` containing `code` (`region_at("3521012001", "kabupaten")`
    is "35.21"); unknown when the code is malformed or shorter than the level."""
    digits = _digits(code)
    size = _REGION_DIGITS.get(str(level))
    if digits is None or size is None or len(digits) < size or len(digits) not in (2, 4, 6, 10):
        return None
    cut = digits[:size]
    return ".".join(part for part in (cut[:2], cut[2:4], cut[4:6], cut[6:]) if part)


def nik_sex(nik: object) -> int | None:
    """The sex a NIK's day digits imply: 2 (perempuan) when the day is over 40, else 1; unknown if malformed."""
    digits = _digits(nik)
    if digits is None or len(digits) != 16:
        return None
    day = int(digits[6:8])
    if 1 <= day <= 31:
        return 1
    if 41 <= day <= 71:
        return 2
    return None


def nik_birth_date(nik: object, today: dt.date) -> str | None:
    """The birth date a NIK's DDMMYY digits imply (day - 40 for women), as an ISO date: of the two centuries,
    the latest date not after `today`; unknown when the digits are not a date."""
    digits = _digits(nik)
    if digits is None or len(digits) != 16:
        return None
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    for century in (2000, 1900):
        try:
            born = dt.date(century + year, month, day)
        except ValueError:
            return None
        if born <= today:
            return born.isoformat()
    return None


def same_text(left: object, right: object) -> bool | None:
    """Whether two texts are the same apart from letter case and spacing (a name typed twice)."""
    if not isinstance(left, str) or not isinstance(right, str):
        return None
    return " ".join(left.casefold().split()) == " ".join(right.casefold().split())


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from start to end (a person's age on `end`)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


class _Evaluator:
    def __init__(self, scope: Scope, root: Scope | None = None) -> None:
        self.scope = scope
        self.root = root or scope  # the scope `this.<field>` reads: where the whole expression is evaluated

    def visit(self, node: ast.expr) -> Any:
        method = getattr(self, "visit_" + type(node).__name__)
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id in _LITERAL_NAMES:
            return _LITERAL_NAMES[node.id]
        return _normalise(self.scope.resolve((node.id,)))

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        ref = reference_of(node)
        assert ref is not None
        if len(ref) == 2 and ref[0] == THIS:
            return _normalise(self.root.resolve(ref[1:]))
        return _normalise(self.scope.resolve(ref))

    def visit_Tuple(self, node: ast.Tuple) -> Any:
        return [self.visit(e) for e in node.elts]

    def visit_List(self, node: ast.List) -> Any:
        return [self.visit(e) for e in node.elts]

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        value = self.visit(node.operand)
        if value is None:
            return None
        if isinstance(node.op, ast.Not):
            return not _truth(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return -value

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.visit(node.left), self.visit(node.right)
        if not _is_number(left) or not _is_number(right):
            return None
        return left + right if isinstance(node.op, ast.Add) else left - right

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        unknown = False
        is_and = isinstance(node.op, ast.And)
        for value_node in node.values:
            value = self.visit(value_node)
            if value is None:
                unknown = True
                continue
            truth = _truth(value)
            if is_and and not truth:
                return False
            if not is_and and truth:
                return True
        return None if unknown else is_and

    def visit_Compare(self, node: ast.Compare) -> Any:
        left = self.visit(node.left)
        result: bool | None = True
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.visit(comparator)
            outcome = _compare(op, left, right)
            if outcome is False:
                return False
            if outcome is None:
                result = None
            left = right
        return result

    def visit_Call(self, node: ast.Call) -> Any:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        if name in _FUNCTIONS_ROWS:
            return self._row_function(name, node.args)
        args = [self.visit(a) for a in node.args]
        if name == "filled":
            return not _is_empty(args[0])
        if name == "empty":
            return _is_empty(args[0])
        if name == "today":
            return self.scope.today.isoformat()
        if name == "len":
            return len(args[0]) if isinstance(args[0], str | list) else None
        if name == "age":
            born = as_date(args[0])
            return None if born is None else years_between(born, self.scope.today)
        if name == "age_at":
            born, at = as_date(args[0]), as_date(args[1])
            return None if born is None or at is None else years_between(born, at)
        if name == "days_between":
            start, end = as_date(args[0]), as_date(args[1])
            return None if start is None or end is None else (end - start).days
        if name == "region_at":
            return region_at(args[0], args[1])
        if name == "nik_sex":
            return nik_sex(args[0])
        if name == "nik_birth_date":
            return nik_birth_date(args[0], self.scope.today)
        if name == "same_text":
            return same_text(args[0], args[1])
        if name == "postal_code":
            lookup = self.scope.postal_code
            return None if lookup is None or _is_empty(args[0]) else lookup(args[0])
        raise ExpressionError(f"unknown function {name}")

    def _row_function(self, name: str, args: list[ast.expr]) -> Any:
        group = reference_of(args[0])
        assert group is not None
        rows = self.scope.rows(group)
        if rows is None:
            return 0 if name == "count" else None
        if name == "count" and len(args) == 1:
            return len(rows)
        outcomes: list[bool | None] = []
        for row in rows:
            inner = self.scope.row_scope(group, row)
            value = _Evaluator(inner, self.root).visit(args[1])
            outcomes.append(None if value is None else _truth(value))
        if name == "count":
            return sum(1 for o in outcomes if o is True)
        if name == "any_row":
            if any(o is True for o in outcomes):
                return True
            return None if any(o is None for o in outcomes) else False
        if any(o is False for o in outcomes):
            return False
        return None if any(o is None for o in outcomes) else True


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _normalise(value: object) -> object:
    """Empty answers are unknown; everything else is used as it is."""
    return None if _is_empty(value) and not isinstance(value, list) else value


def _compare(op: ast.cmpop, left: object, right: object) -> bool | None:
    if isinstance(op, ast.In | ast.NotIn):
        if right is None or left is None:
            return None
        if not isinstance(right, list | str):
            return None
        if isinstance(right, str) and not isinstance(left, str):
            return None
        found = left in right
        return found if isinstance(op, ast.In) else not found
    if left is None or right is None:
        return None
    if isinstance(op, ast.Eq):
        return _same(left, right)
    if isinstance(op, ast.NotEq):
        return not _same(left, right)
    if _is_number(left) and _is_number(right):
        a, b = float(left), float(right)  # type: ignore[arg-type]
    elif isinstance(left, str) and isinstance(right, str):
        a_s, b_s = left, right
        if isinstance(op, ast.Lt):
            return a_s < b_s
        if isinstance(op, ast.LtE):
            return a_s <= b_s
        if isinstance(op, ast.Gt):
            return a_s > b_s
        return a_s >= b_s
    else:
        return None
    if isinstance(op, ast.Lt):
        return a < b
    if isinstance(op, ast.LtE):
        return a <= b
    if isinstance(op, ast.Gt):
        return a > b
    return a >= b


def _same(left: object, right: object) -> bool | None:
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if type(left) is not type(right) and not (isinstance(left, list) and isinstance(right, list)):
        # A number compared with text is a type mismatch, not a plain "different".
        return None
    return left == right
