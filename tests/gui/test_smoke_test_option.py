"""``request-desk gui --smoke-test``: how packaging/smoke_test.py sees the built program's main window."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from request_desk.cli import main
from request_desk.core.storage.backup import list_backups
from request_desk.gui.main_window import MainWindow


def open_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_the_main_window_of_the_signed_in_user_is_shown_then_closed(
        qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    assert main(["--db", str(db_path), "gui", "--smoke-test"]) == 0  # no sign-in dialog waits for an answer
    said = capsys.readouterr().out
    assert said.startswith("主窗口已显示：依申请公开办理台")
    assert "当前用户：李经办" in said  # the clerk of $REQUEST_DESK_USER, signed in with $REQUEST_DESK_PASSWORD
    assert said.rstrip().endswith("Qt 中文译文：qtbase_zh_CN, qt_zh_CN")
    assert open_windows() == []
    assert list_backups(db_path) == []  # a check starts no start-up backup


def test_a_wrong_password_shows_no_window(qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REQUEST_DESK_PASSWORD", "not-the-password")
    assert main(["--db", str(db_path), "gui", "--smoke-test"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "用户名或密码不正确" in captured.err
    assert open_windows() == []
