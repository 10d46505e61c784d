"""The layers of the code: the domain core stays free of Qt, the GUI and the command line, so it
can be scripted and tested headless; inside it, storage < deadlines < the other capabilities."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "request_desk" / "core"
QT = {"PySide6", "PyQt5", "PyQt6", "shiboken6"}


def test_no_core_module_imports_qt() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in QT]
    assert list(CORE.rglob("*.py")), "core package not found"
    assert offenders == []


def test_the_layer_contracts_of_pyproject_hold(capsys: pytest.CaptureFixture[str]) -> None:
    """The contracts `lint-imports` checks in .ci/run, named here so that none is dropped unnoticed.

    They follow imports through any chain of modules, so a loose module cannot
    smuggle a capability into storage.
    """
    from importlinter import api, cli

    config = str(ROOT / "pyproject.toml")
    names = {c["name"] for c in api.read_configuration(config)["contracts_options"]}
    assert names == {
        "The core imports neither the GUI, the command line nor Qt",
        "Core capabilities are layered: storage < deadlines < the rest",
        "The loose modules of core depend on no capability",
    }
    # lint_imports configures logging with dictConfig, which disables every logger that exists
    # (the desk's own among them, which later tests read through caplog): put them back after.
    enabled = [lg for lg in logging.root.manager.loggerDict.values()
               if isinstance(lg, logging.Logger) and not lg.disabled]
    try:
        assert cli.lint_imports(config, no_cache=True, no_logo=True) == 0, capsys.readouterr().out
    finally:
        for logger in enabled:
            logger.disabled = False
