"""Shared fixtures: real SQLite files, built from a migrated template once per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt needs a platform before the first QApplication; tests never have a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Every temporary folder of the suite (tmp_path, subprocesses' TMPDIR, the data
# dir and database paths built from them) lies under a name such as a Chinese
# office's shared drive has: CJK characters, spaces, brackets and a percent
# sign, which once broke SQLAlchemy's URL and Alembic's config (issue 11).
_UNUSUAL_NAME = "公开办 (共享) 100%"
_system_temp = Path(tempfile.gettempdir())
UNUSUAL_TEMP_ROOT = _system_temp if _system_temp.name == _UNUSUAL_NAME else _system_temp / _UNUSUAL_NAME
UNUSUAL_TEMP_ROOT.mkdir(exist_ok=True)
tempfile.tempdir = str(UNUSUAL_TEMP_ROOT)
os.environ["TMPDIR"] = str(UNUSUAL_TEMP_ROOT)

from sqlmodel import select  # noqa: E402

from request_desk.core.office import settings as office_settings  # noqa: E402
from request_desk.core.office import users  # noqa: E402
from request_desk.core.storage.db import Database  # noqa: E402
from request_desk.core.storage.models import User  # noqa: E402
from request_desk.core.vocab import Role  # noqa: E402
from tests.factories import CLERK, OFFICE, PASSWORD  # noqa: E402
from tests.support import server  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On the server run (``REQUEST_DESK_TEST_PG``), a SQLite-only test is skipped with its reason."""
    if not server.enabled():
        return
    for item in items:
        if (mark := item.get_closest_marker("sqlite_only")) is not None:
            reason = mark.args[0] if mark.args else mark.kwargs.get("reason", "about the SQLite file")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data dir."""
    monkeypatch.setenv("REQUEST_DESK_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("REQUEST_DESK_DB", str(tmp_path / "data" / "desk.sqlite3"))
    # The command line signs in (docs/SECURITY.md): as the clerk unless a test says --user; every
    # user of the fixtures below has this password. Tests of signing in unset or change these.
    monkeypatch.setenv("REQUEST_DESK_USER", CLERK)
    monkeypatch.setenv("REQUEST_DESK_PASSWORD", PASSWORD)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | str]:
    """The office every test starts from: a SQLite file, or a database on the test server."""
    if server.enabled():
        location = server.new_database("rd_template")
        _fill_template(location)
        yield location
        server.drop_database(location)
        return
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _fill_template(path)
    yield path


def _fill_template(location: Path | str) -> None:
    db = Database.open(location)
    users.add_user(db, "supervisor", "王主任", Role.SUPERVISOR, actor="supervisor", initial_password=PASSWORD)
    users.add_user(db, "clerk", "李经办", Role.CLERK, actor="supervisor", initial_password=PASSWORD)
    with db.write() as session:
        for user in session.exec(select(User)).all():  # passwords the users have chosen themselves
            user.must_change_password = False
            session.add(user)
    with db.write() as session:  # an office that has set itself up; tests of a new office use ``new_office``
        office_settings.update(session, **OFFICE)
    db.close()


@pytest.fixture(scope="session")
def _recycled(template_db: Path | str) -> Iterator[server.Recycled | None]:
    if not isinstance(template_db, str):
        yield None
        return
    recycled = server.Recycled(template_db)
    yield recycled
    recycled.close()


@pytest.fixture
def db_path(template_db: Path | str, tmp_path: Path, _recycled: server.Recycled | None) -> Path:
    """Where this test's database is: a copy of the template (on the server run, a location string)."""
    if _recycled is not None:
        return _recycled.database()  # type: ignore[return-value]  # a str: ``str(db_path)`` and ``Database.open`` take it
    path = tmp_path / "desk.sqlite3"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture
def fresh_location(tmp_path: Path) -> Iterator[Path | str]:
    """Where a new, empty database goes: a file name, or an empty database on the test server."""
    if not server.enabled():
        yield tmp_path / "fresh.sqlite3"
        return
    location = server.new_database("rd_fresh")
    yield location
    server.drop_database(location)


@pytest.fixture
def empty_office(fresh_location: Path | str) -> Iterator[Database]:
    """A database as the desk makes it on its first start: migrated, no users, no office details."""
    database = Database.open(fresh_location)
    yield database
    database.close()


@pytest.fixture
def new_office(fresh_location: Path | str) -> Iterator[Database]:
    """A database as a new office has it: migrated, one supervisor, no office details yet."""
    database = Database.open(fresh_location)
    users.add_user(database, "supervisor", "王主任", Role.SUPERVISOR, actor="supervisor", initial_password=PASSWORD)
    yield database
    database.close()
