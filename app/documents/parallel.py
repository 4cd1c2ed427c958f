"""Helper threads for a page's independent steps: the codecs, OpenCV and numpy release the GIL, so on
two or more cores a page's checks run beside its encoding."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_T = TypeVar("_T")
# Threads start with the first task. Two, as pages may be processed on two threads at once. A task
# must never wait for another task: then however many pages share the helpers, nothing deadlocks.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="documents")


def in_background(task: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
    """Start task on a helper thread; its result (or exception) comes from the returned future."""
    return _POOL.submit(task, *args, **kwargs)
