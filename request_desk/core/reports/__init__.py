"""Registers, the statutory annual report, and their file formats.

``monthly`` (月度登记台账) and ``annual`` (年度报告统计表) compute the figures
in SQL and stream rows in batches; ``xlsx``, ``csvfile``, ``pdf_table`` and
``html`` write them; ``export`` ties a report to a format as a background job
(``core/jobs.py``: yields ``Progress``, honours cancellation, never leaves a
half-written file behind). ``period_lock`` records filed months.
No Qt here.
"""
