"""Domain errors. Each carries a Chinese message for the clerk.

``str(err)`` is the Chinese message, so the GUI can show it as it is; the CLI
prints it too (clerks and scripts both read Chinese here).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class FieldProblem(Protocol):
    """One problem with one input field (``cases.validation.Issue`` is one)."""

    @property
    def field(self) -> str: ...
    @property
    def severity(self) -> str: ...  # "error" blocks the save, "warning" is shown
    @property
    def message(self) -> str: ...


class DeskError(Exception):
    """Base of every expected, explainable failure."""


class ValidationFailed(DeskError):
    """Input that does not satisfy the rules; ``issues`` lists each problem."""

    def __init__(self, message: str, issues: Sequence[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.issues: list[FieldProblem] = list(issues or [])


class FieldError(ValidationFailed):
    """A step was given a field it does not have, a value it cannot read, or lacks a required one."""


class TransitionError(DeskError):
    """A workflow step whose legal preconditions are not met."""


class NotFound(DeskError):
    pass


class StaleRecord(DeskError):
    """Someone else changed the record since it was loaded."""


class DatabaseTooNew(DeskError):
    """The database was written by a newer version of Request Desk."""


class DatabaseUnusable(DeskError):
    """The file is not a Request Desk database, or is damaged or locked."""


class StorageFull(DatabaseUnusable):
    """The disk (or the share) is full, or failed while writing."""


class StorageReadOnly(DatabaseUnusable):
    """The database file or its folder cannot be written."""


class DatabaseDamaged(DatabaseUnusable):
    """SQLite found the file damaged (or not a database at all)."""


class StorageBusy(DatabaseUnusable):
    """Another desk held the write lock longer than the busy timeout."""
