"""One rotating log file in the data directory; one named logger per area."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from request_desk import paths


def setup(level: int = logging.INFO) -> None:
    root = logging.getLogger("request_desk")
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    folder = paths.data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(folder / "request-desk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
