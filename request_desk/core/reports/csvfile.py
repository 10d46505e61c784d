"""The register as CSV: UTF-8 with a byte-order mark, so Excel opens the Chinese correctly.

One table, one header row; the first column names the section (本月收到 /
月末未办结 / 本月办结 / 已归档月份更正), so the file stays machine-readable.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from request_desk.core.reports.monthly import COLUMNS, RegisterMeta, RegisterRow, Section, SectionTotals
from request_desk.core.reports.period_lock import Amendment
from request_desk.core.reports.safe_text import csv_cell

SECTION_HEADER = "栏目"
AMENDMENT_SECTION = "已归档月份更正"


class RegisterCsvWriter:
    def __init__(self, path: Path, meta: RegisterMeta) -> None:
        self.meta = meta
        # utf-8-sig writes the BOM; newline="" lets csv choose \r\n, as Excel expects.
        self.file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed in close())
        self.out = csv.writer(self.file)
        self.out.writerow([SECTION_HEADER, *(c.label for c in COLUMNS)])
        self.section: Section | None = None

    def begin_section(self, section: Section, total: int) -> None:
        self.section = section

    def add_rows(self, rows: Sequence[RegisterRow]) -> None:
        assert self.section is not None
        label = self.section.short
        for r in rows:
            self.out.writerow([label, *(csv_cell(v) for v in r.values)])

    def end_section(self, section: Section, totals: SectionTotals) -> None:
        pass  # totals belong to the printed formats; a CSV stays one clean table

    def add_amendments(self, items: Sequence[Amendment]) -> None:
        index = {c.key: i for i, c in enumerate(COLUMNS)}
        for a in items:
            row = [""] * len(COLUMNS)
            row[index["reg_number"]] = a.reg_number
            row[index["note"]] = f"{a.locked_month.label}已归档；{a.at:%Y-%m-%d %H:%M} {a.user}：{a.what}"
            self.out.writerow([AMENDMENT_SECTION, *(csv_cell(v) for v in row)])

    def close(self) -> None:
        self.file.close()

    def abort(self) -> None:
        self.file.close()
