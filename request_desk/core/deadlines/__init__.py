"""Deadlines: which days are working days (``workcalendar``), the State Council holiday
notices stored in the database (``holidays``), the legal clock of a request (``clock``:
due date, working days left, colour, provisional), the office's clock rules read once
per session (``rules``) and the clock of a stored request (``case_clock.office_clock``,
the one way every view gets its deadlines). Depends only on storage and vocab (and the
loose core modules errors/text/files), so every other package can ask it the time.
"""
