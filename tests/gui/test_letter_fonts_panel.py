"""设置 → 公文字体: the 仿宋 / 小标宋 found on the PC, chosen by the administrator, refused in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from request_desk.core.letters import fonts as letter_fonts
from request_desk.core.letters import installed_fonts, office_fonts
from request_desk.core.office import settings as office_settings
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.letter_fonts_panel import DEFAULT_LABEL
from request_desk.gui.pages.settings import SettingsPage
from tests.support.office_fonts import renamed_font


@pytest.fixture(scope="module")
def pc_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("Fonts")
    renamed_font(letter_fonts.BUNDLED_SERIF_BOLD, folder / "simfang.ttf", "仿宋", "FangSong")
    renamed_font(letter_fonts.BUNDLED_SERIF_BOLD, folder / "fzfs.ttf", "方正仿宋简体", "FZFangSong-Z02S",
                 fs_type=0x0002)
    renamed_font(letter_fonts.BUNDLED_SANS, folder / "FZXBSJW.TTF", "方正小标宋简体", "FZXiaoBiaoSong-B05S")
    return folder


@pytest.fixture(autouse=True)
def _this_pc(pc_fonts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(installed_fonts.FONT_DIRS_ENV, str(pc_fonts))
    office_fonts.forget()


def items(combo) -> list[str]:  # type: ignore[no-untyped-def]
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_administrator_chooses_the_letter_fonts_and_a_restricted_one_is_refused(
        qtbot: QtBot, ctx: DeskContext) -> None:
    head = DeskContext(db=ctx.db, user="supervisor", today=ctx.today, signals=ctx.signals)
    page = SettingsPage(head)
    qtbot.addWidget(page)
    page.show()
    panel = page.office.fonts
    body, title = panel.combos["body"], panel.combos["title"]
    assert items(body) == [DEFAULT_LABEL, "仿宋（simfang.ttf）", "方正仿宋简体（fzfs.ttf）（不可用）"]
    assert items(title) == [DEFAULT_LABEL, "方正小标宋简体（FZXBSJW.TTF）"]
    assert "正文 Noto Serif SC（内置）" in panel.in_use.text()

    body.setCurrentIndex(2)
    panel.apply()
    assert panel.message.text().startswith("未保存：字体“方正仿宋简体”（fzfs.ttf）的授权禁止嵌入文件（受限许可）")
    assert "b3261e" in panel.message.styleSheet()
    with ctx.db.read() as s:
        assert office_settings.load(s).letter_body_font == ""

    body.setCurrentIndex(1)
    title.setCurrentIndex(1)
    panel.apply()
    assert panel.message.text() == "公文字体已保存。"
    with ctx.db.read() as s:
        conf = office_settings.load(s)
    assert (conf.letter_body_font, conf.letter_title_font) == ("仿宋", "方正小标宋简体")
    assert body.currentText() == "仿宋（simfang.ttf）"  # reloaded from the stored choice
    assert "正文 FangSong（机关选定）" in panel.in_use.text()
    assert "letter_body_font" not in page.office.editors  # not a free-text field of the form above


def test_a_clerk_sees_the_fonts_greyed_and_a_missing_choice_is_named(qtbot: QtBot, ctx: DeskContext,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    office_fonts.choose_font(ctx.db, "supervisor", "body", "仿宋")
    monkeypatch.setenv(installed_fonts.FONT_DIRS_ENV, str(tmp_path))  # a desk without it
    office_fonts.forget()
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    panel = page.office.fonts
    assert not panel.combos["body"].isEnabled() and not panel.apply_button.isEnabled()
    assert panel.message.text() == "只有管理员可以修改公文字体。"
    assert panel.combos["body"].currentText() == "仿宋（simfang.ttf，本机未安装）"
    assert "本机未安装机关选定的公文正文字体“仿宋”" in panel.in_use.text()
