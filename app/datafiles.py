"""Reading the shipped YAML data files, and the error every data-file problem is reported as."""

from __future__ import annotations

from pathlib import Path

import yaml

# The C loader is several times faster; PyYAML without libyaml only has the Python one.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(Exception):
    """A data file is invalid; names the file and the entry so that it can be fixed."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file = file
        self.entry = entry
        self.problem = problem
        where = f"{file}: {entry}" if entry else file
        super().__init__(f"{where}: {problem}")


def load_yaml(path: Path, error: type[DataFileError] = DataFileError) -> object:
    """Parse one YAML file safely; raise `error` naming the file when it is unreadable or invalid."""
    try:
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=_Loader)
    except OSError as exc:
        raise error(path.name, "", f"cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise error(path.name, "", f"not valid YAML: {exc}") from None
