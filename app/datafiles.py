"""Reading the shipped YAML data files, and the error every data-file problem is reported as."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import yaml

from app.paths import cache_dir

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
    """Parse one YAML file safely; raise `error` naming the file when it is unreadable or invalid.

    PyYAML builds its objects in Python and is slow, so the parsed data is also kept as JSON in the
    cache folder, keyed by the SHA-256 of the file's bytes: a changed file is parsed again.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(path.name, "", f"cannot be read: {exc.strerror}") from None
    cached = cache_dir() / "data" / f"{hashlib.sha256(raw).hexdigest()[:40]}.json"
    try:
        return json.loads(cached.read_bytes())
    except (OSError, ValueError):
        pass
    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise error(path.name, "", f"not valid YAML: {exc}") from None
    _store_cache(cached, data)
    return data


def _store_cache(target: Path, data: object) -> None:
    """Keep the parsed data as JSON when it survives the round trip (no dates, no non-text keys)."""
    try:
        text = json.dumps(data, ensure_ascii=False)
        if json.loads(text) != data:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except (OSError, TypeError, ValueError):
        return  # a cache that cannot be written only costs speed
