"""visible_answers: answers of hidden fields and sections left out, until nothing more hides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.forms import evaluate
from app.forms.pruning import visible_answers
from tests.unit.app.forms.test_engine import write_registry

TODAY = dt.date(2026, 11, 22)

CHAIN = """
form: T-2
version: TEST-2020
alias: t2
title: Formulir Uji Bertingkat
sections:
  - id: a
    title: A
    fields:
      - {id: jenis, label: Jenis, type: choice, codes: jenis}
      - {id: dua, label: Dua, type: text, visible: "jenis == 'B'"}
      - {id: tiga, label: Tiga, type: text, visible: "filled(dua)"}
  - id: b
    title: B
    visible: "filled(a.tiga)"
    fields:
      - {id: x, label: X, type: text}
  - id: rows
    title: Baris
    repeat: {min: 0, max: 5}
    fields:
      - {id: shdk, label: SHDK, type: choice, codes: shdk}
      - {id: catatan, label: Catatan, type: text, visible: "shdk == 4"}
"""


def test_hidden_answers_go_until_nothing_more_hides(tmp_path: Path) -> None:
    schema = write_registry(tmp_path, CHAIN, "T-2@TEST-2020.yaml").get("T-2")
    answers: dict[str, object] = {
        "a": {"jenis": "A", "dua": "lama", "tiga": "lebih lama"},  # dua hidden; tiga shows only while dua is filled
        "b": {"x": "ikut"},  # shows only while tiga is filled
        "rows": [{"shdk": 4, "catatan": "anak"}, {"shdk": 1, "catatan": "lama"}, "rusak"],
        "asing": {"y": 1},
    }
    assert "a.tiga" in evaluate(schema, answers, TODAY).visible  # one pass would keep tiga and b
    pruned = visible_answers(schema, answers, TODAY)
    assert pruned == {
        "a": {"jenis": "A"},
        "rows": [{"shdk": 4, "catatan": "anak"}, {"shdk": 1}, "rusak"],  # rows keep their numbers; malformed stays
        "asing": {"y": 1},  # unknown: the engine warns about it, pruning leaves it
    }
    evaluation = evaluate(schema, pruned, TODAY)
    assert "b" not in evaluation.visible_sections and "a.tiga" not in evaluation.visible
    assert visible_answers(schema, pruned, TODAY) == pruned
    assert answers["a"] == {"jenis": "A", "dua": "lama", "tiga": "lebih lama"}, "the caller's answers stay as they are"


def test_visible_answers_are_kept_whole(tmp_path: Path) -> None:
    schema = write_registry(tmp_path, CHAIN, "T-2@TEST-2020.yaml").get("T-2")
    answers: dict[str, object] = {"a": {"jenis": "B", "dua": "ada", "tiga": "ada"}, "b": {"x": "ikut"}, "rows": []}
    assert visible_answers(schema, answers, TODAY) == answers
