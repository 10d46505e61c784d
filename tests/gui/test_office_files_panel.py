"""设置 → 文书模板与收费标准: the office's own templates and fee table, edited for every desk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from request_desk.core.letters import compose
from request_desk.core.office import file_change
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.office_files_panel import OfficeFilesPanel
from request_desk.gui.pages.settings import SettingsPage
from tests import factories

ACKNOWLEDGEMENT = "标题：申请受理回执\n正文：\n您的申请（${reg_number}）已收悉。\n"


def _select(panel: OfficeFilesPanel, path: str) -> None:
    rows = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    panel.table.setCurrentCell(rows.index(path), 0)


def test_a_supervisor_words_a_letter_for_every_desk_and_a_mistake_is_kept_to_correct(
        qtbot: QtBot, ctx: DeskContext) -> None:
    head = DeskContext(db=ctx.db, user="supervisor", today=ctx.today)
    page = SettingsPage(head)
    qtbot.addWidget(page)
    panel = page.office_files
    assert page.tabText(page.indexOf(panel)) == "文书模板与收费标准"
    _select(panel, "letters/acknowledgement.txt")
    assert "标题：政府信息公开申请接收回执" in panel.editor.toPlainText()  # the shipped text, to edit
    assert panel.table.item(panel.table.currentRow(), 2).text() == "软件自带"

    panel.editor.setPlainText("标题：x\n正文：\n${nope}\n")
    panel.save()
    assert "未保存" in panel.message.text() and "第3行：未知的占位符 ${nope}" in panel.message.text()
    assert panel.editor.toPlainText() == "标题：x\n正文：\n${nope}\n"  # nothing lost
    assert not any(f.own for f in file_change.files(ctx.db))

    panel.editor.setPlainText(ACKNOWLEDGEMENT)
    panel.save()
    assert "各台电脑都将使用此版本" in panel.message.text()
    assert panel.table.item(panel.table.currentRow(), 2).text().startswith("本机关修改版（supervisor，")
    rid = factories.register(ctx.db)  # any desk on the database prints the office's wording now
    assert compose.compose(ctx.db, rid, "acknowledgement", on_date=date(2026, 9, 28)).document.title == "申请受理回执"

    panel.reset_now("letters/acknowledgement.txt")
    assert "已恢复软件自带" in panel.message.text() and not any(f.own for f in file_change.files(ctx.db))


def test_a_file_is_read_into_the_editor_and_a_clerk_only_reads(qtbot: QtBot, ctx: DeskContext,
                                                                tmp_path: Path) -> None:
    head = OfficeFilesPanel(DeskContext(db=ctx.db, user="supervisor", today=ctx.today))
    qtbot.addWidget(head)
    _select(head, "fees/fee_rules.toml")
    table = tmp_path / "收费标准.toml"
    table.write_text('[per_application]\nlabel="按件计收"\nunit="件"\nbands=[{from=1,yuan=77}]\n'
                     '[per_page]\nlabel="按量计收"\nunit="页"\nbands=[{from=1,yuan=1}]\n', encoding="utf-8-sig")
    head.read_file(tmp_path / "missing.toml")
    assert "无法读取" in head.message.text()
    head.read_file(tmp_path)
    assert "是文件夹" in head.message.text()
    notepad = tmp_path / "记事本.toml"  # saved as ANSI by a Chinese Windows: GB18030
    notepad.write_bytes(table.read_text(encoding="utf-8-sig").replace("\n", "\r\n").encode("gb18030"))
    head.read_file(notepad)
    assert 'label="按件计收"' in head.editor.toPlainText()
    head.read_file(table)
    assert not any(f.own for f in file_change.files(ctx.db))  # read in, not saved yet
    head.save()
    assert file_change.text_in_use(ctx.db, "fees/fee_rules.toml")[0].startswith("[per_application]")

    clerk = OfficeFilesPanel(ctx)
    qtbot.addWidget(clerk)
    assert not clerk.save_button.isEnabled() and clerk.editor.isReadOnly()
    assert clerk.message.text() == "只有管理员可以修改文书模板、收费标准和相似度词表。"
    _select(clerk, "fees/fee_rules.toml")
    assert "yuan=77" in clerk.editor.toPlainText()
