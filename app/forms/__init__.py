"""Versioned form schemas and the one engine that checks answers against them."""

from app.forms.codelists import Code, CodeList, CodeLists
from app.forms.engine import Evaluation, evaluate
from app.forms.errors import SchemaError
from app.forms.expr import Expression, ExpressionError, parse
from app.forms.registry import FormRegistry, default_registry, load_form
from app.forms.schema import FieldSpec, FormSchema, RuleSpec, SectionSpec

__all__ = [
    "Code",
    "CodeList",
    "CodeLists",
    "Evaluation",
    "Expression",
    "ExpressionError",
    "FieldSpec",
    "FormRegistry",
    "FormSchema",
    "RuleSpec",
    "SchemaError",
    "SectionSpec",
    "default_registry",
    "evaluate",
    "load_form",
    "parse",
]
