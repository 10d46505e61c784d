"""The GUI holds plain records only: no ORM model imported, no database session opened.

Read by ``ast`` from the source, so a new page that reaches into the database
fails here before it ships.
"""

from __future__ import annotations

import ast
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "request_desk" / "gui"



def _modules() -> list[tuple[str, ast.Module]]:
    found = [(p.relative_to(GUI).as_posix(), ast.parse(p.read_text(encoding="utf-8"))) for p in GUI.rglob("*.py")]
    assert found, "gui package not found"
    return found


def _imports_models(tree: ast.Module) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("request_desk.core.storage.models")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("request_desk.core.storage.models"):
                out.append(node.module)
            elif node.module == "request_desk.core.storage" and any(a.name == "models" for a in node.names):
                out.append("request_desk.core.storage.models")
    return out


def _opens_sessions(tree: ast.Module) -> list[int]:
    """Lines calling ``<something>.db.read()`` / ``.write()`` (or ``db.read()``), or using ``Session``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("read", "write"):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
            if name in ("db", "database", "_db") and not node.args:
                lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id == "Session":
            lines.append(node.lineno)
    return lines


def test_no_gui_module_imports_orm_models() -> None:
    offenders = {name: found for name, tree in _modules() if (found := _imports_models(tree))}
    assert offenders == {}


def test_no_gui_module_opens_a_database_session() -> None:
    offenders = {name: lines for name, tree in _modules() if (lines := _opens_sessions(tree))}
    assert offenders == {}


def test_the_checks_see_a_session_and_a_model_import() -> None:
    # The detectors themselves: a module doing both is caught.
    tree = ast.parse("from request_desk.core.storage.models import Request\n"
                     "def f(ctx):\n    with ctx.db.read() as session:\n        return session\n")
    assert _imports_models(tree) == ["request_desk.core.storage.models"]
    assert _opens_sessions(tree) == [3]

