"""Hostile input: every parser and validator, fed anything, answers with a message or a
documented error, never a crash. Property-based (hypothesis)."""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from request_desk import cli
from request_desk.core.cases import validation
from request_desk.core.deadlines.notice_file import CalendarFileError, parse_notice_file
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.storage import search
from request_desk.core.vocab import ApplicantType

# Text an IME, a paste from Word or a hostile file can produce: every plane, controls, surrogates excluded
# only where Python strings cannot hold them in UTF-8 files.
anything = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
digits_like = st.text(st.sampled_from("0123456789xX１２３４５６７８９０Ｘ -－_\u3000\t"), max_size=24)
RARE = st.sampled_from(["𠀀", "䶮", "𠈌", "㐀", "\U0002a6d6", "\U00030000"])

CHECKS = [validation.check_id_number, validation.check_credit_code, validation.check_phone,
          validation.check_postal_code, validation.check_email]


def _assert_explained(result: validation.Checked) -> None:
    assert isinstance(result.value, str)
    for issue in result.issues:
        assert issue.severity in ("error", "warning") and issue.message.strip()


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@given(value=st.one_of(anything, digits_like, st.none()))
@example(value="11010519491231002X")
@example(value="１１０１０５１９４９１２３１００２ｘ")
def test_field_checks_never_crash_and_explain_every_problem(check, value) -> None:  # type: ignore[no-untyped-def]
    _assert_explained(check(value))


@given(value=digits_like, today=st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_id_number_check_handles_any_birth_date_and_today(value: str, today: date) -> None:
    _assert_explained(validation.check_id_number(value, today=today))


@given(fields=st.dictionaries(st.sampled_from(["name", "id_type", "id_number", "credit_code", "contact_person",
                                               "phone", "address", "email", "postal_code", "description"]),
                              st.one_of(anything, st.none())),
       kind=st.sampled_from(list(ApplicantType)))
def test_validate_applicant_never_crashes(fields: dict[str, str | None], kind: ApplicantType) -> None:
    for issue in validation.validate_applicant(fields, kind, today=date(2026, 11, 27)):
        assert issue.message.strip()


@given(value=st.one_of(anything, digits_like))
def test_masking_never_reveals_a_valid_id_number(value: str) -> None:
    masked = validation.mask_id_number(value)
    checked = validation.check_id_number(value, today=date(2026, 11, 27))
    if checked.ok and len(checked.value) == 18:
        assert checked.value not in masked and checked.value[6:14] not in masked


line = st.one_of(
    st.builds(lambda d, k, n: f"{d},{k},{n}", st.dates(date(2020, 1, 1), date(2030, 12, 31)),
              st.sampled_from(["放假", "上班", "holiday", "workday", "休", "班", "", "x"]), anything),
    anything,
)


@settings(deadline=None)  # the statutory-holiday lookup imports the holidays package once
@given(lines=st.lists(line, max_size=12), sep=st.sampled_from(["\n", "\r\n", "\r"]))
def test_calendar_notice_parser_accepts_or_lists_every_problem(lines: list[str], sep: str) -> None:
    try:
        parsed = parse_notice_file(sep.join(lines))
    except CalendarFileError as exc:
        assert exc.problems and exc.message_zh.strip() and str(exc).strip()
    else:
        assert parsed and all(isinstance(y, int) for y in parsed)


@given(value=anything)
@example(value="2026-02-30")
@example(value="２０２６-０１-０１")
def test_cli_dates_parse_or_give_the_argparse_message(value: str) -> None:
    try:
        parsed = cli._date(value)  # noqa: SLF001  (the parser argparse calls)
    except argparse.ArgumentTypeError as exc:
        assert "YYYY-MM-DD" in str(exc)
    else:
        assert isinstance(parsed, date)
    try:
        cli._pause(value)  # noqa: SLF001
    except argparse.ArgumentTypeError as exc:
        assert str(exc).strip()


@given(value=anything)
def test_cli_rejects_bad_dates_with_exit_code_2(value: str) -> None:
    try:
        cli.build_parser().parse_args(["deadline", "--received", value])
    except SystemExit as exc:
        assert exc.code == 2


@given(query=st.one_of(anything, st.lists(st.one_of(RARE, anything, st.just('"')), max_size=5).map(" ".join)))
def test_search_terms_are_clean(query: str) -> None:
    terms = search.parse_terms(query)
    assert all(t and not any(ch.isspace() or ch == "\u3000" for ch in t) for t in terms)
    assert len(terms) == len(set(terms))


pattern = st.one_of(anything, st.lists(st.sampled_from(["{year}", "{seq}", "{seq:05d}", "{", "}", "{0}", "{x}",
                                                        "{seq!r}", "{year[0]}", "{seq:q}", "号", "〔"]),
                                       max_size=6).map("".join))


# "{year[0]}" (TypeError) and "{year.x}" (AttributeError) once crashed the save instead of
# showing 编号格式无效.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(reg=pattern, doc=pattern)
@example(reg="{year[0]}-{seq}", doc="{seq}")
@example(reg="{year.x}-{seq}", doc="{seq}")
def test_numbering_patterns_are_accepted_only_if_they_work(reg: str, doc: str) -> None:
    conf = office_settings.OfficeSettings(registration_pattern=reg, document_number_pattern=doc)
    try:
        office_settings.check_pattern("registration_pattern", reg)  # what save() calls
        office_settings.check_pattern("document_number_pattern", doc)
    except ValidationFailed as exc:
        assert str(exc).strip()
        return
    assert conf.format_registration(2026, 7) and conf.format_document_number(2026, 7)
    assert conf.format_registration(2026, 7) != conf.format_registration(2026, 8)
