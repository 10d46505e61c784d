"""Deadlines: which days are working days (``workcalendar``), the State Council holiday
notices stored in the database (``holidays``), and the legal clock of a request
(``clock``: due date, working days left, colour, provisional). Depends only on storage
and vocab, so every other package can ask it the time.
"""
