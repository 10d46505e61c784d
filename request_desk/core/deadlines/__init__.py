"""Deadlines: which days are working days, and the legal clock of every request.

``workcalendar`` says which days are working days. Its data starts from
``holiday_data`` (the State Council notices shipped in chinesecalendar, else the
statutory public holidays); a year an administrator enters replaces it, read
from a holiday-notice file by ``notice_file`` and stored in the database by
``holidays``. ``clock`` is the legal clock of a request (due date, working days
left, colour, provisional; its day-by-day lines in ``explained``),
``consultation`` a consultation's own deadline, which bounds the time the clock
leaves out, ``rules`` the office's clock settings read once per session, and
``case_clock`` binds both to a stored request: its ``office_clock``
is the one way every view gets its deadlines. ``remedy_windows`` is the last day to
seek reconsideration or litigation from a reply's delivery. Depends only on storage and vocab
(and the loose core modules errors/text/files), so every other package can ask
it the time.
"""
