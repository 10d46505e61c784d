"""Which engine's support module serves a connection: the one place that asks."""

from __future__ import annotations

from types import ModuleType

from sqlalchemy.engine import Connection, Engine

from request_desk.core.storage import postgres_support, sqlite_support


def support(bind: Connection | Engine) -> ModuleType:
    """``postgres_support`` for the office server, ``sqlite_support`` for a file."""
    return postgres_support if bind.dialect.name == "postgresql" else sqlite_support


def on_server(bind: Connection | Engine) -> bool:
    return bind.dialect.name == "postgresql"
