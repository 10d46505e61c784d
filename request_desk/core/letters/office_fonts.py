"""The office's 仿宋 and 小标宋 for letters: checked where they are chosen, found again on every desk.

GB/T 9704-2012 sets a letter's body in 仿宋 and its title in 小标宋
(docs/domain.md, "Layout"). An administrator may choose such a font installed
on their PC (``installed_fonts``) for the body and for the title. The choice is
an office setting (``letter_body_font`` … in ``office.settings``): a family
name and the file it was found in, since paths differ between PCs. Each desk
looks the family up among its own installed fonts; a desk that lacks it, or
has a copy it cannot embed, prints with the bundled fonts (as with no choice),
says so in the log and in the check before issuing.

A font is accepted only when reportlab can embed it in a letter and it covers
what a letter needs: TrueType outlines, an OS/2 embedding permission that
allows embedding a subset, and every character of GB 2312 (all 6,763 汉字 and
the punctuation of letters) — the coverage of the bundled fonts. A rarer
character (a 生僻字 of a name) still comes from the next font in the chain,
as with the bundled fonts (``fonts.LetterFonts.font_for_char``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from request_desk.core.errors import ValidationFailed
from request_desk.core.office import permissions, settings_change
from request_desk.core.office.settings import OfficeSettings
from request_desk.core.storage.db import Database

from . import fonts as letter_fonts
from . import installed_fonts
from .fonts import BODY, TITLE
from .installed_fonts import ROLE_LABELS, FontFace

log = logging.getLogger(__name__)

ROLES = (BODY, TITLE)
DEFAULT = "default"
# role -> (setting of the family name, setting of the file name)
SETTING_KEYS = {BODY: ("letter_body_font", "letter_body_font_file"),
                TITLE: ("letter_title_font", "letter_title_font_file")}
LETTER_PUNCTUATION = "，。、；：？！“”‘’（）《》〔〕【】—…·0123456789"
_SAMPLE_MISSING = 8  # the refusal names this many missing characters


class FontRefused(ValidationFailed):
    """The font cannot be used for letters (not installed, CFF, no embedding, glyphs missing)."""


def gb2312_characters() -> str:
    """Every 汉字 of GB 2312 (levels 1 and 2), in code order."""
    out = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:  # the five unused cells at the end of row 0xD7
                continue
    return "".join(out)


@dataclass(frozen=True)
class Choice:
    """What the office chose for a role: empty ``family`` keeps the bundled font."""

    role: str
    family: str = ""
    file_name: str = ""


def choices(conf: OfficeSettings) -> dict[str, Choice]:
    """The office's choice for the body and the title."""
    return {role: Choice(role, getattr(conf, keys[0]).strip(), getattr(conf, keys[1]).strip())
            for role, keys in SETTING_KEYS.items()}


def check_face(face: FontFace, role: str) -> None:
    """Refuse (``FontRefused``, in Chinese) a face that cannot be embedded or lacks GB 2312 characters."""
    refusal = face.refusal()
    if refusal is not None:
        raise FontRefused(refusal)
    try:
        name = letter_fonts.register_font_file(letter_fonts.FontFile(face.path, face.index, "chosen"))
    except Exception as exc:  # noqa: BLE001 - reportlab's TTFError, OSError: the file cannot be used
        raise FontRefused(f"字体“{face.family}”（{face.file_name}）无法读取：{exc}") from None
    missing = letter_fonts.missing_glyphs(gb2312_characters() + LETTER_PUNCTUATION, name)
    if missing:
        sample = "".join(missing[:_SAMPLE_MISSING])
        raise FontRefused(f"字体“{face.family}”（{face.file_name}）缺少{len(missing)}个公文常用字"
                          f"（GB 2312 字符集，如“{sample}”），不能用作公文{ROLE_LABELS[role]}字体。")


@dataclass(frozen=True)
class Resolved:
    """A choice as this desk can honour it: the font file to use, or why it falls back."""

    choice: Choice
    font: letter_fonts.FontFile | None
    warning: str = ""


def resolve(choice: Choice, files: Iterable[Path] | None = None) -> Resolved:
    """The chosen face on this PC, checked; without it, the reason the bundled font is used."""
    if not choice.family:
        return Resolved(choice, None)
    if files is None:
        return _resolve_here(choice, os.environ.get(installed_fonts.FONT_DIRS_ENV))
    return _resolve(choice, files)


@lru_cache(maxsize=16)
def _resolve_here(choice: Choice, _folders: str | None) -> Resolved:
    """``resolve`` on this PC's folders, once per process (every letter preview asks); ``forget`` clears it."""
    return _resolve(choice, None)


def _resolve(choice: Choice, files: Iterable[Path] | None) -> Resolved:
    label = ROLE_LABELS[choice.role]
    face = installed_fonts.find_face(choice.family, choice.file_name, files)
    if face is None:
        warning = (f"本机未安装机关选定的公文{label}字体“{choice.family}”（{choice.file_name}），"
                   f"本机打印的文书{label}改用内置字体。")
    else:
        try:
            check_face(face, choice.role)
        except FontRefused as exc:
            warning = f"本机的公文{label}字体“{choice.family}”不能使用：{exc}本机打印的文书{label}改用内置字体。"
        else:
            return Resolved(choice, letter_fonts.FontFile(face.path, face.index, "chosen"))
    log.warning("letter %s font %r (%s) not usable on this PC; using the bundled font: %s",
                choice.role, choice.family, choice.file_name, warning)
    return Resolved(choice, None, warning)


def resolve_all(conf: OfficeSettings) -> list[Resolved]:
    """``resolve`` for the body and the title."""
    return [resolve(choice) for choice in choices(conf).values()]


def chosen_files(conf: OfficeSettings) -> tuple[tuple[str, letter_fonts.FontFile], ...]:
    """(role, font file) of each chosen font this PC has, for ``fonts.load_letter_fonts(chosen=…)``."""
    return tuple((r.choice.role, r.font) for r in resolve_all(conf) if r.font is not None)


def warnings(conf: OfficeSettings) -> list[str]:
    """What this desk prints differently from the office's choice, in Chinese (empty when all is well)."""
    return [r.warning for r in resolve_all(conf) if r.warning]


def forget() -> None:
    """Look the chosen fonts up again (after a choice, or fonts installed meanwhile)."""
    _resolve_here.cache_clear()
    letter_fonts.load_letter_fonts.cache_clear()  # type: ignore[attr-defined]


def choose_font(db: Database, actor: str, role: str, family: str, *, file_name: str = "",
                files: Iterable[Path] | None = None) -> FontFace | None:
    """Make ``family`` (installed on this PC, preferably in ``file_name``) the letter font for ``role``.

    ``default`` (or an empty name) goes back to the bundled font.

    Administrators only, audited as a settings change (``settings_change.update_settings``).
    The font is checked here, on the PC that has it, before anything is stored; returns the
    face chosen, ``None`` for the default.
    """
    if role not in ROLES:
        raise FontRefused(f"没有“{role}”这种公文字体：可选 body（正文）或 title（标题）。")
    with db.read() as session:
        permissions.require(session, actor, permissions.Permission.CHANGE_SETTINGS,
                            f"“{actor}”无权修改公文字体：只有管理员可以修改机关设置。")
    family_key, file_key = SETTING_KEYS[role]
    face = None
    if family.strip() in ("", DEFAULT):
        changes = {family_key: "", file_key: ""}
    else:
        face = installed_fonts.find_face(family, file_name, files)
        if face is None:
            found = "、".join(dict.fromkeys(f.family for f in installed_fonts.candidates(role, files)))
            raise FontRefused(f"本机未安装名为“{family}”的字体。"
                              + (f"本机可选的{ROLE_LABELS[role]}字体：{found}。" if found else
                                 f"本机没有找到可用作{ROLE_LABELS[role]}的字体。"))
        check_face(face, role)
        changes = {family_key: face.family, file_key: face.file_name}
    settings_change.update_settings(db, actor, changes)
    forget()
    return face
