"""Report exports as progress jobs: ``export_register`` and ``export_annual``.

Each is a job (``core.jobs.Job``): a generator yielding ``Progress`` and
returning a summary; the GUI runs it with ``run_in_background`` (which throws
``Cancelled`` into it), the CLI with ``jobs.run``. Output goes to a temporary
file renamed into place at the end, so a cancelled or failed export leaves
nothing half-written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from request_desk.core.deadlines.clock import OFFICE_TZ
from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import Job, Progress, run
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.reports import annual, monthly, period_lock
from request_desk.core.reports.common import Month, atomic_output
from request_desk.core.reports.csvfile import RegisterCsvWriter
from request_desk.core.reports.html import annual_html

# ``run`` is re-exported: the CLI, tests and benchmarks drive exports with it.
__all__ = [
    "ANNUAL_FORMATS",
    "REGISTER_FORMATS",
    "RegisterPreview",
    "RegisterSummary",
    "export_annual",
    "export_register",
    "may_export_full_personal_data",
    "preview_register",
    "run",
    "write_annual",
]

REGISTER_FORMATS = ("xlsx", "csv", "pdf")
ANNUAL_FORMATS = ("xlsx", "pdf", "html", "json")


class _Writer(Protocol):
    def begin_section(self, section: monthly.Section, total: int) -> None: ...
    def add_rows(self, rows: list[monthly.RegisterRow]) -> None: ...
    def end_section(self, section: monthly.Section, totals: monthly.SectionTotals) -> None: ...
    def add_amendments(self, items: list[period_lock.Amendment]) -> None: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...


def _writer(fmt: str, path: Path, meta: monthly.RegisterMeta) -> _Writer:
    # openpyxl and reportlab take 0.1 s each to import; only the chosen format's writer pays.
    if fmt == "xlsx":
        from request_desk.core.reports.xlsx import RegisterXlsxWriter  # noqa: PLC0415  (openpyxl)

        return RegisterXlsxWriter(path, meta)
    if fmt == "csv":
        return RegisterCsvWriter(path, meta)
    if fmt == "pdf":
        from request_desk.core.reports.pdf_table import RegisterPdfWriter  # noqa: PLC0415  (reportlab)

        return RegisterPdfWriter(path, meta)
    raise ValidationFailed(f"登记台账不支持“{fmt}”格式，可选：{'、'.join(REGISTER_FORMATS)}。")


@dataclass
class RegisterSummary:
    path: Path
    month: Month
    counts: dict[str, int] = field(default_factory=dict)  # section -> rows written
    amendments: int = 0
    # PDF only: characters no font has, printed as 〓 and listed under the register
    missing_glyphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegisterPreview:
    """The first rows of one section of a month's register, and how many rows the export will hold."""

    total: int
    rows: tuple[monthly.RegisterRow, ...]


def preview_register(db: Any, section: monthly.Section, month: Month, *, full_personal_data: bool = False,
                     limit: int = 500) -> RegisterPreview:
    """The rows the 报表 page shows before exporting (the export itself streams them all).

    Masked unless ``full_personal_data``; the page offers that only to a role
    allowed a full view (``may_export_full_personal_data``), and the audited
    full view is the export.
    """
    with db.read() as session:
        total = monthly.count(session, section, month)
        rows = next(monthly.stream(session, section, month, full_personal_data=full_personal_data, batch=limit), [])
    return RegisterPreview(total, tuple(rows))


def may_export_full_personal_data(db: Any, actor: str) -> bool:
    """Whether ``actor``'s role may export the register with full ID numbers and phones."""
    with db.read() as session:
        return permissions.may_view_full_personal_data(session, actor)


def export_register(db: Any, month: Month, fmt: str, path: Path | str, *, full_personal_data: bool = False,
                    actor: str = "", now: datetime | None = None) -> Job[RegisterSummary]:
    """Write ``month``'s register as xlsx, csv or pdf; yields progress after every batch.

    A full-personal-data export needs ``actor`` to hold a role that allows it,
    and is audited before anything is written.
    """
    fmt = fmt.lower()
    if fmt not in REGISTER_FORMATS:
        raise ValidationFailed(f"登记台账不支持“{fmt}”格式，可选：{'、'.join(REGISTER_FORMATS)}。")
    if full_personal_data:
        with db.write() as session:
            permissions.record_full_view(session, actor, "monthly_register",
                                         {"month": month.key, "format": fmt, "file": str(path)})
    summary = RegisterSummary(Path(path), month)
    with db.read() as session, atomic_output(path) as tmp:
        conf = office_settings.load(session)
        meta = monthly.RegisterMeta(conf.agency_name, month, full_personal_data, now or datetime.now(UTC))
        totals = {s: monthly.count(session, s, month) for s in monthly.SECTIONS}
        grand = sum(totals.values())
        yield Progress(0, grand, f"正在导出{month.label}登记台账…")
        writer = _writer(fmt, tmp, meta)
        done = 0
        try:
            for section in monthly.SECTIONS:
                writer.begin_section(section, totals[section])
                sums = monthly.SectionTotals()
                for batch in monthly.stream(session, section, month, full_personal_data=full_personal_data):
                    writer.add_rows(batch)
                    for row in batch:
                        sums.add(row)
                    done += len(batch)
                    yield Progress(done, grand, f"{section.short}：已写入 {sums.rows:,} / {totals[section]:,} 行")
                writer.end_section(section, sums)
                summary.counts[section.value] = sums.rows
            items = period_lock.amendments(session, month)
            writer.add_amendments(items)
            summary.amendments = len(items)
            yield Progress(grand, grand, "正在保存文件…")
            writer.close()
            summary.missing_glyphs = tuple(getattr(writer, "missing_glyphs", ()))
        except BaseException:
            writer.abort()  # the temporary file is removed by atomic_output
            raise
    return summary


def export_annual(db: Any, year: int, fmt: str, path: Path | str, *,
                  made_on: date | None = None) -> Job[annual.AnnualReport]:
    """Compute ``year``'s table, verify its own check, then write it (xlsx, pdf, html or json).

    ``made_on`` (default: today at the office) is the day the data run to when the
    year is not over yet; the PDF says so.
    """
    made_on = made_on or datetime.now(OFFICE_TZ).date()
    fmt = fmt.lower()
    if fmt not in ANNUAL_FORMATS:
        raise ValidationFailed(f"年度报告不支持“{fmt}”格式，可选：{'、'.join(ANNUAL_FORMATS)}。")
    yield Progress(0, 2, f"正在统计{year}年度数据…")
    with db.read() as session:
        report = annual.compute(session, year)
        agency = office_settings.load(session).agency_name
    report.check()
    yield Progress(1, 2, "正在写入文件…")
    with atomic_output(path) as tmp:
        write_annual(tmp, report, agency, fmt, made_on)
    yield Progress(2, 2, "完成")
    return report


def write_annual(path: Path, report: annual.AnnualReport, agency: str, fmt: str,
                 made_on: date | None = None) -> None:
    """Write an already checked report in ``fmt``; ``made_on`` as in ``export_annual``."""
    if fmt == "json":
        path.write_text(json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif fmt == "html":
        path.write_text(annual_html(report, agency), encoding="utf-8")
    elif fmt == "xlsx":  # openpyxl and reportlab are imported only when asked for (0.1 s each)
        from request_desk.core.reports.xlsx import write_annual_xlsx  # noqa: PLC0415

        write_annual_xlsx(path, report, agency)
    elif fmt == "pdf":
        from request_desk.core.reports.pdf_table import write_annual_pdf  # noqa: PLC0415

        write_annual_pdf(path, report, agency, made_on or datetime.now(OFFICE_TZ).date())
    else:
        raise ValidationFailed(f"年度报告不支持“{fmt}”格式。")
