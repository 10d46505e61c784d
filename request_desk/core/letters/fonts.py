"""Fonts embedded in printed letters.

GB/T 9704-2012 names five faces: 小标宋 (title), 仿宋 (body), 黑体 (一、
headings), 楷体 (（一） headings) and 宋体 (page numbers). Each *role* below
gets the best TrueType font found, looked up in this order:

1. the office's override directory (``load_letter_fonts(override_dir)``, e.g.
   the user's data directory ``fonts/``): a file named after the role
   (``title.ttf``, ``body.ttf``, ``heading.ttf``, ``subheading.ttf``,
   ``page_number.ttf``; ``.ttc`` works too, first face), or a well-known file
   name such as ``FZXBSJW.TTF`` (方正小标宋简体) or ``仿宋_GB2312.ttf``. Any
   other ``.ttf``/``.ttc`` there (e.g. a 生僻字 font) becomes a fallback for
   characters the role fonts lack;
2. on Windows, the installed fonts: 仿宋 ``simfang.ttf``, 宋体 ``simsun.ttc``,
   黑体 ``simhei.ttf``, 楷体 ``simkai.ttf`` (方正小标宋 if installed), and
   SimSun-ExtB ``simsunb.ttf`` as a fallback for CJK Extension B names;
3. the fonts shipped in ``request_desk.resources/fonts`` (all SIL OFL 1.1,
   TrueType outlines, embedding allowed; see ``resources/fonts/README.md``):
   Noto Serif SC Regular (body, page numbers, 楷体 stand-in; 30,920 glyphs,
   all of GB 2312, URO and Extension A, i.e. GB 18030-2005's mandatory set),
   Noto Serif SC Bold subset to GB 2312 (title) and Noto Sans SC Medium
   (黑体 headings); and, for characters those lack, a fallback chain of
   Noto Serif (Latin, Greek, Cyrillic: Polish, Czech, Russian … names),
   Noto Sans KR subset to Hangul, HanaMinB (CJK Extensions B–F: 𠮷 𪚥 𠈌)
   and Noto Emoji (monochrome emoji).

Before all of these come the 仿宋 / 小标宋 an administrator chose for the body
and the title (``office_fonts``, ``chosen=``), when this PC has them.

reportlab embeds only TrueType-outline fonts; a CFF (PostScript-outline) font
in the override directory is skipped and listed in ``LetterFonts.problems``.
Other fonts installed on Linux/macOS are not consulted unless chosen.

Each font file is registered with reportlab once per process (30–150 ms for a
CJK font) and only when it is first needed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import cast

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from . import unicode_map  # noqa: F401  (reportlab's ToUnicode map, corrected beyond U+FFFF)

log = logging.getLogger(__name__)

TITLE = "title"
BODY = "body"
HEADING = "heading"
SUBHEADING = "subheading"
PAGE_NUMBER = "page_number"
ROLES = (TITLE, BODY, HEADING, SUBHEADING, PAGE_NUMBER)

BUNDLED_SERIF = "NotoSerifSC-Regular.ttf"
BUNDLED_SERIF_BOLD = "NotoSerifSC-Bold-GB2312.ttf"
BUNDLED_SANS = "NotoSansSC-Medium.ttf"
BUNDLED_LATIN = "NotoSerif-Regular.ttf"
BUNDLED_HANGUL = "NotoSansKR-Hangul.ttf"
BUNDLED_EXT_B = "HanaMinB.ttf"
BUNDLED_EMOJI = "NotoEmoji-Regular.ttf"

_FONT_SUFFIXES = (".ttf", ".ttc", ".otf")

# Bundled fonts per role, in preference order (after override and system fonts).
_BUNDLED_FOR_ROLE: dict[str, tuple[str, ...]] = {
    TITLE: (BUNDLED_SERIF_BOLD, BUNDLED_SERIF),
    BODY: (BUNDLED_SERIF,),
    HEADING: (BUNDLED_SANS,),
    SUBHEADING: (BUNDLED_SERIF,),
    PAGE_NUMBER: (BUNDLED_SERIF,),
}
# Bundled fonts tried, in order, for a character that a role's fonts lack.
# The CJK faces come first so that a character they have keeps their style;
# the script fonts are registered only when a text needs them (lazily).
_BUNDLED_FALLBACKS = (BUNDLED_SERIF, BUNDLED_SANS, BUNDLED_LATIN, BUNDLED_HANGUL, BUNDLED_EXT_B, BUNDLED_EMOJI)

# Well-known file names per role, in preference order (matched case-insensitively).
_KNOWN_NAMES: dict[str, tuple[str, ...]] = {
    TITLE: ("FZXBSJW.TTF", "FZXBSK.TTF", "方正小标宋简体.ttf", "方正小标宋_GBK.ttf"),
    BODY: ("仿宋_GB2312.ttf", "FangSong_GB2312.ttf", "simfang.ttf", "simsun.ttc"),
    HEADING: ("simhei.ttf",),
    SUBHEADING: ("楷体_GB2312.ttf", "KaiTi_GB2312.ttf", "simkai.ttf"),
    PAGE_NUMBER: ("simsun.ttc", "simsun.ttf"),
}
# Well-known fallback fonts (rare characters): SimSun-ExtB / -ExtG, then 宋体.
_KNOWN_FALLBACKS = ("simsunb.ttf", "simsunextg.ttf", "simsun.ttc")

# Characters that are dropped before layout and never count as missing:
# controls, zero-width characters, soft hyphen, BOM and variation selectors
# (an IVS after a name character would otherwise print as a box).
_IGNORABLE_RE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\ufe00-\ufe0f\ufeff\U000e0001-\U000e007f\U000e0100-\U000e01ef]"
)


def clean_text(text: str) -> str:
    """Drop characters that never print (see ``_IGNORABLE_RE``); tabs become spaces."""
    return _IGNORABLE_RE.sub("", text.replace("\t", " "))


def _is_ignorable(ch: str) -> bool:
    return ch in "\n\r" or bool(_IGNORABLE_RE.match(ch))


@dataclass(frozen=True)
class FontFile:
    """A font file (and face, for a ``.ttc``) and where it was found."""

    path: Path
    subfont_index: int = 0
    origin: str = "bundled"  # "chosen" | "override" | "system" | "bundled"


@dataclass(frozen=True)
class UsedFont:
    """Description of a registered font, for ``RenderInfo`` and the settings page."""

    name: str  # reportlab's registered name
    family: str  # the font's own family name, e.g. "Noto Serif SC"
    path: Path
    origin: str


# --------------------------------------------------------------------------
# Process-wide registration cache
# --------------------------------------------------------------------------

_lock = threading.RLock()
_registered: dict[tuple[str, int, int, int], str] = {}
_file_of_name: dict[str, FontFile] = {}


def register_font_file(ff: FontFile) -> str:
    """Register ``ff`` with reportlab (once per process); return its font name.

    Raises ``OSError`` / reportlab's ``TTFError`` when the file can't be used.
    """
    st = ff.path.stat()
    key = (str(ff.path.resolve()), ff.subfont_index, st.st_mtime_ns, st.st_size)
    with _lock:
        name = _registered.get(key)
        if name is not None:
            return name
        stem = re.sub(r"[^A-Za-z0-9_-]", "", ff.path.stem)[:32] or "font"
        digest = hashlib.sha1(repr(key).encode()).hexdigest()[:8]
        name = f"RD-{stem}-{ff.subfont_index}-{digest}"
        pdfmetrics.registerFont(TTFont(name, str(ff.path), subfontIndex=ff.subfont_index))
        _registered[key] = name
        _file_of_name[name] = ff
        return name


def font_face(font_name: str) -> TTFontFace:
    """The TrueType face of a registered font: its character map and metrics."""
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    if face is None or getattr(face, "charToGlyph", None) is None:
        raise ValueError(f"{font_name!r} is not a registered TrueType font")
    return cast(TTFontFace, face)


def covers(font_name: str, ch: str) -> bool:
    """Whether the registered TrueType font ``font_name`` has a glyph for ``ch``."""
    return ord(ch) in font_face(font_name).charToGlyph


def missing_glyphs(text: str, font_name: str) -> list[str]:
    """Characters of ``text`` that the registered font ``font_name`` lacks.

    Each character is listed once, in order of first appearance; line breaks,
    controls and variation selectors (which are never printed) are ignored.
    """
    cmap = font_face(font_name).charToGlyph
    seen: set[str] = set()
    out: list[str] = []
    for ch in text:
        if ch in seen or _is_ignorable(ch):
            continue
        seen.add(ch)
        if ord(ch) not in cmap:
            out.append(ch)
    return out


def describe_font(font_name: str) -> UsedFont:
    """Family, file and origin of a font registered by this module."""
    face = font_face(font_name)
    ff = _file_of_name[font_name]
    family = getattr(face, "familyName", None) or getattr(face, "name", font_name)
    if isinstance(family, bytes):
        family = family.decode("latin-1")
    return UsedFont(name=font_name, family=str(family), path=ff.path, origin=ff.origin)


# --------------------------------------------------------------------------
# Finding font files
# --------------------------------------------------------------------------


def bundled_fonts_dir() -> Path:
    """The folder holding the fonts shipped with Request Desk.

    The repository's top-level ``resources/`` folder is installed as the
    package ``request_desk.resources``. In a source checkout where that
    mapping is not active, the folder is found next to the package.
    """
    try:
        root = resources.files("request_desk.resources")
    except ModuleNotFoundError:
        root = None
    if root is not None:
        fonts = root / "fonts"
        if isinstance(fonts, Path) and (fonts / BUNDLED_SERIF).is_file():
            return fonts
        if fonts.is_dir():  # e.g. inside a zip: materialise the files once
            return _extracted_bundled_fonts()
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "resources" / "fonts"
        if (candidate / BUNDLED_SERIF).is_file():
            return candidate
    raise FileNotFoundError("Request Desk's bundled fonts (resources/fonts) are missing")


@lru_cache(maxsize=1)
def _extracted_bundled_fonts() -> Path:  # pragma: no cover - zip installs only
    """The bundled fonts copied out of a zipped install (reportlab opens fonts by path)."""
    target = Path(tempfile.mkdtemp(prefix="request-desk-fonts-"))
    for item in (resources.files("request_desk.resources") / "fonts").iterdir():
        if item.name.lower().endswith(_FONT_SUFFIXES):
            (target / item.name).write_bytes(item.read_bytes())
    return target


def default_system_font_dirs() -> list[Path]:
    """Folders of installed fonts consulted on this OS (Windows only)."""
    if sys.platform != "win32":
        return []
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _listing(folder: Path) -> dict[str, Path]:
    """Lower-cased file name -> path for the font files in ``folder``."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return {}
    return {
        p.name.lower(): p
        for p in sorted(entries)
        if p.name.lower().endswith(_FONT_SUFFIXES) and p.is_file()
    }


class LetterFonts:
    """The fonts chosen for each role, with per-character fallbacks.

    Files are registered lazily: a fallback font is loaded only when a
    character is missing from the fonts before it.
    """

    def __init__(
        self,
        role_files: dict[str, tuple[FontFile, ...]],
        fallback_files: tuple[FontFile, ...],
    ) -> None:
        self._role_files = role_files
        self._fallback_files = fallback_files
        self._names: dict[FontFile, str | None] = {}
        self._problems: dict[Path, str] = {}
        self._file_of: dict[str, FontFile] = {}
        self._char_font: dict[tuple[str, str], str | None] = {}  # (role, char) -> font, for ``runs``
        self._found: dict[tuple[str, str], str | None] = {}  # (role, char) -> ``font_for_char``
        self._chains: dict[str, list[FontFile]] = {}
        self._lock = threading.RLock()

    # -- loading ---------------------------------------------------------
    def _name(self, ff: FontFile) -> str | None:
        with self._lock:
            if ff not in self._names:
                try:
                    name = self._names[ff] = register_font_file(ff)
                    # one file may be reached by several paths (a link, a copy);
                    # report it by the first path this chain reached it through
                    self._file_of.setdefault(name, ff)
                except Exception as exc:  # noqa: BLE001 - TTFError (CFF outlines, damaged file), OSError: skip the font
                    self._names[ff] = None
                    self._problems[ff.path] = f"{ff.path.name}: {exc}"
                    log.warning("font %s is unusable: %s", ff.path, exc)
            return self._names[ff]

    def _chain_files(self, role: str) -> list[FontFile]:
        files = self._chains.get(role)
        if files is None:  # worked out once per role: every character of every letter asks
            files = []
            for ff in (*self._role_files[role], *self._fallback_files):
                if ff not in files:
                    files.append(ff)
            self._chains[role] = files
        return files

    # -- public ----------------------------------------------------------
    @property
    def problems(self) -> list[str]:
        """Font files that were found but could not be used, with the reason."""
        with self._lock:
            return list(self._problems.values())

    def _primary(self, role: str) -> tuple[str, FontFile]:
        for ff in self._role_files[role]:
            name = self._name(ff)
            if name is not None:
                return name, ff
        raise FileNotFoundError(f"no usable font for {role}")

    def font_name(self, role: str) -> str:
        """The registered name of the role's primary font (first usable file)."""
        return self._primary(role)[0]

    def chain(self, role: str) -> list[str]:
        """All usable fonts tried for a character of ``role``, in order (loads them all)."""
        return [n for n in (self._name(ff) for ff in self._chain_files(role)) if n is not None]

    def font_for_char(self, role: str, ch: str) -> str | None:
        """The first font in the role's chain that has ``ch``; ``None`` if none has."""
        key = (role, ch)
        if key in self._found:
            return self._found[key]
        cp = ord(ch)
        found = None
        for ff in self._chain_files(role):
            name = self._name(ff)
            if name is not None and cp in font_face(name).charToGlyph:
                found = name
                break
        self._found[key] = found
        return found

    def runs(self, text: str, role: str = BODY) -> list[tuple[str | None, str]]:
        """``text`` cut into runs of one font each, for engines that take one font per run
        (reportlab paragraphs): ``(font name, characters)``, the name ``None`` for
        characters no font of the chain has. Characters that never print are dropped.
        """
        out: list[tuple[str | None, str]] = []
        cache = self._char_font
        for ch in text:
            if ch not in "\n\r" and _is_ignorable(ch):
                continue
            key = (role, ch)
            if key not in cache:
                # a line break or space takes whatever font the run has
                cache[key] = "" if ch in " \n\r" else self.font_for_char(role, ch)
            font = cache[key]
            if font == "" and out:
                font = out[-1][0]
            elif font == "":
                font = self.font_name(role)
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        return out

    def missing(self, text: str, role: str = BODY) -> list[str]:
        """Characters of ``text`` that no font in the role's chain has."""
        seen: set[str] = set()
        out: list[str] = []
        for ch in text:
            if ch in seen or _is_ignorable(ch):
                continue
            seen.add(ch)
            if self.font_for_char(role, ch) is None:
                out.append(ch)
        return out

    def describe_font(self, font_name: str) -> UsedFont:
        """Family, file and origin of a font this chain registered."""
        ff = self._file_of.get(font_name)
        used = describe_font(font_name)
        if ff is None:
            return used
        return UsedFont(name=font_name, family=used.family, path=ff.path, origin=ff.origin)

    def describe(self) -> dict[str, UsedFont]:
        """Role -> the primary font used for it."""
        out = {}
        for role in ROLES:
            name, ff = self._primary(role)
            used = describe_font(name)
            out[role] = UsedFont(name=name, family=used.family, path=ff.path, origin=ff.origin)
        return out


def _override_files(folder: Path) -> tuple[dict[str, list[FontFile]], list[FontFile]]:
    listing = _listing(folder)
    by_role: dict[str, list[FontFile]] = {role: [] for role in ROLES}
    used: set[Path] = set()
    for role in ROLES:
        for suffix in (".ttf", ".ttc", ".otf"):
            p = listing.get(role + suffix)
            if p is not None:
                by_role[role].append(FontFile(p, 0, "override"))
                used.add(p)
        for known in _KNOWN_NAMES[role]:
            p = listing.get(known.lower())
            if p is not None:
                by_role[role].append(FontFile(p, 0, "override"))
                used.add(p)
    extras = [FontFile(p, 0, "override") for p in listing.values() if p not in used]
    return by_role, extras


def _system_files(folders: Iterable[Path]) -> tuple[dict[str, list[FontFile]], list[FontFile]]:
    by_role: dict[str, list[FontFile]] = {role: [] for role in ROLES}
    fallbacks: list[FontFile] = []
    for folder in folders:
        listing = _listing(folder)
        for role in ROLES:
            for known in _KNOWN_NAMES[role]:
                p = listing.get(known.lower())
                if p is not None:
                    by_role[role].append(FontFile(p, 0, "system"))
        for known in _KNOWN_FALLBACKS:
            p = listing.get(known.lower())
            if p is not None:
                fallbacks.append(FontFile(p, 0, "system"))
    return by_role, fallbacks


def load_letter_fonts(
    override_dir: str | os.PathLike[str] | None = None,
    *,
    system_dirs: Sequence[str | os.PathLike[str]] | None = None,
    chosen: tuple[tuple[str, FontFile], ...] = (),
) -> LetterFonts:
    """Choose the fonts for letters (chosen → override dir → system fonts → bundled).

    ``system_dirs`` defaults to ``default_system_font_dirs()`` (Windows font
    folders; none elsewhere); ``chosen`` pairs a role with the font the office
    chose for it. The result is cached per arguments; call
    ``load_letter_fonts.cache_clear()`` after the office changes its fonts.
    """
    key_override = str(Path(override_dir).resolve()) if override_dir is not None else None
    key_system = (
        None if system_dirs is None else tuple(str(Path(d).resolve()) for d in system_dirs)
    )
    return _load_letter_fonts(key_override, key_system, chosen)


@lru_cache(maxsize=8)
def _load_letter_fonts(override_dir: str | None, system_dirs: tuple[str, ...] | None,
                       chosen: tuple[tuple[str, FontFile], ...]) -> LetterFonts:
    bundled = bundled_fonts_dir()
    role_files: dict[str, list[FontFile]] = {role: [ff for r, ff in chosen if r == role] for role in ROLES}
    fallback_files: list[FontFile] = []
    if override_dir is not None:
        by_role, extras = _override_files(Path(override_dir))
        for role in ROLES:
            role_files[role] += by_role[role]
        fallback_files += extras
    folders = default_system_font_dirs() if system_dirs is None else [Path(d) for d in system_dirs]
    by_role, sys_fallbacks = _system_files(folders)
    for role in ROLES:
        role_files[role] += by_role[role]
    fallback_files += sys_fallbacks
    for role in ROLES:
        role_files[role] += [FontFile(bundled / n, 0, "bundled") for n in _BUNDLED_FOR_ROLE[role]]
    fallback_files += [FontFile(bundled / n, 0, "bundled") for n in _BUNDLED_FALLBACKS]
    return LetterFonts({r: tuple(f) for r, f in role_files.items()}, tuple(fallback_files))


load_letter_fonts.cache_clear = _load_letter_fonts.cache_clear  # type: ignore[attr-defined]


def char_name(ch: str) -> str:
    """``U+2020C`` plus the Unicode name when known, for messages."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")
