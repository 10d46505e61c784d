"""Background jobs: the one shape of every long piece of work.

The ledger import, the report exports, batch letters, backups, restores and
demo data are all *jobs*: a generator that yields ``Progress`` now and then
and returns its result (``Job[T]``). Whoever drives it — ``run`` below for
the command line and tests, ``gui.workers`` on a worker thread for the desk —
passes each ``Progress`` on and, when the clerk pressed 取消, throws
``Cancelled`` into the job at the yield where it stands.

A job therefore yields only where stopping is safe, and keeps its
all-or-nothing work inside ``with`` blocks that undo themselves when an
exception passes through: the write transaction rolls back (the import), the
temporary file is removed (``reports.common.atomic_output``), the partial
backup is discarded. Cancelling leaves no half-written file and no half-done
import. Work that runs a long time between two yields (printing page after
page) asks a ``CancelToken`` itself.

This module imports nothing else from the core, so every layer can use it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    """How far a job has got: ``done`` of ``total`` steps (``None``: unknown), and what it is doing."""

    done: int
    total: int | None = None
    message: str = ""


class Cancelled(Exception):
    """The user pressed 取消: thrown into a job at a yield; the job undoes its unfinished work."""


class CancelToken:
    """The 取消 button's state, shared between the UI thread and the job's thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if 取消 was pressed (for work that runs long between two yields)."""
        if self._event.is_set():
            raise Cancelled()


#: A job: yields ``Progress``, receives nothing, returns a ``T``.
Job: TypeAlias = Generator[Progress, None, T]


def run(job: Job[T], *, on_progress: Callable[[Progress], None] | None = None,
        token: CancelToken | None = None) -> T:
    """Drive ``job`` to its end and return its result.

    Each ``Progress`` goes to ``on_progress``; after it, if ``token`` was
    cancelled, ``Cancelled`` is thrown into the job at that yield and comes
    out of ``run`` once the job has undone its work. Without a token (the
    command line, tests) the job runs to the end.
    """
    try:
        progress = next(job)
        while True:
            if on_progress is not None:
                on_progress(progress)
            progress = job.throw(Cancelled()) if token is not None and token.cancelled else next(job)
    except StopIteration as stop:
        result: T = stop.value
        return result
