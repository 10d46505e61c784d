"""The 仿宋 and 小标宋 fonts installed on this PC, for an administrator to choose for letters.

GB/T 9704-2012 sets the body of an official letter in 仿宋 and its title in
小标宋 (docs/domain.md, "Layout"). Offices usually have them installed
(仿宋_GB2312, SimFang, 方正小标宋简体 …), but under licences that differ from
PC to PC, so nothing here is used unless an administrator chooses it
(``office_fonts``); the bundled OFL fonts stay the default.

This module only looks: it lists the font files of the installed-font folders
(Windows ``%WINDIR%\\Fonts`` and the user's fonts; Linux ``fc-list`` or
``/usr/share/fonts`` and ``~/.local/share/fonts``; macOS ``/Library/Fonts``),
reads each face's names, outline kind and embedding permission from the file's
tables (the table directory, ``name`` and ``OS/2`` only: a Windows font folder
holds hundreds of files, and reportlab's parser reads every file whole and
keeps only the English names), and keeps the faces whose names match a role.
``$REQUEST_DESK_FONT_DIRS`` (folders separated by ``os.pathsep``) replaces
those folders: a portable install's own font folder, and the tests.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from .fonts import BODY, TITLE

FONT_DIRS_ENV = "REQUEST_DESK_FONT_DIRS"

ROLE_LABELS = {BODY: "正文", TITLE: "标题"}

# Words in a face's names that mark it as a 仿宋 (body) or 小标宋 (title) face, lower-cased.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    BODY: ("仿宋", "fangsong", "simfang", "fang song"),
    TITLE: ("小标宋", "xiaobiaosong", "xiao biao song", "fzxbs"),
}

_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
_FC_LIST_TIMEOUT = 10.0  # seconds; fc-list answers in well under one on an ordinary PC

# fsType (OS/2): bit 1 Restricted License embedding, bits 2/3 preview & print / editable
# (these win over bit 1 in old fonts that set several), bit 8 no subsetting, bit 9 bitmap only.
_RESTRICTED = 0x0002
_EMBEDDABLE_BITS = 0x000C
_NO_SUBSETTING = 0x0100
_BITMAP_ONLY = 0x0200


@dataclass(frozen=True)
class FontFace:
    """One face of an installed font file, as its tables describe it."""

    path: Path
    index: int  # the face in a .ttc collection; 0 for a single font
    families: tuple[str, ...]  # every family / full name the face gives, in every language, deduplicated
    truetype: bool  # TrueType (``glyf``) outlines; False for CFF (PostScript) outlines
    fs_type: int  # the OS/2 embedding permission bits (0 when the table is missing)

    @property
    def family(self) -> str:
        """The name to show: the Chinese family name when the face has one."""
        chinese = [n for n in self.families if any("\u4e00" <= ch <= "\u9fff" for ch in n)]
        return (chinese or list(self.families) or [self.path.stem])[0]

    @property
    def file_name(self) -> str:
        return self.path.name

    def has_name(self, family: str) -> bool:
        """Whether ``family`` is one of this face's names (any language, case ignored)."""
        wanted = family.strip().casefold()
        return any(n.casefold() == wanted for n in self.families)

    def refusal(self) -> str | None:
        """Why reportlab could not embed this face in a letter, in Chinese; ``None`` if it can."""
        if not self.truetype:
            return (f"字体“{self.family}”（{self.file_name}）使用 PostScript（CFF）轮廓，"
                    "文书只能嵌入 TrueType 轮廓的字体，请选用 .ttf 格式的字体。")
        if self.fs_type & _RESTRICTED and not self.fs_type & _EMBEDDABLE_BITS:
            return (f"字体“{self.family}”（{self.file_name}）的授权禁止嵌入文件（受限许可），"
                    "嵌入后的文书不能合法发出，请选用允许嵌入的字体。")
        if self.fs_type & (_NO_SUBSETTING | _BITMAP_ONLY):
            return (f"字体“{self.family}”（{self.file_name}）的授权只允许整体或点阵嵌入，"
                    "文书无法按所用字嵌入，请选用其他字体。")
        return None


# --------------------------------------------------------------------------
# Where fonts are installed
# --------------------------------------------------------------------------


def font_folders() -> list[Path]:
    """The installed-font folders of this OS (or ``$REQUEST_DESK_FONT_DIRS``)."""
    override = os.environ.get(FONT_DIRS_ENV)
    if override is not None:
        return [Path(p) for p in override.split(os.pathsep) if p]
    home = Path.home()
    if sys.platform == "win32":
        folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return folders
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), home / "Library" / "Fonts", Path("/System/Library/Fonts")]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local" / "share" / "fonts",
            home / ".fonts"]


def _fc_list() -> list[Path] | None:
    """The font files fontconfig knows (Linux), or ``None`` without a working ``fc-list``."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "--format", "%{file}\\n"], capture_output=True, timeout=_FC_LIST_TIMEOUT,
                              check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.decode("utf-8", "replace")
    return [Path(line) for line in dict.fromkeys(text.splitlines()) if line.lower().endswith(_SUFFIXES)]


def font_files(folders: Sequence[Path] | None = None) -> list[Path]:
    """Every font file in ``folders`` (default: this PC's, through ``fc-list`` on Linux when it is there)."""
    if folders is None and os.environ.get(FONT_DIRS_ENV) is None and sys.platform.startswith("linux"):
        listed = _fc_list()
        if listed is not None:
            return sorted(listed)
    found: list[Path] = []
    for folder in font_folders() if folders is None else folders:
        try:
            found += [p for p in folder.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file()]
        except OSError:  # a folder that is gone or not readable holds nothing to choose
            continue
    return sorted(dict.fromkeys(found))


# --------------------------------------------------------------------------
# Reading a font file's tables
# --------------------------------------------------------------------------

_NAME_IDS = (1, 4, 16)  # family, full name, typographic family


def _decode(platform: int, encoding: int, raw: bytes) -> str | None:
    try:
        if platform == 0 or (platform == 3 and encoding in (0, 1, 10)):
            return raw.decode("utf-16-be")
        if platform == 3 and encoding == 3:  # PRC: GB 2312 codes, each widened to 16 bits
            try:
                return raw.replace(b"\0", b"").decode("gb18030")
            except UnicodeDecodeError:
                return raw.decode("utf-16-be")
        if platform == 1 and encoding == 0:
            return raw.decode("mac_roman")
        if platform == 1 and encoding == 25:  # Macintosh simplified Chinese
            return raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return None


def _read(f: BinaryIO, at: int, size: int) -> bytes:
    f.seek(at)
    data = f.read(size)
    if len(data) < size:
        raise ValueError("truncated font file")
    return data


def _face(f: BinaryIO, path: Path, index: int, offset: int) -> FontFace:
    version, count = struct.unpack(">4sH", _read(f, offset, 6))
    directory = _read(f, offset + 12, 16 * count)
    tables: dict[bytes, tuple[int, int]] = {}
    for i in range(count):
        tag, _checksum, start, length = struct.unpack_from(">4sIII", directory, 16 * i)
        tables[tag] = (start, length)
    names: list[str] = []
    if b"name" in tables:
        start, length = tables[b"name"]
        table = _read(f, start, length)
        _format, records, strings = struct.unpack_from(">HHH", table, 0)
        for i in range(records):
            platform, encoding, _language, name_id, size, at = struct.unpack_from(">HHHHHH", table, 6 + 12 * i)
            if name_id in _NAME_IDS:
                text = _decode(platform, encoding, table[strings + at:strings + at + size])
                if text and text.strip("\0 "):
                    names.append(text.strip("\0 "))
    fs_type = 0
    if b"OS/2" in tables:
        (fs_type,) = struct.unpack(">H", _read(f, tables[b"OS/2"][0] + 8, 2))
    truetype = version != b"OTTO" and b"glyf" in tables and b"CFF " not in tables and b"CFF2" not in tables
    return FontFace(path, index, tuple(dict.fromkeys(names)), truetype, fs_type)


def read_faces(path: Path) -> list[FontFace]:
    """The faces of the font file ``path`` (several for a ``.ttc``); empty if it is no font we can read."""
    try:
        st = path.stat()
    except OSError:
        return []
    return list(_faces(str(path), st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=4096)
def _faces(path: str, _mtime_ns: int, _size: int) -> tuple[FontFace, ...]:
    """``read_faces``, once per file version: only the table directory, ``name`` and ``OS/2`` are read."""
    try:
        with open(path, "rb") as f:
            if _read(f, 0, 4) == b"ttcf":
                (count,) = struct.unpack(">I", _read(f, 8, 4))
                offsets = struct.unpack(f">{count}I", _read(f, 12, 4 * count))
                return tuple(_face(f, Path(path), i, off) for i, off in enumerate(offsets))
            return (_face(f, Path(path), 0, 0),)
    except (OSError, struct.error, ValueError):  # unreadable or damaged: nothing to offer
        return ()


def role_of(face: FontFace) -> str | None:
    """``BODY`` for a 仿宋 face, ``TITLE`` for a 小标宋 face, else ``None``."""
    lowered = " ".join(face.families).casefold()
    for role in (TITLE, BODY):  # 方正小标宋 is no 仿宋; test the narrower words first
        if any(word in lowered for word in ROLE_WORDS[role]):
            return role
    return None


def candidates(role: str, files: Iterable[Path] | None = None) -> list[FontFace]:
    """The installed faces that could serve ``role`` (usable or not: ``FontFace.refusal`` says)."""
    found = [face for path in (font_files() if files is None else files)
             for face in read_faces(path) if role_of(face) == role]
    return sorted(found, key=lambda f: (f.refusal() is not None, f.family, f.file_name, f.index))


def find_face(family: str, file_name: str = "", files: Iterable[Path] | None = None) -> FontFace | None:
    """The installed face named ``family``, preferring the file ``file_name``; ``None`` if not installed here.

    The file of that name is read first, so a desk that has the same file finds it without
    reading the rest of its font folder.
    """
    listed = font_files() if files is None else list(files)
    same_name = [p for p in listed if file_name and p.name.casefold() == file_name.casefold()]
    for group in (same_name, [p for p in listed if p not in same_name]):
        matches = [face for path in group for face in read_faces(path) if face.has_name(family)]
        usable = [f for f in matches if f.refusal() is None]
        if matches:
            return (usable or matches)[0]
    return None
