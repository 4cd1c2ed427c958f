"""All form schemas of resources/forms, loaded once and looked up by form id or `form@version` key."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from app.forms.codelists import CodeLists, load_codelists
from app.forms.errors import SchemaError
from app.forms.schema import FormSchema, read_schema, schemas_by_form
from app.resources import resource_path


class FormRegistry:
    """The schemas of one folder: every version of every form, plus the code lists."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.codelists: CodeLists = load_codelists(folder / "codelists.yaml")
        self._schemas: dict[str, FormSchema] = {}
        for path in sorted(folder.glob("*@*.yaml")):
            schema = read_schema(path, self.codelists)
            self._schemas[schema.key] = schema
        if not self._schemas:
            raise SchemaError(str(folder), "", "no form schema files (FORM@VERSION.yaml) found")
        self._by_form = schemas_by_form(self._schemas)
        aliases: dict[str, str] = {}
        for form, versions in self._by_form.items():
            for schema in versions:
                if aliases.setdefault(schema.alias, form) != form:
                    raise SchemaError(f"{schema.key}.yaml", "alias", f"alias {schema.alias!r} is used by another form")

    def get(self, key: str) -> FormSchema:
        """Return `F-1.01@PMDN109-2019`, or the newest version for a bare form id `F-1.01`."""
        if "@" in key:
            try:
                return self._schemas[key]
            except KeyError:
                raise KeyError(f"unknown form version {key!r}") from None
        versions = self._by_form.get(key)
        if not versions:
            raise KeyError(f"unknown form {key!r}; known: {', '.join(sorted(self._by_form))}")
        return versions[-1]

    def by_alias(self, alias: str) -> FormSchema | None:
        """Return the newest schema whose alias (e.g. `f101`) is given."""
        for versions in self._by_form.values():
            if versions[-1].alias == alias:
                return versions[-1]
        return None

    def forms(self) -> list[str]:
        """Every form id, sorted."""
        return sorted(self._by_form)

    def __iter__(self) -> Iterator[FormSchema]:
        return iter(self._schemas.values())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self._schemas or key in self._by_form)


@functools.cache
def default_registry() -> FormRegistry:
    """The registry of the shipped resources/forms folder, loaded on first use."""
    return FormRegistry(resource_path("forms"))


def load_form(key: str) -> FormSchema:
    """Return one schema from the shipped forms (newest version for a bare form id)."""
    return default_registry().get(key)
