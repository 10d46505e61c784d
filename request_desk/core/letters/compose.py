"""Composing a letter for a case: case data + settings + template → an editable draft.

``compose`` fills the kind's template (``templates``) with everything the
case record knows (dates in Chinese form, the recital, the remedy paragraph
chosen by the outcome, the referral, the fee computed from the fee rules …).
What the record cannot know — where an already published item can be found,
why part of a reply is withheld — appears as a visible ``【请填写：…】``
marker; the clerk replaces it in the editor (or passes ``extras``), and a
letter that still contains a marker cannot be issued.

The draft carries no document number: it is drawn only when the letter is
issued (``register.issue``). ``preview_number`` shows the number the next
letter would get, for the preview.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from request_desk import paths
from request_desk.core.cases import fees as fee_rules
from request_desk.core.cases import numbering, search_records
from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.registration import missing_in
from request_desk.core.cases.validation import supplement_request
from request_desk.core.deadlines import holidays
from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import (
    Assignment,
    Counter,
    Event,
    Extension,
    Fee,
    HandlingUnit,
    Letter,
    Request,
)
from request_desk.core.vocab import (
    ONLINE_DELIVERY_METHODS,
    OUTCOMES_BY_CODE,
    ApplicantType,
    Channel,
)

from . import office_fonts, templates
from .blanks import FILL_MARK, cn_date, marker
from .consultation_text import consultation_context, render_consultation_fragments
from .document import LetterDocument
from .fonts import LetterFonts, load_letter_fonts
from .kinds import Addressee, LetterKind
from .kinds import kind as kind_of

REASON_MARK = f"{FILL_MARK}：具体理由——"
FEE_KINDS = frozenset({"fee_notice", "withdrawn_6.2"})
__all__ = ["FILL_MARK", "REASON_MARK", "Draft", "blank_names", "build_context", "cn_date", "compose", "compose_for",
           "compose_in", "letter_fonts", "marker", "preview_number", "reason_marker", "unfilled"]


def reason_marker(hint: str) -> str:
    """The blank of a reply's specific reason, saying what this kind of reply must explain."""
    return f"{REASON_MARK}{hint}】"


def blank_names(doc: LetterDocument) -> list[str]:
    """The placeholder names behind the blanks still in ``doc`` (for ``--set NAME=…``)."""
    by_marker = {marker(key): key for key in templates.PLACEHOLDERS}
    return list(dict.fromkeys("reason" if m.startswith(REASON_MARK) else by_marker.get(m, m) for m in unfilled(doc)))


@dataclass(frozen=True)
class Draft:
    """A composed letter, ready for the clerk to edit and issue."""

    kind: str
    request_id: int | None
    document: LetterDocument
    addressee: str
    addressee_type: str
    on_date: date
    serves_letter_id: int | None = None
    warnings: tuple[str, ...] = field(default=())

    def with_document(self, document: LetterDocument) -> Draft:
        """The same draft with the clerk's edited text."""
        return Draft(self.kind, self.request_id, document, self.addressee, self.addressee_type, self.on_date,
                     self.serves_letter_id, self.warnings)


def unfilled(doc: LetterDocument) -> list[str]:
    """Every ``【请填写：…】`` marker still in the letter."""
    found: list[str] = []
    texts = [doc.title, doc.salutation or "", *doc.body, *doc.signature, doc.contact or "",
             doc.footer_note or "", doc.cc or ""]
    for text in texts:
        start = text.find(FILL_MARK)
        while start >= 0:
            end = text.find("】", start)
            found.append(text[start:end + 1 if end >= 0 else len(text)])
            start = text.find(FILL_MARK, start + 1)
    return found


def letter_fonts(conf: office_settings.OfficeSettings) -> LetterFonts:
    """The fonts letters use: the 仿宋 / 小标宋 ``conf`` chose when this PC has them (``office_fonts``),
    then the office's ``<data dir>/fonts``, then system, then bundled."""
    folder = paths.data_dir() / "fonts"
    return load_letter_fonts(folder if folder.is_dir() else None, chosen=office_fonts.chosen_files(conf))


def preview_number(session: Session, year: int) -> str:
    """The number the next numbered letter of ``year`` would get (not reserved)."""
    conf = office_settings.load(session)
    counter = session.get(Counter, (numbering.DOCUMENT, year))
    return conf.format_document_number(year, (counter.value if counter else 0) + 1)


# --------------------------------------------------------------------------
# Context
# --------------------------------------------------------------------------

_KEEP_PUNCTUATION = {"details", "recital", "recital_other", "remedy", "referral", "contact", "supplement_what",
                     "fee_calculation", "remedy_online", "fee_pause_note", "third_party_view", "agency_consultation",
                     "search_summary"}
# Outcome 2 where nothing was withheld under Arts. 14–16 may take the ordinary route;
# the clerk chooses it with ``remedy_route=ordinary`` (docs/domain.md, "Remedies").
ORDINARY_ROUTE = "ordinary"

# docs/domain.md, "Pauses" and "Fees": said only while the office excludes the fee time from the reply period.
FEE_PAUSE_NOTE = "自发出本通知书至您缴纳费用的时间，不计算在答复期限内。"


def _clean(key: str, value: str) -> str:
    value = value.strip()
    if key not in _KEEP_PUNCTUATION:
        value = value.rstrip("。；，,;")
    return value


def _doc_word(title: str) -> str:
    for suffix, word in (("答复书", "答复"), ("告知书", "告知"), ("通知书", "通知"), ("回执", "回执")):
        if title.endswith(suffix):
            return word
    return "函"


def _served_letter(session: Session, request_id: int, letter_id: int | None) -> Letter | None:
    if letter_id is not None:
        letter = session.get(Letter, letter_id)
        if letter is None or letter.request_id != request_id:
            raise NotFound(f"找不到本申请的文书（编号 {letter_id}）。")
        return letter
    superseded = select(Letter.supersedes_id).where(col(Letter.supersedes_id).is_not(None))
    return session.exec(
        select(Letter).where(Letter.request_id == request_id, col(Letter.doc_number).is_not(None),
                             col(Letter.id).not_in(superseded))
        .order_by(col(Letter.id).desc())
    ).first()


def build_context(session: Session, request: Request, k: LetterKind, on_date: date,
                  extras: Mapping[str, str] | None = None,
                  serves_letter_id: int | None = None,
                  conf: office_settings.OfficeSettings | None = None) -> tuple[dict[str, str], list[str]]:
    """Every placeholder's value for ``k`` on this case, and warnings for the clerk.

    ``conf`` replaces the stored settings (the setup assistant's preview of details not yet saved).
    """
    conf = conf or office_settings.load(session)
    cal = holidays.calendar(session)
    warnings: list[str] = []
    extras = dict(extras or {})
    unknown = [key for key in extras if key not in templates.PLACEHOLDERS]
    if unknown:
        raise ValidationFailed(f"未知的填写项：{'、'.join(unknown)}（可用的名称见 resources/letters/README.md）。")
    r = request
    if r.id is None:  # only a stored case has events, pauses and letters to draw on
        raise NotFound("找不到该申请，请先保存登记。")
    ctx: dict[str, str] = dict.fromkeys(templates.PLACEHOLDERS, "")
    contact_parts = [f"联系人：{conf.contact_person}" if conf.contact_person else "",
                     f"联系电话：{conf.contact_phone}" if conf.contact_phone else ""]
    contact = "，".join(p for p in contact_parts if p)
    ctx.update(
        agency_name=conf.agency_name or marker("agency_name"),
        agency_address=conf.address or marker("agency_address"),
        contact_person=conf.contact_person,
        contact_phone=conf.contact_phone,
        contact=f"（{contact}）" if contact else marker("contact"),
        date=cn_date(on_date),
        reconsideration_body=conf.reconsideration_body or marker("reconsideration_body"),
        court=conf.court or marker("court"),
        reconsideration_online=conf.reconsideration_online or marker("reconsideration_online"),
        doc_word=_doc_word(k.title),
        reg_number=r.reg_number,
        received_date=cn_date(r.received_date),
        # An imported ledger's 未记载 is no way of applying: the clerk states it in the letter.
        channel=marker("channel") if r.channel == Channel.UNRECORDED else Channel(r.channel).label,
        applicant_name=r.applicant_name,
        applicant_type=ApplicantType(r.applicant_type).label,
        applicant_id=r.credit_code or r.id_number,
        applicant_contact_person=r.contact_person,
        applicant_phone=r.phone,
        applicant_address=r.address,
        applicant_postal_code=r.postal_code,
        applicant_email=r.email,
        description=r.description,
        purpose=r.purpose,
        preferred_form=r.preferred_form,
        delivery_method=r.delivery_method,
        reply_due_date=cn_date(r.due_date),
        legal_basis=k.articles,
        details=r.reply_summary,
        reply_date=cn_date(r.reply_date),
        published_where=marker("published_where"),
        withheld=marker("withheld"),
        supplement_notice_date=cn_date(r.supplement_notice_date) or marker("supplement_notice_date"),
        supplement_deadline=cn_date(r.supplement_deadline) or marker("supplement_deadline"),
        supplemented_date=cn_date(r.supplemented_date) or marker("supplemented_date"),
        later_date=cn_date(r.later_date) or marker("later_date"),
        later_date_reason=r.later_date_reason or marker("later_date_reason"),
        explanation_deadline=cn_date(cal.add_workdays(on_date, 15)),
        consult_reply_by=cn_date(cal.add_workdays(on_date, 15)),
        disclose_reason=marker("disclose_reason"),
    )
    outcome_code = k.outcome_codes[0] if k.outcome_codes else r.outcome_code
    if outcome_code:
        ctx["outcome_label"] = OUTCOMES_BY_CODE[outcome_code].label
    if k.code == "reply_6.3" and not r.reply_summary.strip():
        ctx["details"] = marker("details")
    if k.reason_hint:  # the reply summary is the case's specific reason (docs/domain.md, "Reply evidence")
        ctx["reason"] = r.reply_summary.strip() or reason_marker(k.reason_hint)
        ctx["details"] = ""
    ctx["disclose_content"] = r.reply_summary or marker("disclose_content")

    _supplement_and_extension(session, r, r.id, ctx)
    consulted = consultation_context(session, r.id, k, ctx, warnings)
    _handling_unit(session, r, r.id, ctx)
    _repeat_application(session, r, ctx)
    _reasons_asked(session, r.id, ctx)
    # The search behind a 4.1 reply, in one sentence (docs/domain.md, "Search record").
    ctx["search_summary"] = search_records.summary(search_records.rows_in(session, r.id)) or "经检索，"
    if k.code in FEE_KINDS:
        _fee_context(session, r, conf, ctx, warnings, extras)

    # Addressee
    addressee = {
        Addressee.APPLICANT: r.applicant_name,
        Addressee.FILE: r.applicant_name,
        Addressee.THIRD_PARTY: ctx["third_party"],
        Addressee.AGENCY: ctx["consulted_agency"],
        Addressee.UNIT: ctx["unit_name"],
    }[k.addressee]
    ctx["addressee_name"] = extras.get("addressee_name", addressee)
    if k.code == "delivery_receipt":
        _served(session, r, r.id, serves_letter_id, ctx)

    if "withheld" in extras:  # the older name of the reason
        extras.setdefault("reason", extras["withheld"])
    for key, value in extras.items():
        ctx[key] = value
    ctx["withheld"] = ctx["reason"]  # the older name, still used by offices' own templates
    ctx = {key: _clean(key, value) for key, value in ctx.items()}
    if r.delivery_method in ONLINE_DELIVERY_METHODS and not extras.get("remedy_online"):
        # Served through the internet: name the online channel (docs/domain.md, "Remedies").
        ctx["remedy_online"] = f"您也可以通过{ctx['reconsideration_online']}在网上提交行政复议申请。"
    _shared_fragments(session, ctx, k, outcome_code)
    render_consultation_fragments(session, ctx, consulted, frozenset(extras))
    return ctx, warnings


def _supplement_and_extension(session: Session, r: Request, request_id: int, ctx: dict[str, str]) -> None:
    # Supplement: the notice's "what" is the note of the request_supplement event; before that
    # step, what the record lacks (条例第三十条; docs/domain.md, "Registration and identity").
    what = session.exec(
        select(Event.note).where(Event.request_id == request_id, Event.kind == "request_supplement")
        .order_by(col(Event.id).desc())
    ).first()
    ctx["supplement_what"] = what or supplement_request(missing_in(r)) or marker("supplement_what")

    ext = session.exec(select(Extension).where(Extension.request_id == request_id)).first()
    ctx["extension_reason"] = ext.reason if ext else marker("extension_reason")
    ctx["extended_due_date"] = cn_date(r.due_date) if ext and r.due_date else marker("extended_due_date")


def _handling_unit(session: Session, r: Request, request_id: int, ctx: dict[str, str]) -> None:
    unit = session.get(HandlingUnit, r.current_unit_id) if r.current_unit_id else None
    ctx["unit_name"] = unit.name if unit else marker("unit_name")
    current = session.exec(
        select(Assignment).where(Assignment.request_id == request_id, col(Assignment.ended_date).is_(None))
    ).first()
    ctx["unit_due"] = cn_date(current.internal_due_date) if current and current.internal_due_date \
        else marker("unit_due")


def _repeat_application(session: Session, r: Request, ctx: dict[str, str]) -> None:
    """The earlier request a repeat application (outcome 5.2) refers to."""
    if r.repeat_of_id:
        earlier = session.get(Request, r.repeat_of_id)
        if earlier is not None:
            ctx["repeat_reg_number"] = earlier.reg_number
            ctx["repeat_received_date"] = cn_date(earlier.received_date)
            ctx["repeat_reply_date"] = cn_date(earlier.reply_date) or marker("repeat_reply_date")
    for key in ("repeat_reg_number", "repeat_received_date", "repeat_reply_date"):
        ctx[key] = ctx[key] or marker(key)


def _reasons_asked(session: Session, request_id: int, ctx: dict[str, str]) -> None:
    """The request for reasons a 5.4 reply refers to (Art. 35): the case's latest explanation letter."""
    asked = session.exec(select(Letter).where(Letter.request_id == request_id, Letter.kind == "explanation")
                         .order_by(col(Letter.id).desc())).first()
    ctx["explanation_date"] = cn_date(asked.issued_date) if asked else marker("explanation_date")
    ctx["explanation_number"] = f"（{asked.doc_number}）" if asked and asked.doc_number else ""


def _served(session: Session, r: Request, request_id: int, serves_letter_id: int | None,
            ctx: dict[str, str]) -> None:
    """Proof of delivery: which letter it serves, and how it went."""
    served = _served_letter(session, request_id, serves_letter_id)
    if served is None:
        ctx.update(served_title=marker("served_title"), served_number="", served_date="")
    else:
        ctx.update(served_title=served.title, served_number=f"（{served.doc_number}）" if served.doc_number else "",
                   served_date=cn_date(served.issued_date))
    ctx["delivery_method"] = r.delivery_method or marker("delivery_method")


def _shared_fragments(session: Session, ctx: dict[str, str], k: LetterKind, outcome_code: str | None) -> None:
    """Shared fragments, rendered with the filled context."""
    ctx["recital"] = templates.render_fragment(session, "_recital.txt", ctx)
    ctx["recital_other"] = templates.render_fragment(session, "_recital_other.txt", ctx)
    if k.remedy:
        refusal = outcome_code is not None and k.is_reply and OUTCOMES_BY_CODE[outcome_code].refuses_disclosure
        if outcome_code == "2" and ctx["remedy_route"] == ORDINARY_ROUTE:
            refusal = False
        elif ctx["remedy_route"] not in ("", ORDINARY_ROUTE):
            raise ValidationFailed(f"救济途径“{ctx['remedy_route']}”无效：部分公开可填 remedy_route={ORDINARY_ROUTE}"
                                   "（未依条例第十四至十六条不予公开，告知复议或诉讼），默认复议前置。")
        ctx["remedy"] = templates.render_fragment(session, "_remedy_refusal.txt" if refusal else "_remedy.txt", ctx)
    else:
        ctx["remedy"] = ""
    ctx["responsible_contact"] = f"（联系方式：{ctx['responsible_contact']}）" if ctx["responsible_contact"] else ""
    ctx["referral"] = templates.render_fragment(
        session, "_referral_known.txt" if ctx["responsible_agency"] else "_referral_unknown.txt", ctx)


def _fee_context(session: Session, r: Request, conf: office_settings.OfficeSettings, ctx: dict[str, str],
                 warnings: list[str], extras: Mapping[str, str]) -> None:
    rules = fee_rules.load_rules(session)
    ctx["fee_basis"] = rules.basis
    # Office data, not template text (docs/domain.md, "Fees"): the period, the way to pay, and
    # whether the time from the notice to the payment is left out of the reply period.
    ctx["fee_payment_workdays"] = str(conf.fee_payment_workdays)
    ctx["fee_payment_method"] = conf.fee_payment_method.strip() or marker("fee_payment_method")
    ctx["fee_pause_note"] = FEE_PAUSE_NOTE if conf.exclude_fee_pauses else ""
    fee = session.exec(select(Fee).where(Fee.request_id == r.id).order_by(col(Fee.id).desc())).first()
    method = fee.method if fee else extras.get("fee_method", fee_rules.PER_APPLICATION)
    if method not in rules.methods:  # a label typed by hand, e.g. "按量计收"
        method = next((c for c, m in rules.methods.items() if m.label == method), fee_rules.PER_APPLICATION)
    m = rules.method(method)
    if method == fee_rules.PER_PAGE:
        note = fee_rules.per_page_note(r.preferred_form, r.delivery_method)
        if note:  # excluded forms are refused when the fee is issued; an unknown form is only warned of
            warnings.append(note)
        pages = fee.quantity if fee else int(extras.get("fee_quantity", "0") or 0)
        if pages < 1:
            ctx.update(fee_method=m.label, fee_quantity=marker("fee_quantity"),
                       fee_calculation=marker("fee_calculation"), fee_amount=marker("fee_amount"))
            quote = None
        else:
            quote = rules.quote(method, pages)
            ctx["fee_quantity"] = f"本申请共{pages}页"
    else:
        ordinal = fee.quantity if fee and fee.quantity > 0 else fee_rules.month_ordinal(session, r)
        quote = rules.quote(method, 1, already=ordinal - 1)
        ctx["fee_quantity"] = f"{m.scope}的第{ordinal}件"
    if quote is not None:
        ctx["fee_method"] = m.label
        ctx["fee_calculation"] = quote.describe()
        amount = quote.amount_yuan
        if fee is not None and fee.amount_yuan != amount:
            warnings.append(f"登记的收费金额为{fee.amount_yuan}元，按收费标准计算应为{amount}元，请核对。")
            amount = fee.amount_yuan
        if amount == 0:
            warnings.append("按收费标准，本申请不应收费（免费额度以内）。")
        ctx["fee_amount"] = str(amount)
    ctx["fee_notice_date"] = cn_date(fee.notice_date) if fee else marker("fee_notice_date")
    # The deadline runs from the day after the applicant *received* the notice: known only
    # once that is recorded (``cases.record_fee_notice_received``), never from the letter's date.
    due = fee.payment_due if fee else None
    ctx["fee_payment_due"] = cn_date(due) if due else marker("fee_payment_due")
    ctx["fee_payment_due_note"] = f"（{cn_date(due)}前）" if due else ""


# --------------------------------------------------------------------------
# Compose
# --------------------------------------------------------------------------


def compose_in(session: Session, request_id: int, kind_code: str, *, on_date: date,
               extras: Mapping[str, str] | None = None, serves_letter_id: int | None = None) -> Draft:
    """``compose`` inside an open session (used by batch issuing)."""
    try:
        k = kind_of(kind_code)
    except KeyError:
        raise ValidationFailed(f"未知的文书种类“{kind_code}”。") from None
    request = load_request(session, request_id)
    if on_date < request.received_date:
        raise ValidationFailed(f"成文日期 {on_date} 早于收到申请日期 {request.received_date}。")
    return compose_for(session, request, k, on_date=on_date, extras=extras, serves_letter_id=serves_letter_id)


def compose_for(session: Session, request: Request, k: LetterKind, *, on_date: date,
                extras: Mapping[str, str] | None = None, serves_letter_id: int | None = None,
                conf: office_settings.OfficeSettings | None = None) -> Draft:
    """The draft of ``k`` for ``request`` (stored, or a sample one), with ``conf`` or the stored settings."""
    ctx, warnings = build_context(session, request, k, on_date, extras, serves_letter_id, conf)
    parsed = templates.load(session, k.template_name)
    rendered = templates.render(parsed, ctx)
    document = LetterDocument(
        title=rendered.title or k.title,
        doc_number=None,
        salutation=rendered.salutation or None,
        body=rendered.body,
        signature=rendered.signature or (ctx["agency_name"], ctx["date"]),
        contact=rendered.contact or None,
        footer_note=rendered.footer_note or None,
        cc=rendered.cc or None,
        author=ctx["agency_name"],
    )
    return Draft(k.code, request.id, document, ctx["addressee_name"], k.addressee.value, on_date,
                 serves_letter_id, tuple(warnings))


def compose(db: Database, request_id: int, kind_code: str, *, on_date: date | None = None,
            extras: Mapping[str, str] | None = None, serves_letter_id: int | None = None) -> Draft:
    """Compose a letter of kind ``kind_code`` for the request, dated ``on_date`` (default today)."""
    on_date = on_date or date.today()
    with db.read() as session:
        return compose_in(session, request_id, kind_code, on_date=on_date, extras=extras,
                          serves_letter_id=serves_letter_id)
