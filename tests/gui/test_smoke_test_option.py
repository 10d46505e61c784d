"""``request-desk gui --smoke-test``: how packaging/smoke_test.py sees the built program's main window.

Run as a real process, as the smoke test runs the built program: the option runs and
quits Qt's event loop, which a test process's shared QApplication must not go through
(queued results of later tests' background jobs were never delivered after it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from request_desk.core.storage.backup import list_backups


def smoke_test(db_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "request_desk", "--db", str(db_path), "gui", "--smoke-test"],
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
                          capture_output=True, text=True, timeout=300)


def test_the_main_window_of_the_signed_in_user_is_shown_then_closed(db_path: Path) -> None:
    done = smoke_test(db_path)  # no sign-in dialog waits for an answer
    assert done.returncode == 0, done.stderr
    said = done.stdout
    assert said.startswith("主窗口已显示：依申请公开办理台")
    assert "当前用户：李经办" in said  # the clerk of $REQUEST_DESK_USER, signed in with $REQUEST_DESK_PASSWORD
    assert said.rstrip().endswith("Qt 中文译文：qtbase_zh_CN, qt_zh_CN")
    assert list_backups(db_path) == []  # a check starts no start-up backup


def test_a_wrong_password_shows_no_window(db_path: Path) -> None:
    done = smoke_test(db_path, REQUEST_DESK_PASSWORD="not-the-password")
    assert done.returncode == 1
    assert "主窗口已显示" not in done.stdout and "用户名或密码不正确" in done.stderr
