"""The search record of a case as a printable annex for the file (检索记录（附件，存档用）).

A 4.1 reply states its search in one sentence (``compose``: ``${search_summary}``);
the full record — each search's day, the systems, archives or units searched, the
keywords, the result and who searched — is printed separately for the case file,
in the letters' own GB/T 9704 layout (``pdf.render_letter``), so a reconsideration
body or a court sees what was searched, where and how (指导性案例101号;
docs/domain.md, "Search record"). It is not sent to the applicant and draws no
document number.
"""

from __future__ import annotations

import io
from datetime import date

from request_desk.core.cases import search_records
from request_desk.core.cases.lookup import load_request
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database

from .blanks import cn_date
from .document import LetterDocument
from .pdf import render_letter

ANNEX_TITLE = "检索记录（附件，存档用）"
_NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, units = divmod(n, 10)
    return (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[units - 1] if units else "")


def search_record_document(db: Database, request_id: int, *, on_date: date | None = None) -> LetterDocument:
    """The annex as a document: the request, then one paragraph per search."""
    with db.read() as session:
        request = load_request(session, request_id)
        rows = search_records.rows_in(session, request_id)
        agency = office_settings.load(session).agency_name
    if not rows:
        raise ValidationFailed(f"申请 {request.reg_number} 尚无检索记录：请先在办理操作中“登记检索记录”。")
    body = [f"申请编号：{request.reg_number}；申请人：{request.applicant_name}；"
            f"收到申请日期：{cn_date(request.received_date)}。",
            f"申请内容：{request.description}"]
    for n, r in enumerate(rows, start=1):
        body.append(f"{_numeral(n)}、{cn_date(r.searched_on)}，检索人：{r.searched_by}。检索范围：{r.where}；"
                    f"检索关键词：{r.keywords}；检索结果：{r.found}。")
    summary = search_records.summary(rows)
    body.append(f"综上，{summary}")
    return LetterDocument(title=ANNEX_TITLE, body=body,
                          signature=(agency, cn_date(on_date or date.today())) if agency else (),
                          author=agency or None)


def search_record_pdf(db: Database, request_id: int, *, on_date: date | None = None) -> bytes:
    """The case's search record as a PDF for the file (ValidationFailed without a search on record)."""
    out = io.BytesIO()
    render_letter(search_record_document(db, request_id, on_date=on_date), out)
    return out.getvalue()
