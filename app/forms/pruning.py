"""Answers as the engine shows them: those of hidden fields and sections left out.

The editor keeps an answer when a later answer hides its field (switching back brings it back), so the
stored answers can hold values that are not part of the form any more: the outpost's desa that
carry-over put in F-1.03's origin before the officer set "Datang dari Luar Negeri". What leaves the
outpost (the package for the Dinas) carries only what the officer sees. Removing an answer can hide a
field whose condition named it, so pruning repeats until nothing more hides: the result's visible
fields are exactly the answered ones the engine shows, when the Dinas evaluates it again.

Answers the engine does not know (unknown sections or fields, malformed sections or rows) are kept as
they are: the engine reports them, and pruning is not a place to repair them. Rows of a repeating
section are kept, emptied where nothing in them shows, so row numbers stay as the officer saw them.
Pure: no Qt, no storage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.forms.engine import Evaluation, evaluate
from app.forms.schema import FormSchema, SectionSpec


def visible_answers(schema: FormSchema, answers: Mapping[str, object], today: dt.date) -> dict[str, object]:
    """`answers` without the answers of fields and sections the engine hides for them (on `today`)."""
    return evaluate_shown(schema, answers, today)[0]


def evaluate_shown(
    schema: FormSchema, answers: Mapping[str, object], today: dt.date
) -> tuple[dict[str, object], Evaluation]:
    """The shown answers (as `visible_answers`) and the engine's evaluation of them: what the Dinas will see
    and find. Costs one evaluation when no hidden field holds an answer (the usual case)."""
    current = {str(key): value for key, value in answers.items()}
    while True:
        evaluation = evaluate(schema, current, today)
        pruned = _pruned(schema, current, evaluation)
        if pruned == current:
            return pruned, evaluation
        current = pruned


def _pruned(schema: FormSchema, answers: dict[str, object], evaluation: Evaluation) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in answers.items():
        section = schema.section(key)
        if section is None:
            out[key] = value  # an unknown section: the engine warns about it
            continue
        if section.id not in evaluation.visible_sections:
            continue
        if section.repeating and isinstance(value, list):
            out[key] = [
                _shown(section, row, f"{section.id}[{index}]", evaluation) if isinstance(row, Mapping) else row
                for index, row in enumerate(value)
            ]
        elif not section.repeating and isinstance(value, Mapping):
            kept = _shown(section, value, section.id, evaluation)
            if kept:
                out[key] = kept
        else:
            out[key] = value  # malformed: the engine reports it
    return out


def _shown(
    section: SectionSpec, container: Mapping[object, object], base: str, evaluation: Evaluation
) -> dict[str, object]:
    """The answers of one plain section or one row whose fields show (unknown fields kept)."""
    return {
        str(key): value
        for key, value in container.items()
        if section.field(str(key)) is None or f"{base}.{key}" in evaluation.visible
    }
