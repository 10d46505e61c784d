"""Request Desk (依申请公开办理台): government-information request handling."""

from __future__ import annotations

__version__ = "0.1.0"
