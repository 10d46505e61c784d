"""Files the command line writes (``-o``): checked first, written whole or not at all.

Every CLI export goes through here (issue 11, item 12), and the rule itself is
the core's, shared with the GUI's exports (``core.reports.common``):

* ``check_target`` (``common.check_output``) refuses, before any work is done
  (before a letter is issued), a target that is a folder, a device or pipe
  (run as root, ``os.replace`` would put a file in place of ``/dev/full``), a
  folder that does not exist, or a name too long for the file system once the
  temporary name's extra characters are added;
* ``atomic_path`` (``common.atomic_output``) hands out a temporary name in the
  target's folder and, on success, fsyncs it, renames it over the target and
  fsyncs the folder, so a full disk, a crash or a kill never leaves a
  half-written file under the final name (the temporary file is removed on
  failure);
* ``writing`` turns the ``OSError`` of a full disk, a read-only medium or a
  refused folder into a one-line Chinese ``DeskError`` (exit 1).

The report exports (``core.reports.export``) write through ``atomic_output``
themselves; the CLI only checks their target first and translates errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from request_desk.core.errors import DeskError
from request_desk.core.reports.common import atomic_output, check_output, os_reason

if TYPE_CHECKING:
    from request_desk.core.letters.issuing import IssuedLetter


def check_target(path: Path) -> Path:
    """``path`` if a file can be written there; a ``DeskError`` saying why not otherwise."""
    return check_output(path)


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Translate the ``OSError`` of writing ``path`` into a one-line ``DeskError``."""
    try:
        yield
    except OSError as exc:
        raise DeskError(f"无法写入 {path}：{os_reason(exc)}。未留下不完整的文件。") from exc


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over ``path`` only when the block succeeds."""
    with writing(path), atomic_output(path) as tmp:
        yield tmp


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def report_issued(issued: IssuedLetter, output: Path | None) -> None:
    """After a letter is issued: its PDF to ``output`` when asked, then one line naming it.

    The letter stands whatever happens to the file: a failed write says it was issued
    and can be printed again from the desk.
    """
    where = ""
    if output is not None:
        try:
            write_bytes(output, issued.pdf)
        except DeskError as exc:
            raise DeskError(f"文书已签发（{issued.doc_number or issued.title}），可在程序中重新打印；但{exc}") from exc
        where = f" -> {output}"
    print(f"{issued.doc_number or '（无文号）'}  {issued.title}  {issued.addressee}  {issued.page_count}页{where}")
