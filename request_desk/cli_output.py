"""Files the command line writes (``-o``): checked first, written whole or not at all.

Every CLI export goes through here (issue 11, item 12):

* ``check_target`` refuses, before any work is done (before a letter is
  issued), a target that is a folder, a device or pipe (run as root,
  ``os.replace`` would put a file in place of ``/dev/full``), a folder that
  does not exist, or a name too long for the file system once the temporary
  name's extra characters are added;
* ``atomic_path`` hands out a temporary name in the target's folder and, on
  success, fsyncs it, renames it over the target and fsyncs the folder, so a
  full disk, a crash or a kill never leaves a half-written file under the
  final name (the temporary file is removed on failure);
* ``writing`` turns the ``OSError`` of a full disk, a read-only medium or a
  refused folder into a one-line Chinese ``DeskError`` (exit 1).

The report exports (``core.reports.export``) already write to a temporary
name and rename it; the CLI checks their target, translates their errors and
fsyncs the result with ``sync``.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from request_desk.core.errors import DeskError

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


def reason(exc: OSError) -> str:
    """The Chinese reason of an ``OSError``, with the system's own words for the rare ones."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf: NTFS allows 255 characters
        return 255


def check_target(path: Path) -> Path:
    """``path`` if a file can be written there; a ``DeskError`` saying why not otherwise."""
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise DeskError(f"无法写入 {path}：{reason(exc)}。") from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise DeskError(f"{path} 是文件夹：请在 -o 后写出文件名，例如 {path / ('文件' + (path.suffix or '.xlsx'))}。")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise DeskError(f"{path} 不是普通文件（设备或管道），不能写入。")
    folder = path.parent
    if not folder.is_dir():
        raise DeskError(f"无法写入 {path}：文件夹 {folder} 不存在。")
    limit = _name_max(folder)
    if len(os.fsencode(path.name)) + _TEMP_EXTRA > limit:
        raise DeskError(f"无法写入 {path}：文件名过长（{len(path.name)} 个字符），请使用更短的文件名。")
    return path


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Translate the ``OSError`` of writing ``path`` into a one-line ``DeskError``."""
    try:
        yield
    except OSError as exc:
        raise DeskError(f"无法写入 {path}：{reason(exc)}。未留下不完整的文件。") from exc


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder is synced; not possible on Windows (and not needed there).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sync(path: Path) -> None:
    """Make a finished file and its name durable (after an export renamed it into place)."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
    _fsync_folder(path.parent)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over ``path`` only when the block succeeds."""
    check_target(path)
    with writing(path):
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        try:
            yield tmp
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_folder(path.parent)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
