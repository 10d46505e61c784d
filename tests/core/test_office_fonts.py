"""The office's 仿宋 / 小标宋: found on the PC, checked when chosen, embedded in letters, missing elsewhere.

The fonts are real files made from the bundled OFL fonts (tests/support/office_fonts.py):
renamed 仿宋_GB2312 and 方正小标宋简体, one whose licence forbids embedding, one with
CFF outlines, one without Chinese, and a .ttc collection whose second face is a 仿宋.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from request_desk.core.letters import compose, installed_fonts, issue_checks, office_fonts, pre_issue, register
from request_desk.core.letters import fonts as letter_fonts
from request_desk.core.letters.pdf import LetterDocument, render_letter
from request_desk.core.office import settings as office_settings
from request_desk.core.office import settings_change
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry
from tests import factories
from tests.support.office_fonts import cff_font, collection, renamed_font

REPLIED = date(2026, 10, 20)


@pytest.fixture(scope="module")
def pc_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An administrator's font folder: the office fonts and a few that must be refused."""
    folder = tmp_path_factory.mktemp("Windows-Fonts")
    renamed_font(letter_fonts.BUNDLED_SERIF_BOLD, folder / "FangSong_GB2312.ttf", "仿宋_GB2312", "FangSong_GB2312")
    renamed_font(letter_fonts.BUNDLED_SANS, folder / "FZXBSJW.TTF", "方正小标宋简体", "FZXiaoBiaoSong-B05S")
    renamed_font(letter_fonts.BUNDLED_SERIF_BOLD, folder / "restricted.ttf", "仿宋受限", "FangSong Restricted",
                 fs_type=0x0002)
    cff_font(folder / "fangsong-cff.otf", "仿宋CFF", "FangSong CFF")
    latin = renamed_font(letter_fonts.BUNDLED_LATIN, folder / "fangsong-latin.ttf", "仿宋西文", "FangSong Latin")
    # a collection whose second face is a 仿宋 (a 楷体's glyphs, to tell them apart in the PDF)
    second = renamed_font(letter_fonts.BUNDLED_SERIF_BOLD, folder / "work" / "st.ttf", "华文仿宋", "STFangsong")
    collection(folder / "STFANGSO.TTC", latin, second)
    (folder / "work" / "st.ttf").unlink()
    renamed_font(letter_fonts.BUNDLED_SERIF_BOLD, folder / "kai.ttf", "楷体", "KaiTi")  # no role of ours
    return folder


@pytest.fixture(autouse=True)
def _this_pc(pc_fonts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(installed_fonts.FONT_DIRS_ENV, str(pc_fonts))
    office_fonts.forget()


def another_desk(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """From here on the process is a desk whose installed fonts are those in ``folder``."""
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv(installed_fonts.FONT_DIRS_ENV, str(folder))
    office_fonts.forget()


def reply_draft(db: Database) -> compose.Draft:
    with db.write() as s:
        office_settings.update(s, contact_person="李四", contact_phone="0527-84371234")
    return compose.compose(db, factories.replied(db, "1", on=REPLIED), "reply_1", on_date=REPLIED)


def stored(db: Database) -> office_settings.OfficeSettings:
    with db.read() as s:
        return office_settings.load(s)


def font_of_text(pdf: bytes) -> dict[str, str]:
    """Each text run of the first page -> the BaseFont it is drawn in; every font is embedded (FontFile2)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), font["/BaseFont"]
    runs: dict[str, str] = {}

    def visit(text: str, cm: object, tm: object, font_dict: dict[str, object] | None, size: float) -> None:
        if text.strip() and font_dict:
            runs[text] = str(font_dict["/BaseFont"]).split("+")[-1]

    page.extract_text(visitor_text=visit)
    return runs


def test_the_fonts_on_the_pc_are_listed_by_role_with_what_would_refuse_them(pc_fonts: Path) -> None:
    body = {f.family: f for f in installed_fonts.candidates(office_fonts.BODY)}
    title = {f.family: f for f in installed_fonts.candidates(office_fonts.TITLE)}
    assert set(body) == {"仿宋_GB2312", "仿宋受限", "仿宋CFF", "仿宋西文", "华文仿宋"}  # 楷体 is no 仿宋
    assert set(title) == {"方正小标宋简体"}
    assert body["仿宋_GB2312"].families == ("FangSong_GB2312", "仿宋_GB2312")
    assert (body["华文仿宋"].path.name, body["华文仿宋"].index) == ("STFANGSO.TTC", 1)
    assert body["仿宋_GB2312"].refusal() is None and title["方正小标宋简体"].refusal() is None
    assert "TrueType" in (body["仿宋CFF"].refusal() or "")
    assert "禁止嵌入" in (body["仿宋受限"].refusal() or "")
    assert installed_fonts.find_face("fangsong_gb2312") == body["仿宋_GB2312"]  # any of its names, any case
    assert installed_fonts.find_face("方正仿宋") is None


def test_a_chosen_font_is_audited_and_embedded_in_the_issued_letter(db: Database) -> None:
    face = office_fonts.choose_font(db, "supervisor", "body", "FangSong_GB2312")
    assert face is not None and face.family == "仿宋_GB2312"
    office_fonts.choose_font(db, "supervisor", "title", "方正小标宋简体")
    conf = stored(db)
    assert (conf.letter_body_font, conf.letter_body_font_file) == ("仿宋_GB2312", "FangSong_GB2312.ttf")
    assert (conf.letter_title_font, conf.letter_title_font_file) == ("方正小标宋简体", "FZXBSJW.TTF")
    with db.read() as s:
        entries = s.exec(select(AuditEntry).where(AuditEntry.action == "update_settings")
                         .order_by(col(AuditEntry.id))).all()
    assert [(e.user, e.new) for e in entries] == [
        ("supervisor", {"letter_body_font": "仿宋_GB2312", "letter_body_font_file": "FangSong_GB2312.ttf"}),
        ("supervisor", {"letter_title_font": "方正小标宋简体", "letter_title_font_file": "FZXBSJW.TTF"})]

    draft = reply_draft(db)
    assert not any(f.rule is pre_issue.Rule.FONTS for f in issue_checks.pre_issue_findings(db, draft))
    letter = register.issue(db, draft, "clerk")
    runs = font_of_text(letter.pdf)
    assert runs["政府信息公开申请答复书"] == "FZXiaoBiaoSongB05S"  # the title line in the chosen 小标宋
    assert runs[factories.OFFICE["agency_name"]] == "FangSongGB2312"  # the signature in the chosen 仿宋
    assert {"FZXiaoBiaoSongB05S", "FangSongGB2312"} <= set(runs.values())


def test_a_character_the_chosen_font_lacks_still_comes_from_the_bundled_fonts(db: Database) -> None:
    office_fonts.choose_font(db, "supervisor", "body", "仿宋_GB2312")
    fonts = compose.letter_fonts(stored(db))
    # 堃 is not in GB 2312, so not in this 仿宋_GB2312: the next font in the chain prints it
    assert fonts.describe()[letter_fonts.BODY].origin == "chosen"
    assert fonts.font_for_char(letter_fonts.BODY, "张") == fonts.font_name(letter_fonts.BODY)
    assert fonts.describe_font(fonts.font_for_char(letter_fonts.BODY, "堃") or "").family == "Noto Serif SC"
    buf = io.BytesIO()
    render_letter(LetterDocument("答复书", body=["张堃："], signature=["某机关"]), buf, fonts=fonts)
    assert set(font_of_text(buf.getvalue()).values()) >= {"FangSongGB2312", "NotoSerifSC-Regular"}


def test_a_face_of_a_collection_is_chosen_and_embedded_by_its_index(db: Database) -> None:
    face = office_fonts.choose_font(db, "supervisor", "body", "华文仿宋")
    assert face is not None and (face.file_name, face.index) == ("STFANGSO.TTC", 1)
    fonts = compose.letter_fonts(stored(db))
    buf = io.BytesIO()
    render_letter(LetterDocument("答复书", body=["本机关收到您的申请。"], signature=["某机关"]), buf, fonts=fonts)
    assert font_of_text(buf.getvalue())["本机关收到您的申请。"] == "STFangsong-1"  # reportlab's name for face 1


@pytest.mark.parametrize(("family", "refusal"), [
    ("仿宋受限", "授权禁止嵌入文件（受限许可）"),
    ("FangSong CFF", "使用 PostScript（CFF）轮廓，文书只能嵌入 TrueType 轮廓的字体"),
    ("仿宋西文", "缺少6778个公文常用字（GB 2312 字符集，如“啊阿埃挨哎唉哀皑”），不能用作公文正文字体"),
    ("方正仿宋", "本机未安装名为“方正仿宋”的字体。本机可选的正文字体：仿宋_GB2312、"),
])
def test_a_font_that_cannot_be_embedded_or_lacks_characters_is_refused(db: Database, family: str,
                                                                      refusal: str) -> None:
    with pytest.raises(office_fonts.FontRefused) as refused:
        office_fonts.choose_font(db, "supervisor", "body", family)
    assert refusal in str(refused.value)
    assert stored(db).letter_body_font == ""
    with db.read() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "update_settings")).first() is None


def test_only_an_administrator_chooses_and_the_plain_settings_command_cannot(db: Database) -> None:
    with pytest.raises(PermissionDenied, match="无权修改公文字体"):
        office_fonts.choose_font(db, "clerk", "body", "仿宋_GB2312")
    with pytest.raises(settings_change.BadSetting, match="settings set-font"):
        settings_change.parse_setting("letter_body_font", "仿宋_GB2312")
    office_fonts.choose_font(db, "supervisor", "body", "仿宋_GB2312")
    assert office_fonts.choose_font(db, "supervisor", "body", "default") is None
    assert (stored(db).letter_body_font, stored(db).letter_body_font_file) == ("", "")


def test_a_desk_without_the_chosen_font_prints_with_the_bundled_one_and_says_so(
        db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    office_fonts.choose_font(db, "supervisor", "body", "仿宋_GB2312")
    office_fonts.choose_font(db, "supervisor", "title", "方正小标宋简体")
    another_desk(monkeypatch, tmp_path / "other-pc-fonts")
    draft = reply_draft(db)
    with caplog.at_level(logging.WARNING, logger="request_desk.core.letters.office_fonts"):
        found = issue_checks.pre_issue_findings(db, draft)
    said = [f.message for f in found if f.rule is pre_issue.Rule.FONTS]
    assert said == [
        "本机未安装机关选定的公文正文字体“仿宋_GB2312”（FangSong_GB2312.ttf），本机打印的文书正文改用内置字体。",
        "本机未安装机关选定的公文标题字体“方正小标宋简体”（FZXBSJW.TTF），本机打印的文书标题改用内置字体。"]
    assert all(f.severity is pre_issue.Severity.WARNING for f in found if f.rule is pre_issue.Rule.FONTS)
    assert "not usable on this PC" in caplog.text
    letter = register.issue(db, draft, "clerk")  # a warning: the letter still goes out
    runs = font_of_text(letter.pdf)
    assert runs["政府信息公开申请答复书"] == "NotoSerifSC-Bold"
    assert "FangSongGB2312" not in runs.values() and "NotoSerifSC-Regular" in runs.values()
    assert any("仿宋_GB2312" in w for w in register.register_rows(db)[0].check_warnings)


def test_a_desk_whose_copy_may_not_be_embedded_falls_back_too(db: Database, monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    office_fonts.choose_font(db, "supervisor", "body", "仿宋_GB2312")
    other = tmp_path / "other-pc-fonts"
    renamed_font(letter_fonts.BUNDLED_SERIF_BOLD, other / "FangSong_GB2312.ttf", "仿宋_GB2312", "FangSong_GB2312",
                 fs_type=0x0002)
    another_desk(monkeypatch, other)
    [warning] = office_fonts.warnings(stored(db))
    assert warning.startswith("本机的公文正文字体“仿宋_GB2312”不能使用：") and "禁止嵌入" in warning
    assert compose.letter_fonts(stored(db)).describe()[letter_fonts.BODY].origin == "bundled"


def run_cli(db_path: Path, *args: str, user: str = "supervisor") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REQUEST_DESK_DB": str(db_path), "REQUEST_DESK_USER": user}
    return subprocess.run([sys.executable, "-m", "request_desk", "settings", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_the_command_line_lists_the_fonts_and_sets_one(db_path: Path) -> None:
    listed = run_cli(db_path, "fonts")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("正文（body）：默认（内置字体）")
    assert "仿宋_GB2312\t" in listed.stdout and "FangSong_GB2312.ttf\t可选" in listed.stdout
    assert "仿宋受限\t" in listed.stdout and "不可用：字体“仿宋受限”" in listed.stdout
    assert "标题（title）：默认（内置字体）" in listed.stdout and "方正小标宋简体\t" in listed.stdout
    refused = run_cli(db_path, "set-font", "body", "仿宋受限")
    assert refused.returncode == 1 and "禁止嵌入" in refused.stderr
    clerk = run_cli(db_path, "set-font", "body", "仿宋_GB2312", user="clerk")
    assert clerk.returncode != 0 and "无权修改公文字体" in clerk.stderr
    done = run_cli(db_path, "set-font", "body", "仿宋_GB2312")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "公文正文字体已设为：仿宋_GB2312（FangSong_GB2312.ttf）。"
    plain = run_cli(db_path, "set", "letter_body_font=楷体")
    assert plain.returncode == 2 and "settings set-font" in plain.stderr
    again = run_cli(db_path, "fonts")
    assert again.stdout.startswith("正文（body）：仿宋_GB2312（FangSong_GB2312.ttf）")
