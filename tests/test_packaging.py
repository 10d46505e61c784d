"""The installed wheel must work, not only the editable checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "request_desk").rglob("__init__.py")}
    found.add("request_desk.resources")
    found.add("request_desk.resources.guide")  # docs/guide, the user guide (no __init__.py: pages only)
    assert found == listed


def test_wheel_contains_migrations_and_resources_and_runs(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("request_desk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "request_desk/core/storage/migrations/versions/0001_initial_schema.py" in names
    assert "request_desk/core/storage/migrations/script.py.mako" in names
    assert any(n.startswith("request_desk/resources/fonts/") and n.endswith(".ttf") for n in names)
    assert "request_desk/resources/similarity/discriminating_terms.csv" in names
    assert "request_desk/resources/guide/README.md" in names  # F1's user guide

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target), "REQUEST_DESK_DB": str(tmp_path / "w.sqlite3")}
    out = subprocess.run(
        [sys.executable, "-c", "import request_desk, sys; print(request_desk.__file__);"
         "from request_desk.cli import main; sys.exit(main(['deadline', '--received', '2026-09-28']))"],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    first, due = out.stdout.splitlines()  # the path has spaces (tests/conftest.py)
    assert first.startswith(str(target))  # really the installed copy
    assert due == "2026-10-30"
    compared = subprocess.run(  # the similarity word lists are found in the installed package
        [sys.executable, "-m", "request_desk", "similarity", "compare", "市一院2025年部门预算", "市一院2025年部门决算"],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=tmp_path)
    assert compared.returncode == 0, compared.stderr
    assert compared.stdout.splitlines()[-1] == "理由：预算与决算不同"
    guide = subprocess.run(  # F1 finds the installed guide, not the checkout's docs/guide
        [sys.executable, "-c", "from request_desk import paths; print(paths.guide_dir())"],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=tmp_path)
    assert guide.stdout.strip() == str(target / "request_desk" / "resources" / "guide"), guide.stderr
