"""Excel files: the monthly register (streamed, write-only mode) and the annual table.

The register is written with openpyxl's write-only worksheets, so a month of
any size costs memory for one batch only. Each section is its own sheet with
title rows, a frozen header that repeats on every printed page, column widths,
wrapped text, A4 landscape fitted to the page width and a totals line.
openpyxl builds a cell object and an XML element per cell, 2.5 s per 5,000
register lines; the lines hold only text, whole numbers and dates in four
styles, so ``_RegisterSheet`` takes them as XML written here, the same bytes
openpyxl writes (a test compares the two), and openpyxl writes the rest.
The annual table copies the official layout, merged header cells included.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import LXML, Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from request_desk.core.reports import annual
from request_desk.core.reports.monthly import COLUMNS, RegisterMeta, RegisterRow, Section, SectionTotals
from request_desk.core.reports.period_lock import AMENDMENT_COLUMNS, Amendment
from request_desk.core.reports.safe_text import FORMULA_STARTS, safe_cell_text, xlsx_text

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
SUBTITLE_FONT = Font(name="宋体", size=10)
HEADER_FONT = Font(name="黑体", size=10, bold=True)
BODY_FONT = Font(name="宋体", size=9)
LATE_FONT = Font(name="宋体", size=9, color="C00000")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"
PAPER_A4 = "9"
HEADER_ROW = 3  # rows 1–2: title and subtitle

# Short columns are centred; text columns wrap at the top left.
_CENTRED = {"no", "received", "channel", "applicant_type", "reply", "on_time", "workdays_used", "satisfaction"}


LINE_HEIGHT = 12  # points per line of 9-point text


def _lines(text: str, width: float) -> int:
    """Lines ``text`` needs in a column ``width`` characters wide (an estimate, slightly generous)."""
    if not text:
        return 1
    # Column widths count the default font's "0"; 9-point text is narrower, a CJK character wider.
    units = sum([1.6 if ord(ch) > 0x2E80 else 0.85 for ch in text])
    return max(1, math.ceil(units / max(1.0, width - 1)))


_WIDTHS = tuple(c.width for c in COLUMNS)
# The longest text that surely fits one line of each column (every character
# counts at most 1.6; the margin covers rounding), so ``_lines`` is needed
# only for longer ones and row heights stay exactly as estimated from all columns.
_ONE_LINE = tuple(max(0, math.ceil((max(1.0, w - 1) - 1e-6) / 1.6) - 1) for w in _WIDTHS)
_ON_TIME = next(i for i, c in enumerate(COLUMNS) if c.key == "on_time")


def _print_setup(ws: Worksheet, header_rows: str, *, landscape: bool = True) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None  # WorksheetProperties() always makes one; the stubs allow None
    fit.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = header_rows
    footer = ws.oddFooter
    assert footer is not None  # HeaderFooter() always makes one; the stubs allow None
    footer.center.text = "第 &P 页，共 &N 页"


# openpyxl writes through the standard library's ElementTree (et_xmlfile) unless
# lxml is installed; lxml's stream takes no ready-made XML, and the lines then go
# through openpyxl's cells (the same file, slower).
RAW_XML = not LXML
MAX_TEXT = 32767  # Excel's limit for one cell: openpyxl cuts longer text there
_LEFT, _CENTRE, _DATE, _LATE = range(4)  # the lines' styles; + 4: the same with Excel's quote prefix
_QUOTED = 4


class _XmlRows:
    """Rows already written as ``<row>`` elements, for ``_RegisterSheet``."""

    __slots__ = ("count", "xml")

    def __init__(self, xml: str, count: int) -> None:
        self.xml, self.count = xml, count


class _RegisterSheet(WriteOnlyWorksheet):
    """A write-only sheet that also takes rows as XML (``append_xml``), between rows of cells."""

    def append_xml(self, xml: str, count: int) -> None:
        """Append ``count`` rows given as their ``<row>`` elements, numbered from the next row on."""
        self._get_writer()  # type: ignore[attr-defined]
        rows: Generator[None, Any, None] | None = self._rows  # type: ignore[has-type]
        if rows is None:
            rows = self._rows = self._write_rows()
            next(rows)
        rows.send(_XmlRows(xml, count))

    def _write_rows(self) -> Generator[None, Any, None]:
        # openpyxl's own loop (worksheet/_write_only.py), which also takes ``_XmlRows``.
        try:
            xf = self._writer.xf.send(True)  # type: ignore[attr-defined]
        except StopIteration:
            self._already_saved()  # type: ignore[attr-defined]
        write_text = xf._file  # noqa: SLF001  (et_xmlfile's writer: the sheet file's text ``write``)
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if isinstance(row, _XmlRows):
                        write_text(row.xml)
                        row_idx += row.count
                        continue
                    cells = self._values_to_row(row, row_idx)  # type: ignore[attr-defined]
                    self._writer.write_row(xf, cells, row_idx)  # type: ignore[attr-defined]
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)  # type: ignore[attr-defined]


class RegisterXlsxWriter:
    """Streams a register into an .xlsx file, one sheet per section."""

    def __init__(self, path: Path, meta: RegisterMeta) -> None:
        self.path, self.meta = path, meta
        self.wb = Workbook(write_only=True)
        self.ws: Worksheet | None = None
        self.row = 0
        # Named styles, prepared once: each cell gets a copy of its column's style array
        # (what ``cell.style = name`` does, without the name lookup and checks per cell).
        styles: list[StyleArray] = []
        for name, font, align, fmt in (("rd-left", BODY_FONT, LEFT, "General"),
                                       ("rd-centre", BODY_FONT, CENTER, "General"),
                                       ("rd-date", BODY_FONT, CENTER, DATE_FORMAT),
                                       ("rd-late", LATE_FONT, CENTER, "General")):
            style = NamedStyle(name=name, font=font, alignment=align, border=BORDER, number_format=fmt)
            self.wb.add_named_style(style)
            styles.append(style.as_tuple())
        for array in styles[:4]:  # what ``xlsx_text`` makes of a cell whose text starts like a formula
            quoted = StyleArray(array)
            quoted.quotePrefix = 1
            styles.append(quoted)
        self._styles = styles
        # The workbook numbers a style when a cell first uses it; so do the XML rows.
        self._style_ids: list[int | None] = [None] * len(styles)
        self._column_styles = [_CENTRE if c.key in _CENTRED else _LEFT for c in COLUMNS]
        self._letters = [get_column_letter(i) for i in range(1, len(COLUMNS) + 1)]
        self._serials: dict[date, str] = {}
        self._line_counts: dict[tuple[int, str], int] = {}

    def _c(self, value: object, font: Font = BODY_FONT, align: Alignment = LEFT, border: bool = True,
           number_format: str | None = None) -> Cell:
        assert self.ws is not None
        cell = xlsx_text(WriteOnlyCell(self.ws), value)
        cell.font, cell.alignment = font, align
        if border:
            cell.border = BORDER
        if number_format:
            cell.number_format = number_format
        return cell

    def _new_sheet(self, title: str) -> None:
        ws = _RegisterSheet(parent=self.wb, title=title)
        self.wb._add_sheet(ws)  # type: ignore[attr-defined]  # noqa: SLF001  (what create_sheet does)
        self.ws = ws  # type: ignore[assignment]  # the stubs know Worksheet; the API used here is common

    def _titles(self, title: str, subtitle: str, headers: Sequence[str], widths: Sequence[float]) -> None:
        ws = self.ws
        assert ws is not None
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        last = get_column_letter(len(headers))
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
        ws.merged_cells.add(f"A1:{last}1")
        ws.merged_cells.add(f"A2:{last}2")
        ws.row_dimensions[1].height = 28
        ws.row_dimensions[HEADER_ROW].height = 28  # two lines: 实际用时（工作日）
        ws.append([self._c(title, TITLE_FONT, CENTER, border=False)])
        ws.append([self._c(subtitle, SUBTITLE_FONT, CENTER, border=False)])
        ws.append([self._c(h, HEADER_FONT, CENTER) for h in headers])
        self.row = HEADER_ROW

    def begin_section(self, section: Section, total: int) -> None:
        self._new_sheet(section.short)
        self._titles(self.meta.title, f"{section.heading}　{self.meta.subtitle}",
                     [c.label for c in COLUMNS], [c.width for c in COLUMNS])

    def _style(self, key: int) -> int:
        sid = self._style_ids[key]
        if sid is None:  # a cell's ``style_id`` numbers its style in the workbook
            assert self.ws is not None
            sid = self._style_ids[key] = Cell(self.ws, row=1, column=1, style_array=self._styles[key]).style_id
        return sid

    def _serial(self, day: date) -> str:
        serial = self._serials.get(day)
        if serial is None:
            serial = self._serials[day] = "%.16g" % to_excel(day, self.wb.epoch)  # type: ignore[no-untyped-call]  # noqa: UP031
        return serial

    def _lines_of(self, column: int, text: str) -> int:
        # A unit, an outcome, a due date's note recur on many lines: estimated once each.
        key = (column, text)
        n = self._line_counts.get(key)
        if n is None:
            n = self._line_counts[key] = _lines(text, _WIDTHS[column])
        return n

    def _line(self, r: RegisterRow) -> tuple[list[tuple[int, Any]], int]:
        """(style, value) per cell, values as the cells hold them, and the lines the row needs."""
        # Spreadsheet programs do not grow rows for wrapped text on opening: give each its height.
        # Only a text longer than its column's one-line length needs the estimate.
        lines = 1
        cells: list[tuple[int, Any]] = []
        late = r.overdue
        for i, value in enumerate(r.values):
            if value is None:
                style = self._column_styles[i]
            elif isinstance(value, date):
                style = _DATE
                if len(text := value.isoformat()) > _ONE_LINE[i]:
                    lines = max(lines, self._lines_of(i, text))
            else:
                style = self._column_styles[i]
                text = value if type(value) is str else str(value)
                if len(text) > _ONE_LINE[i]:
                    lines = max(lines, self._lines_of(i, text))
            if i == _ON_TIME and late and not isinstance(value, date):
                style = _LATE
            if (value is not None and not isinstance(value, (int, float, date))) or isinstance(value, bool):
                # user text stays text: no formula, no IllegalCharacterError (as ``xlsx_text``)
                value = safe_cell_text(text)[:MAX_TEXT]
                if value.startswith(FORMULA_STARTS):
                    style += _QUOTED
            cells.append((style, value))
        return cells, lines

    def add_rows(self, rows: Sequence[RegisterRow]) -> None:
        ws = self.ws
        assert ws is not None
        if not RAW_XML:
            self._add_cells(rows)
            return
        out: list[str] = []
        letters, style_ids = self._letters, self._style_ids
        for r in rows:
            self.row += 1
            n = self.row
            cells, lines = self._line(r)
            out.append(f'<row r="{n}" ht="{LINE_HEIGHT * lines + 3}" customHeight="1">' if lines > 1
                       else f'<row r="{n}">')
            # The XML of openpyxl's cells (cell/_writer.py, etree_write_cell) for these values.
            for letter, (style, value) in zip(letters, cells, strict=True):
                s = style_ids[style]
                if s is None:
                    s = self._style(style)
                if value is None:
                    out.append(f'<c r="{letter}{n}" s="{s}" t="n" />')
                elif isinstance(value, str):
                    if not value:
                        out.append(f'<c r="{letter}{n}" s="{s}" t="inlineStr" />')
                    else:
                        stripped = value.strip()
                        space = ' xml:space="preserve"' if stripped and stripped != value else ""
                        out.append(f'<c r="{letter}{n}" s="{s}" t="inlineStr"><is><t{space}>{escape(value)}'
                                   "</t></is></c>")
                elif isinstance(value, date):
                    out.append(f'<c r="{letter}{n}" s="{s}" t="n"><v>{self._serial(value)}</v></c>')
                else:
                    number = "%.16g" % value  # noqa: UP031  (openpyxl's safe_string)
                    out.append(f'<c r="{letter}{n}" s="{s}" t="n"><v>{number}</v></c>')
            out.append("</row>")
        ws.append_xml("".join(out), len(rows))  # type: ignore[attr-defined]

    def _add_cells(self, rows: Sequence[RegisterRow]) -> None:
        """``add_rows`` through openpyxl's cells: the same rows, where the XML cannot be given."""
        ws = self.ws
        assert ws is not None
        for r in rows:
            self.row += 1
            cells, lines = self._line(r)
            if lines > 1:
                ws.row_dimensions[self.row].height = LINE_HEIGHT * lines + 3
            ws.append([xlsx_text(Cell(ws, row=1, column=1, style_array=StyleArray(self._styles[style])), value)
                       for style, value in cells])

    def end_section(self, section: Section, totals: SectionTotals) -> None:
        assert self.ws is not None
        self.row += 1
        self.ws.merged_cells.add(f"A{self.row}:{get_column_letter(len(COLUMNS))}{self.row}")
        self.ws.append([self._c(totals.text(section), HEADER_FONT, LEFT)]
                       + [self._c(None) for _ in COLUMNS[1:]])

    def add_amendments(self, items: Sequence[Amendment]) -> None:
        self._new_sheet("已归档月份更正")
        assert self.ws is not None
        self._titles(self.meta.title, f"四、已归档月份的更正　{self.meta.month.label}",
                     AMENDMENT_COLUMNS, (14, 12, 18, 60, 12))
        for a in items:
            self.ws.append([self._c(a.reg_number), self._c(a.locked_month.label, align=CENTER),
                            self._c(a.at.strftime("%Y-%m-%d %H:%M"), align=CENTER), self._c(a.what),
                            self._c(a.user, align=CENTER)])
        if not items:
            self.ws.merged_cells.add(f"A{HEADER_ROW + 1}:E{HEADER_ROW + 1}")
            self.ws.append([self._c("本月无已归档月份的更正。", align=CENTER)] + [self._c(None)] * 4)

    def close(self) -> None:
        self.wb.save(self.path)

    def abort(self) -> None:
        """Finish each sheet's temporary file and delete it (openpyxl keeps them until ``save``)."""
        for ws in self.wb.worksheets:
            if not ws.closed:
                ws.close()
            writer = getattr(ws, "_writer", None)
            if writer is not None and isinstance(writer.out, str):
                writer.cleanup()


# --------------------------------------------------------------------------
# The annual report table
# --------------------------------------------------------------------------

_LABEL_COLS = 3  # 一/二/三/四 · (一)…(七) · 1. 2. …
CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _box(ws: Worksheet, ref: str, value: object, font: Font = BODY_FONT, align: Alignment = CENTER) -> None:
    """Write ``value`` into the top-left cell of ``ref``, merge it, and border every cell."""
    first = ref.split(":", maxsplit=1)[0]
    xlsx_text(ws[first], value)
    ws[first].font, ws[first].alignment = font, align
    if ":" in ref:
        ws.merge_cells(ref)
    for row in ws[ref] if ":" in ref else ((ws[ref],),):
        for cell in row:
            cell.border = BORDER


def write_annual_xlsx(path: Path, report: annual.AnnualReport, agency: str) -> None:
    """The table as in the official format (merged header and label cells), and the remedy table."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook has one sheet, active
    ws.title = "申请情况"
    ncols = _LABEL_COLS + len(annual.COLUMN_KEYS)
    last = get_column_letter(ncols)
    for i, w in enumerate((8, 14, 34, *([10] * len(annual.COLUMN_KEYS))), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _box(ws, f"A1:{last}1", f"{agency}{report.year}年政府信息公开工作年度报告", TITLE_FONT)
    left = Alignment(horizontal="left", vertical="center")
    _box(ws, f"A2:{last}2", "三、收到和处理政府信息公开申请情况", HEADER_FONT, left)
    _box(ws, "A3:C5", CHECK_NOTE, BODY_FONT)
    _box(ws, f"D3:{last}3", "申请人情况", HEADER_FONT)
    _box(ws, "D4:D5", "自然人", HEADER_FONT)
    _box(ws, "E4:I4", "法人或其他组织", HEADER_FONT)
    _box(ws, "J4:J5", "总计", HEADER_FONT)
    for i, key in enumerate(annual.TYPE_COLUMNS[1:]):
        _box(ws, f"{get_column_letter(5 + i)}5", annual.COLUMN_LABELS[key], HEADER_FONT)
    first_data = 6
    row_of = {key: first_data + i for i, key in enumerate(annual.ROW_KEYS)}
    label_left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for key in ("new", "carried_in", "carried_out"):
        r = row_of[key]
        _box(ws, f"A{r}:C{r}", annual.ROW_LABELS[key], BODY_FONT, label_left)
    top, bottom = row_of["1"], row_of["total"]
    _box(ws, f"A{top}:A{bottom}", "三、本年度办理结果", BODY_FONT)
    for key in ("1", "2", "total"):
        r = row_of[key]
        _box(ws, f"B{r}:C{r}", annual.ROW_LABELS[key], BODY_FONT, label_left)
    for spec in annual.row_specs():
        if spec.key.startswith("heading:") and spec.key != "heading:results":
            group = spec.key.split(":")[1]
            codes = [k for k in annual.OUTCOME_ROWS if k.split(".")[0] == group]
            _box(ws, f"B{row_of[codes[0]]}:B{row_of[codes[-1]]}", spec.number + spec.label, BODY_FONT)
        elif spec.level == 2:
            _box(ws, f"C{row_of[spec.key]}", spec.number + spec.label, BODY_FONT, label_left)
    for key, r in row_of.items():
        for j, col in enumerate(annual.COLUMN_KEYS):
            _box(ws, f"{get_column_letter(_LABEL_COLS + 1 + j)}{r}", report.table[key][col], BODY_FONT)
    _print_setup(ws, "3:5", landscape=False)

    rs = wb.create_sheet("行政复议和诉讼")
    for i in range(1, 16):
        rs.column_dimensions[get_column_letter(i)].width = 9
    _box(rs, "A1:O1", "四、政府信息公开行政复议、行政诉讼情况", HEADER_FONT, left)
    _box(rs, "A2:E3", "行政复议", HEADER_FONT)
    _box(rs, "F2:O2", "行政诉讼", HEADER_FONT)
    _box(rs, "F3:J3", "未经复议直接起诉", HEADER_FONT)
    _box(rs, "K3:O3", "复议后起诉", HEADER_FONT)
    for k, kind in enumerate(annual.REMEDY_KINDS):
        for j, col in enumerate(annual.REMEDY_COLUMNS):
            letter = get_column_letter(1 + 5 * k + j)
            _box(rs, f"{letter}4", annual.REMEDY_COLUMN_LABELS[col], HEADER_FONT)
            _box(rs, f"{letter}5", report.remedies[kind][col], BODY_FONT)
    _print_setup(rs, "2:4")
    wb.save(path)
