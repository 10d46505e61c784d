"""Where an attachment opened in the system viewer is copied (附件查看), and its clearing.

Its own small module: the desk clears the folder as it starts, before the case
machinery is imported.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from request_desk import paths

VIEW_FOLDER = "附件查看"


def view_folder() -> Path:
    return paths.data_dir() / VIEW_FOLDER


def remove_view_copies() -> None:
    """Delete the copies opened for viewing: they may be ID copies, kept in clear only while needed.

    Run when the desk starts and when it closes; a file a viewer still holds open
    (Windows locks it) is left for the next time.
    """
    shutil.rmtree(view_folder(), ignore_errors=True)
