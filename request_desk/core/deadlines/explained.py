"""One day of a reply period and whether it counted: the lines of the clock's explanation.

Split from ``clock`` (which builds them); docs/domain.md, "Counting".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from request_desk.core.vocab import PAUSE_KIND_LABELS, PauseKind

__all__ = ["WEEKDAY_ZH", "ExplainedDay"]

WEEKDAY_ZH: Final[tuple[str, ...]] = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class ExplainedDay:
    """One calendar day of the reply period and whether it counted.

    ``reason``: "weekday" or "makeup_workday" when counted; "weekend",
    "holiday", "pause" or "later_date" (after the counted deadline, up to an
    Art. 35 date) when not. ``name`` is the holiday's name; ``pause_kind`` is
    set for every day inside a pause, counted or not.
    """

    day: date
    counted: bool
    number: int | None
    reason: str
    name: str = ""
    pause_kind: str | None = None
    provisional: bool = False
    extension: bool = False  # counted as one of the extension's 20 days

    def text(self) -> str:
        """One line of the Chinese explanation, e.g. "2026-10-08 第6个工作日"."""
        mark = "（暂定）" if self.provisional else ""
        if self.counted:
            notes: list[str] = []
            if self.reason == "makeup_workday":
                notes.append(f"调休上班：{self.name}" if self.name else "调休上班")
            if self.extension:
                notes.append("延长期限")
            if self.pause_kind is not None:
                notes.append(f"{PAUSE_KIND_LABELS[PauseKind(self.pause_kind)]}期间，按设置计入")
            extra = f"（{'；'.join(notes)}）" if notes else ""
            return f"{self.day.isoformat()} 第{self.number}个工作日{extra}{mark}"
        if self.reason == "pause" and self.pause_kind is not None:
            why = f"暂停计时（{PAUSE_KIND_LABELS[PauseKind(self.pause_kind)]}）"
        elif self.reason == "holiday":
            why = self.name or "节假日"
        elif self.reason == "weekend":
            why = WEEKDAY_ZH[self.day.weekday()]
        elif self.reason == "later_date":
            why = "法定期限已满，适用另行确定的答复日期"
        else:
            why = self.reason
        return f"{self.day.isoformat()} 不计：{why}{mark}"
