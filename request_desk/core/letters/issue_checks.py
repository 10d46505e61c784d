"""What the letter dialog asks before a letter is issued, each in its own short read.

The pre-issue check's findings on the edited draft, the fonts letters print in, whether the user may issue
a kind of letter (letters with full personal data are
for supervisors and administrators) and which number the next numbered letter
of a year would get: plain answers, so the dialog opens no database session.
"""

from __future__ import annotations

from request_desk.core.letters import compose, pre_issue, register
from request_desk.core.letters.fonts import LetterFonts
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database


def may_issue(db: Database, kind_code: str, actor: str) -> str | None:
    """``None`` if ``actor`` may issue a letter of this kind, else the refusal message."""
    with db.read() as session:
        return register.may_issue(session, kind_code, actor)


def preview_number(db: Database, year: int) -> str:
    """The number the next numbered letter of ``year`` would get (not reserved)."""
    with db.read() as session:
        return compose.preview_number(session, year)


def pre_issue_findings(db: Database, draft: compose.Draft) -> list[pre_issue.Finding]:
    """What the pre-issue check finds in the edited ``draft`` (errors first)."""
    with db.read() as session:
        return pre_issue.findings(session, draft)


def letter_fonts(db: Database) -> LetterFonts:
    """The fonts this desk prints letters in, with the office's chosen 仿宋 / 小标宋 (``compose.letter_fonts``)."""
    with db.read() as session:
        conf = office_settings.load(session)
    return compose.letter_fonts(conf)
