"""Small pieces shared by the report modules: months and safe output files (``atomic_output``)."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from request_desk.core.deadlines.clock import OFFICE_TZ
from request_desk.core.errors import ValidationFailed
from request_desk.core.files import fsync_file, fsync_folder

#: Rows fetched per SQL round trip when streaming a register.
BATCH = 1000


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
        utc = UTC
        return start.astimezone(utc), end.astimezone(utc)


# --------------------------------------------------------------------------
# Output files: the one rule for every export, GUI and CLI alike
# --------------------------------------------------------------------------

# The temporary name is ".<stem>-<8 random characters><suffix>": the target's name plus this many bytes.
_TEMP_EXTRA = 10

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "介质是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOENT: "文件夹不存在，或不能在此处创建文件",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EIO: "读写设备出错",
}


def os_reason(exc: OSError) -> str:
    """The Chinese reason of an ``OSError``, with the system's own words for the rare ones."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf: NTFS allows 255 characters
        return 255


def _refuse_if_not_a_file(path: Path) -> None:
    """Refuse an existing ``path`` that is not a regular file: ``os.replace`` would put our file in its place.

    Run as root, that replaced ``/dev/null`` itself (issue 11, item 3); a folder or a
    named pipe is no better a target.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ValidationFailed(f"无法写入 {path}：{os_reason(exc)}。") from exc
    if stat.S_ISDIR(info.st_mode):
        example = path / ("文件" + (path.suffix or ".xlsx"))
        raise ValidationFailed(f"{path} 是文件夹，不能作为导出文件：请写出文件名，例如 {example}。")
    if not stat.S_ISREG(info.st_mode):
        raise ValidationFailed(f"{path} 不是普通文件（设备或管道），不能写入，也不会被替换。")


def check_output(path: Path | str, *, create_folder: bool = False) -> Path:
    """``path`` if an export can be written there; a ``ValidationFailed`` saying why not otherwise.

    Refused before any work is done: an existing folder, device or pipe; a name
    too long for the file system once the temporary name's extra characters are
    added; and a folder that does not exist, unless ``create_folder`` (a script's
    ``out/`` folder). The command line refuses it: a mistyped ``-o`` should not
    leave folders behind.
    """
    target = Path(path)
    _refuse_if_not_a_file(target)
    folder = target.parent
    if create_folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationFailed(f"无法写入 {target}：{os_reason(exc)}。") from exc
    if not folder.is_dir():
        raise ValidationFailed(f"无法写入 {target}：文件夹 {folder} 不存在。")
    if len(os.fsencode(target.name)) + _TEMP_EXTRA > _name_max(folder):
        raise ValidationFailed(f"无法写入 {target}：文件名过长（{len(target.name)} 个字符），请使用更短的文件名。")
    return target


@contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """Write to a temporary file beside ``path``; rename over it only on success.

    ``check_output`` first (a missing folder is created). The temporary file is fsynced before the rename and
    the folder after it, so a crash or power cut leaves the old file or the whole
    new one, never an empty or half-written file under the final name. A
    cancelled or failed export leaves no partial file (and an existing file of
    that name untouched). An ``OSError`` (full disk, read-only medium) becomes a
    ``ValidationFailed`` with the Chinese reason.
    """
    target = check_output(path, create_folder=True)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise ValidationFailed(f"无法写入 {target}：{os_reason(exc)}。") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        fsync_file(tmp)
        # Checked again: a long export gives time for a folder or pipe to appear under the name.
        _refuse_if_not_a_file(target)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationFailed(f"无法写入 {target}：{os_reason(exc)}。未留下不完整的文件。") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""
