"""Loading a request inside a caller's session, with the clerk's "not found" message."""

from __future__ import annotations

from sqlmodel import Session

from request_desk.core.errors import NotFound
from request_desk.core.storage.models import Request


def load_request(session: Session, request_id: int) -> Request:
    request = session.get(Request, request_id)
    if request is None:
        raise NotFound(f"找不到编号为 {request_id} 的申请。")
    return request
