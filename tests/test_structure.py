"""The test suite's own shape: test modules build cases through tests/factories.py and share
helpers through tests/support/, never by importing one another.

A test module that imports another runs that module's tests' imports and fixtures in a place
nobody looks, and a builder copied into a module drifts from the registration form; both
happened before factories.py (issue 12).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import request_desk

TESTS = Path(__file__).resolve().parent
TEST_MODULES = sorted(p for p in TESTS.rglob("test_*.py") if "data" not in p.relative_to(TESTS).parts)


def _module_name(path: Path) -> str:
    return ".".join(("tests", *path.relative_to(TESTS).with_suffix("").parts))


def _imported_modules(tree: ast.Module, module: str) -> list[str]:
    """Every module ``tree`` imports, as a dotted name (relative imports resolved against ``module``)."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[: -node.level]
                base = ".".join([*package, base] if base else package)
            names.append(base)
            # ``from tests.core import test_queries`` imports a module by its attribute name.
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return names


def _is_test_module(name: str) -> bool:
    return name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")


def test_the_suite_has_test_modules() -> None:
    assert len(TEST_MODULES) > 50


@pytest.mark.parametrize("path", TEST_MODULES, ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_module_imports_another(path: Path) -> None:
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imported = _imported_modules(tree, module)
    others = sorted({name for name in imported if _is_test_module(name) and name != module})
    assert others == [], f"{module} imports test modules {others}: move the shared helper to tests/support/"
    from_conftest = sorted({name for name in imported if name.split(".")[-1] == "conftest"})
    assert from_conftest == [], (
        f"{module} imports from {from_conftest}: pytest injects fixtures by name; "
        "build cases with tests.factories"
    )


@pytest.mark.parametrize("path", TEST_MODULES, ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_module_has_its_own_today(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assigned = [
        target.id
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and target.id == "TODAY"
    ]
    assert assigned == [], f"{path.name} defines TODAY: import it (or a named date) from tests.factories"


def test_the_checks_see_what_they_look_for() -> None:
    # The walkers above must notice each shape of the mistake, or the parametrized tests pass vacuously.
    sample = ast.parse(
        "from tests.core.test_queries import seed_cases\n"
        "from tests.core import test_annual_report\n"
        "from . import test_restore\n"
        "import tests.gui.test_registration_dialog\n"
        "from tests.conftest import person_request\n"
    )
    imported = _imported_modules(sample, "tests.reliability.test_backup")
    assert {n for n in imported if _is_test_module(n)} == {
        "tests.core.test_queries", "tests.core.test_annual_report", "tests.reliability.test_restore",
        "tests.gui.test_registration_dialog",
    }
    assert "tests.conftest" in imported
    assert not _is_test_module("tests.factories") and not _is_test_module("tests.support.gui")


def test_the_package_has_no_import_cycle() -> None:
    """No module imports, directly or through others, a module that imports it (type-only imports aside)."""
    import grimp

    graph = grimp.build_graph("request_desk", exclude_type_checking_imports=True)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if module != imported and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported}")
    assert cycles == []


def test_every_public_name_of_a_package_exists() -> None:
    """A name left in ``__all__`` after its function moved breaks ``from … import *`` and the docs."""
    missing = []
    for info in pkgutil.walk_packages(request_desk.__path__, "request_desk."):
        if not info.ispkg or ".gui" in info.name:
            continue
        module = importlib.import_module(info.name)
        missing += [f"{info.name}.{name}" for name in getattr(module, "__all__", ()) if not hasattr(module, name)]
    assert missing == []
