"""Small pieces shared by the report modules: progress, months, safe output files."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from request_desk.core.clock import OFFICE_TZ  # noqa: F401  (re-exported for the report modules)
from request_desk.core.errors import ValidationFailed

#: Rows fetched per SQL round trip when streaming a register.
BATCH = 1000



@dataclass(frozen=True)
class ExportProgress:
    """What a report job yields; the GUI's progress dialog reads these fields."""

    done: int
    total: int | None = None
    message: str = ""


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. ``Month.parse("2026-10")``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?\s*", text)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValidationFailed(f"“{text}”不是有效的月份，应写作 2026-10。")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return self.next().first - timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the month in office time, as aware UTC datetimes (how moments are stored)."""
        start = datetime.combine(self.first, time.min, tzinfo=OFFICE_TZ)
        end = datetime.combine(self.next().first, time.min, tzinfo=OFFICE_TZ)
        utc = timezone.utc
        return start.astimezone(utc), end.astimezone(utc)


@contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """Write to a temporary file beside ``path``; rename over it only on success.

    A cancelled or failed export leaves no partial file (and an existing file
    of that name untouched).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""
