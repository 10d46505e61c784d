"""Small charts painted with QPainter (QtCharts is not part of PySide6-Essentials).

Each chart holds plain numbers, paints them, and says the same in words in
its tooltip and ``summary()`` (for screen readers, tests and print-outs).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#3f7dd1")
BAR_LATEST = QColor("#1f5fae")
GRID = QColor("#d9dde3")
TEXT = QColor("#3c4043")
MUTED = QColor("#80868b")
GOOD = QColor("#1d8a4a")
TRACK = QColor("#e6e8eb")


class _Chart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # A tab of the dashboard's lower half (beside 今日待办), which must fit a 768-pixel screen.
        self.setMinimumHeight(100)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, 200)

    def summary(self) -> str:
        raise NotImplementedError

    def _refresh_text(self) -> None:
        text = self.summary()
        self.setToolTip(text)
        self.setAccessibleName(self.title)
        self.setAccessibleDescription(text)
        self.update()

    def _paint_title(self, p: QPainter) -> QRectF:
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(TEXT)
        height = p.fontMetrics().height()
        p.drawText(QRectF(0, 0, self.width(), height), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        return QRectF(0, height + 6, self.width(), self.height() - height - 6)


class MonthlyBarChart(_Chart):
    """Requests received per month: one bar a month, the current month darker."""

    def __init__(self, title: str = "近12个月收到申请", parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.months: list[tuple[int, int, int]] = []

    def set_data(self, months: list[tuple[int, int, int]]) -> None:
        self.months = list(months)
        self._refresh_text()

    def summary(self) -> str:
        if not self.months:
            return f"{self.title}：无数据"
        parts = [f"{y}年{m}月 {n} 件" for y, m, n in self.months]
        return f"{self.title}：" + "，".join(parts)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self._paint_title(p)
        if not self.months:
            p.setPen(MUTED)
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "暂无数据")
            return
        fm = p.fontMetrics()
        label_h = fm.height() + 4
        value_h = fm.height() + 2
        plot = QRectF(area.left() + 4, area.top() + value_h, area.width() - 8, area.height() - label_h - value_h)
        top = max(n for _, _, n in self.months) or 1
        slot = plot.width() / len(self.months)
        bar_w = max(4.0, slot * 0.62)
        p.setPen(QPen(GRID, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        for i, (_year, month, n) in enumerate(self.months):
            h = plot.height() * n / top
            x = plot.left() + i * slot + (slot - bar_w) / 2
            bar = QRectF(x, plot.bottom() - h, bar_w, h)
            p.fillRect(bar, BAR_LATEST if i == len(self.months) - 1 else BAR)
            p.setPen(TEXT)
            p.drawText(QRectF(x - 8, bar.top() - value_h, bar_w + 16, value_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(n))
            label = f"{month}月"
            p.setPen(MUTED)
            p.drawText(QRectF(plot.left() + i * slot - 6, plot.bottom() + 2, slot + 12, label_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)


class HorizontalBarChart(_Chart):
    """Labelled horizontal bars, e.g. replies this year by outcome group."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.items: list[tuple[str, int]] = []

    def set_data(self, items: list[tuple[str, int]]) -> None:
        self.items = list(items)
        self._refresh_text()

    def summary(self) -> str:
        if not self.items:
            return f"{self.title}：无数据"
        return f"{self.title}：" + "，".join(f"{label} {n} 件" for label, n in self.items)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self._paint_title(p)
        if not self.items:
            return
        fm = p.fontMetrics()
        label_w = max(fm.horizontalAdvance(label) for label, _ in self.items) + 10
        value_w = fm.horizontalAdvance("00000") + 6
        row_h = min(area.height() / len(self.items), fm.height() + 12)
        top = max(n for _, n in self.items) or 1
        track_w = max(10.0, area.width() - label_w - value_w)
        for i, (label, n) in enumerate(self.items):
            y = area.top() + i * row_h
            p.setPen(TEXT)
            p.drawText(QRectF(0, y, label_w - 8, row_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            bar_h = row_h * 0.6
            by = y + (row_h - bar_h) / 2
            p.fillRect(QRectF(label_w, by, track_w, bar_h), TRACK)
            if n:
                p.fillRect(QRectF(label_w, by, max(2.0, track_w * n / top), bar_h), BAR)
            p.drawText(QRectF(label_w + track_w + 6, y, value_w, row_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(n))


class RateRing(_Chart):
    """A share as a ring with the percentage inside, e.g. replies on time this year."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.part = 0
        self.whole = 0
        self.caption = ""

    def set_data(self, part: int, whole: int, caption: str = "") -> None:
        self.part, self.whole, self.caption = part, whole, caption
        self._refresh_text()

    def percent_text(self) -> str:
        if self.whole == 0:
            return "—"
        return f"{100 * self.part / self.whole:.1f}%"

    def summary(self) -> str:
        if self.whole == 0:
            return f"{self.title}：本年尚无答复"
        return f"{self.title}：{self.percent_text()}（{self.caption}）"

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self._paint_title(p)
        fm = p.fontMetrics()
        caption_h = fm.height() + 4
        size = max(20.0, min(area.width(), area.height() - caption_h) - 8)
        ring = QRectF(area.center().x() - size / 2, area.top() + 4, size, size)
        width = max(6.0, size * 0.12)
        inner = ring.adjusted(width / 2, width / 2, -width / 2, -width / 2)
        p.setPen(QPen(TRACK, width))
        p.drawEllipse(inner)
        if self.whole:
            pen = QPen(GOOD, width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.setPen(pen)
            p.drawArc(inner, 90 * 16, -round(360 * 16 * self.part / self.whole))
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.6)
        big.setBold(True)
        p.setFont(big)
        p.setPen(TEXT)
        p.drawText(ring, Qt.AlignmentFlag.AlignCenter, self.percent_text())
        p.setFont(self.font())
        p.setPen(MUTED)
        caption = self.caption if self.whole else "本年尚无答复"
        p.drawText(QRectF(area.left(), ring.bottom() + 4, area.width(), caption_h),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption)
