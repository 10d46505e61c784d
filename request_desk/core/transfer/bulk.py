"""Many rows into one table with one ``executemany``: the ledger import's writes (issue 14, point 8).

SQLAlchemy's Core insert spends, per row, about as long preparing the
parameters as SQLite spends storing them (100,000 requests with their events
and audit entries took 20 s of Python). ``BulkInsert`` prepares the statement
once per table — every column, its default as the model declares it, the
column type's own conversion for SQLite (the dialect's bind processors, so a
date or a JSON value is stored exactly as the ORM stores it) — and hands the
rows to the driver through ``exec_driver_sql``, which keeps the engine's events
(and so the benchmarks' statement recorder) in the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlmodel import Session, SQLModel

from request_desk.core.storage.models import table_of

_MISSING = object()


class BulkInsert:
    """INSERT of one model's rows given as dicts; a key a row lacks gets the model's default."""

    def __init__(self, session: Session, model: type[SQLModel], *, with_id: bool = False) -> None:
        self.session = session
        table = table_of(model)
        dialect = session.get_bind().dialect
        self.columns: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
        for column in table.columns:
            if column.primary_key and not with_id:
                continue
            default: Any = None
            if column.default is not None:
                arg = getattr(column.default, "arg", None)
                # A zero-argument factory (``_now``) is wrapped by SQLAlchemy to take the execution context.
                default = arg if not callable(arg) else _Factory(arg)
            elif column.server_default is not None:
                continue  # SQLite fills it (followed_up, kept by triggers)
            self.columns.append((column.key, default, column.type.dialect_impl(dialect).bind_processor(dialect)))
        names = ", ".join(f'"{name}"' for name, _, _ in self.columns)
        mark = "?" if dialect.paramstyle == "qmark" else "%s"  # SQLite's driver, or psycopg's
        self.sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join([mark] * len(self.columns))})'

    def __call__(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        defaults = [d() if isinstance(d, _Factory) else d for _, d, _ in self.columns]  # one moment per batch
        params = []
        for row in rows:
            values = []
            for (name, _, process), default in zip(self.columns, defaults, strict=True):
                value = row.get(name, _MISSING)
                if value is _MISSING:
                    value = default
                values.append(value if process is None or value is None else process(value))
            params.append(tuple(values))
        self.session.connection().exec_driver_sql(self.sql, params)


class _Factory:
    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __call__(self) -> Any:
        return self.fn(None)
