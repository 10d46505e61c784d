"""The committed forms in request_desk/gui/forms/ are exactly what pyside6-uic makes of ui/*.ui.

Only the code is compared: the comment block uic writes at the top (the file it read, "Created
by: Qt User Interface Compiler version 6.x.y", the warning) changes with every PySide6 release,
and a newer uic on a maintainer's machine is no reason to fail the suite.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "request_desk" / "gui" / "forms"
UI_FILES = sorted(UI_DIR.glob("*.ui"))


def _uic() -> list[str]:
    # The uic of the installed PySide6, next to this interpreter (venv or not).
    for name in ("pyside6-uic", "pyside6-uic.exe"):
        candidate = Path(sys.executable).with_name(name)
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("pyside6-uic")
    if found is None:
        pytest.fail("pyside6-uic not found: install PySide6 into this environment")
    return [found]


def generated_code(text: str) -> list[str]:
    """The form's lines after uic's leading header comments and blank lines."""
    lines = text.splitlines()
    header = 0
    while header < len(lines) and (not lines[header].strip() or lines[header].lstrip().startswith("#")):
        header += 1
    return lines[header:]


def test_there_are_forms() -> None:
    assert UI_FILES, "no Designer files found in ui/"


@pytest.mark.parametrize("ui_file", UI_FILES, ids=[p.name for p in UI_FILES])
def test_generated_form_matches_its_ui_file(ui_file: Path, tmp_path: Path) -> None:
    committed = FORMS_DIR / f"ui_{ui_file.stem}.py"
    assert committed.exists(), f"{committed.name} missing: run pyside6-uic {ui_file.name} -o {committed}"
    fresh = tmp_path / committed.name
    subprocess.run([*_uic(), ui_file.name, "-o", str(fresh)], cwd=UI_DIR, check=True)
    fresh_code = generated_code(fresh.read_text(encoding="utf-8"))
    assert fresh_code, f"pyside6-uic wrote no code for {ui_file.name}"
    assert fresh_code == generated_code(committed.read_text(encoding="utf-8")), (
        f"{committed.relative_to(ROOT)} is out of date: run "
        f"`pyside6-uic ui/{ui_file.name} -o {committed.relative_to(ROOT)}`"
    )


def test_only_the_header_is_ignored() -> None:
    # The comparison must still see the code: a header-only difference passes, a code one fails.
    form = (
        "# -*- coding: utf-8 -*-\n\n## Created by: Qt User Interface Compiler version {v}\n\n"
        "from PySide6 import QtCore\n{code}\n"
    )
    assert generated_code(form.format(v="6.8.0", code="x = 1")) == generated_code(form.format(v="6.11.3", code="x = 1"))
    assert generated_code(form.format(v="6.8.0", code="x = 1")) != generated_code(form.format(v="6.8.0", code="x = 2"))


def test_every_generated_form_has_its_ui_file() -> None:
    stale = [p.name for p in FORMS_DIR.glob("ui_*.py") if not (UI_DIR / f"{p.stem[3:]}.ui").exists()]
    assert stale == []
