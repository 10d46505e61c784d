"""Making file writes durable: one place for fsync of files and of their folders.

A file written under a temporary name and renamed is only safe after a power
cut when the file's bytes were flushed before the rename and the folder's
entry after it (docs/RELIABILITY.md). Backups, restores and exports all use this.
"""

from __future__ import annotations

import os
from pathlib import Path


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to disk."""
    with open(path, "rb+") as fh:  # Windows flushes only a handle open for writing
        os.fsync(fh.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; not possible on Windows (and not needed there)."""
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


def fsync_path(path: Path) -> None:
    """Flush a file and its directory entry."""
    fsync_file(path)
    fsync_folder(Path(path).parent)
