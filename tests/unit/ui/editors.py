"""A real application editor for UI tests: a real encrypted store on the task runner's database thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from app.store import Store
from app.store import applications as apps
from app.views.editing import Bundle, load_bundle
from tests.helpers.stores import new_store
from ui.disposal import dispose
from ui.editor.editor import ApplicationEditor
from ui.tasks import TaskRunner

WAIT = 10_000


def on_db(qtbot: QtBot, runner: TaskRunner, fn: Callable[[], object]) -> object:
    """Run `fn` on the database thread and wait for its result."""
    out: list[object] = []
    runner.db("test", fn, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=WAIT)
    return out[0]


class EditorMaker:
    """Opens editors of new drafts of a service, as the main window does."""

    def __init__(self, qtbot: QtBot, runner: TaskRunner, store: Store) -> None:
        self.qtbot, self.runner, self.store = qtbot, runner, store
        self.editors: list[ApplicationEditor] = []

    def __call__(self, code: str, *, name: str = "", nik: str = "") -> ApplicationEditor:
        """A new draft of the service `code`, opened in an editor."""
        store = self.store

        def create() -> Bundle:
            draft = apps.create_draft(store, code, applicant_name=name, applicant_nik=nik)
            return load_bundle(draft.client_id)

        bundle = on_db(self.qtbot, self.runner, create)
        assert isinstance(bundle, Bundle)
        editor = ApplicationEditor(self.runner, store, load_catalog().service(code), bundle)
        self.editors.append(editor)
        return editor


@pytest.fixture
def make_editor(qtbot: QtBot, tmp_path: Path) -> Iterator[EditorMaker]:
    """Make editors of new drafts; the store and runner are closed afterwards."""
    runner = TaskRunner()
    store = on_db(qtbot, runner, lambda: new_store(tmp_path / "data"))
    assert isinstance(store, Store)
    maker = EditorMaker(qtbot, runner, store)
    yield maker
    for editor in maker.editors:
        editor.flush()
        dispose(editor)
    qtbot.waitUntil(lambda: runner.busy == 0, timeout=WAIT)
    on_db(qtbot, runner, store.close)
    runner.stop()
