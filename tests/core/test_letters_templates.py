"""Letter kinds, editable templates and office overrides."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from request_desk.core.errors import ValidationFailed
from request_desk.core.letters import compose, kinds, templates
from request_desk.core.letters.templates import PLACEHOLDERS, TemplateError
from request_desk.core.office import file_change
from request_desk.core.storage.db import Database
from request_desk.core.vocab import OUTCOMES, Status
from tests import factories

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "letters"


def full_context() -> dict[str, str]:
    return {name: f"〈{name}〉" for name in PLACEHOLDERS}


def test_every_kind_has_a_template_and_every_template_a_kind_or_is_a_fragment() -> None:
    names = set(templates.shipped_names())
    assert {k.template_name for k in kinds.KINDS} | set(templates.FRAGMENTS) == names
    assert len({k.code for k in kinds.KINDS}) == len(kinds.KINDS)


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.code)
def test_every_template_renders_with_a_complete_context(kind: kinds.LetterKind) -> None:
    parsed = templates.load(None, kind.template_name)
    rendered = templates.render(parsed, full_context())
    assert rendered.title == kind.title
    assert rendered.body and all("$" not in p for p in rendered.body)
    assert rendered.signature == ("〈agency_name〉", "〈date〉")
    if kind.remedy:
        assert any("〈remedy〉" in p for p in rendered.body), "a reply must state the remedy"
    else:
        assert not any("〈remedy〉" in p for p in rendered.body)
    if kind.addressee is kinds.Addressee.APPLICANT and kind.numbered:
        assert rendered.salutation == "〈applicant_name〉："


@pytest.mark.parametrize("name", templates.FRAGMENTS)
def test_every_fragment_renders(name: str) -> None:
    text = templates.render_fragment(None, name, full_context())
    assert text and "$" not in text


def test_readme_documents_every_placeholder() -> None:
    readme = (RESOURCES / "README.md").read_text(encoding="utf-8")
    assert [n for n in PLACEHOLDERS if f"${{{n}}}" not in readme] == []


def test_unknown_placeholder_is_reported_with_file_and_line() -> None:
    text = "标题：答复书\n# a comment\n正文：\n第一段。\n请于${deadline}前答复。\n"
    with pytest.raises(TemplateError) as err:
        templates.parse("x.txt", text, "office/x.txt")
    assert str(err.value).startswith("文书模板 office/x.txt 第5行：未知的占位符 ${deadline}")


def test_bad_dollar_and_unknown_header_and_missing_body_are_reported() -> None:
    with pytest.raises(TemplateError, match="第3行：“\\$”的用法不正确"):
        templates.parse("x.txt", "标题：x\n正文：\n收费 $ 100 元\n", "x.txt")
    with pytest.raises(TemplateError, match="第1行：“题目：x”不是已知的项目"):
        templates.parse("x.txt", "题目：x\n正文：\nabc\n", "x.txt")
    with pytest.raises(TemplateError, match="缺少“正文：”"):
        templates.parse("x.txt", "标题：x\n", "x.txt")
    ok = templates.parse("x.txt", "标题：x\n正文：\n收费 $$100 元\n${details}\n", "x.txt")
    assert templates.render(ok, {"details": ""}).body == ("收费 $100 元",)  # the empty paragraph is dropped


def test_values_are_text_never_code() -> None:
    parsed = templates.parse("x.txt", "标题：x\n正文：\n${details}\n", "x.txt")
    out = templates.render(parsed, {"details": "${agency_name} {__import__('os')}"})
    assert out.body == ("${agency_name} {__import__('os')}",)


def test_the_offices_own_template_in_the_database_wins(db: Database) -> None:
    file_change.set_file(db, "supervisor", "letters/acknowledgement.txt",
                         "标题：申请受理回执\n称呼：${applicant_name}同志：\n正文：\n您的申请（${reg_number}）已收悉。\n")
    rid = factories.register(db)
    draft = compose.compose(db, rid, "acknowledgement", on_date=date(2026, 9, 28))
    assert draft.document.title == "申请受理回执"
    assert draft.document.salutation == "张三同志："
    assert draft.document.body == ("您的申请（2026-00001）已收悉。",)
    with pytest.raises(ValidationFailed, match=r"acknowledgement\.txt 第3行：未知的占位符 \$\{nope\}"):
        file_change.set_file(db, "supervisor", "letters/acknowledgement.txt", "标题：x\n正文：\n${nope}\n")
    with db.write() as session:  # as a file moved in from an older desk's data folder, unchecked
        file_change.store(session, "", "letters", "acknowledgement.txt", "标题：x\n正文：\n${nope}\n",
                          "import_office_file")
    with pytest.raises(TemplateError, match=r"本机关的 letters/acknowledgement\.txt 第3行：未知的占位符 \$\{nope\}"):
        compose.compose(db, rid, "acknowledgement", on_date=date(2026, 9, 28))
    assert file_change.reset_file(db, "supervisor", "letters/acknowledgement.txt")
    draft = compose.compose(db, rid, "acknowledgement", on_date=date(2026, 9, 28))
    assert draft.document.title == kinds.kind("acknowledgement").title


def test_every_outcome_has_a_reply_kind_and_suggestions_follow_the_case() -> None:
    for o in OUTCOMES:
        assert kinds.REPLY_KINDS_BY_OUTCOME[o.code], o.code
    assert [k.code for k in kinds.REPLY_KINDS_BY_OUTCOME["4.1"]] == ["reply_4.1", "reply_4.1_not_responsible"]
    first, rest = kinds.ordered_for(Status.REPLIED, "3.4")
    assert "reply_3.4" in [k.code for k in first] and "reply_1" in [k.code for k in rest]
    assert not any(k.is_reply and "3.4" not in k.outcome_codes for k in first)
    registered = [k.code for k in kinds.suggested(Status.REGISTERED, None)]
    assert "acknowledgement" in registered and not any(c.startswith("reply_") for c in registered)
    awaiting = [k.code for k in kinds.suggested(Status.AWAITING_SUPPLEMENT, None)]
    assert awaiting[:2] == ["registration_form", "supplement"]
    assert [k.code for k in kinds.suggested(Status.DEEMED_WITHDRAWN, "6.2")] == ["withdrawn_6.2", "delivery_receipt"]


def test_refusal_kinds_are_exactly_those_of_refusing_outcomes() -> None:
    refusing = {o.code for o in OUTCOMES if o.refuses_disclosure}
    assert refusing == {"2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"}
    for k in kinds.KINDS:
        if k.is_reply:
            assert k.remedy, k.code
