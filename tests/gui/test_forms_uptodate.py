"""The committed forms in request_desk/gui/forms/ are exactly what pyside6-uic makes of ui/*.ui."""

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


def test_there_are_forms() -> None:
    assert UI_FILES, "no Designer files found in ui/"


@pytest.mark.parametrize("ui_file", UI_FILES, ids=[p.name for p in UI_FILES])
def test_generated_form_matches_its_ui_file(ui_file: Path, tmp_path: Path) -> None:
    committed = FORMS_DIR / f"ui_{ui_file.stem}.py"
    assert committed.exists(), f"{committed.name} missing: run pyside6-uic {ui_file.name} -o {committed}"
    fresh = tmp_path / committed.name
    # Run from ui/ so the header names the file as the committed form does.
    subprocess.run([*_uic(), ui_file.name, "-o", str(fresh)], cwd=UI_DIR, check=True)
    assert fresh.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        f"{committed.relative_to(ROOT)} is out of date: run "
        f"`pyside6-uic ui/{ui_file.name} -o {committed.relative_to(ROOT)}`"
    )


def test_every_generated_form_has_its_ui_file() -> None:
    stale = [p.name for p in FORMS_DIR.glob("ui_*.py") if not (UI_DIR / f"{p.stem[3:]}.ui").exists()]
    assert stale == []
