"""Reliability tests report their numbers (kills, commits) in pytest's terminal summary."""

from __future__ import annotations

import pytest
from hypothesis import settings

# No example database in the work tree, and no flaky per-example deadline on a slow CI box;
# the number of examples stays at hypothesis' default (100 per property).
settings.register_profile("request-desk", database=None, deadline=None)
settings.load_profile("request-desk")

SUMMARIES: list[str] = []


@pytest.fixture
def report() -> list[str]:
    """Append a one-line summary; it is printed at the end of the run, without ``-s``."""
    return SUMMARIES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARIES:
        terminalreporter.section("reliability")
        for line in SUMMARIES:
            terminalreporter.write_line(line)
