"""The daily to-do (今日待办) as a printable A4 list, one table per kind.

Set with the register PDF's fonts and table style (``pdf_table``), so every
character the desk can print prints here too.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from request_desk.core.cases.todo import Todo
from request_desk.core.letters.fonts import TITLE
from request_desk.core.reports.pdf_table import _Fonts, _grid, _styles

__all__ = ["todo_pdf"]

_WEEKDAYS = "一二三四五六日"
_HEAD = ("序号", "登记号", "申请人", "待办事项", "期限", "剩余")
_WIDTHS_MM = (10, 24, 26, 76, 22, 24)


def todo_pdf(todo: Todo, agency: str = "") -> bytes:
    """The to-do as PDF bytes; an empty kind is listed as 无 so the paper shows it was checked."""
    f = _Fonts()
    st = _styles(f, 8)
    buf = io.BytesIO()
    t = todo.today
    heading = f"{agency}今日待办" if agency else "今日待办"
    sub = f"{t.year}年{t.month}月{t.day}日 星期{_WEEKDAYS[t.weekday()]}　共 {todo.total} 项"
    if todo.user:
        sub += f"　只含 {todo.user} 登记的申请"
    story: list[Any] = [Paragraph(f.markup(heading, TITLE), st["title"]),
                        Paragraph(f.markup(sub), st["subtitle"]), Spacer(1, 4 * mm)]
    widths = [w * mm for w in _WIDTHS_MM]
    for section in todo.sections:
        shown = f"（列出前 {len(section.items)} 项）" if len(section.items) < section.count else ""
        story.append(Paragraph(f.markup(f"{section.title}　{section.count} 项{shown}"), st["section"]))
        if not section.items:
            story.append(Paragraph(f.markup("无"), st["label"]))
            continue
        rows: list[list[Any]] = [[Paragraph(f.markup(h), st["head"]) for h in _HEAD]]
        for n, item in enumerate(section.items, 1):
            cells = (str(n), item.reg_number, item.applicant_name, item.what,
                     item.due.isoformat() if item.due else "", item.left_text())
            rows.append([Paragraph(f.markup(c), st["cell"]) for c in cells])
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(_grid(f.body, 8, f.bold)))
        story.append(table)
    note = f.missing_note()
    if note:
        story.append(Paragraph(f.markup(note), st["total"]))
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=heading)
    doc.build(story)
    return buf.getvalue()
