"""Office-wide settings, stored in the database so every desk agrees.

Typed, with defaults and a schema version so later releases can upgrade
stored values (Picard's config pattern).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from sqlmodel import Session, select

from request_desk.core.deadlines.clock import ClockRules
from request_desk.core.errors import ValidationFailed
from request_desk.core.storage.models import Setting

SETTINGS_VERSION = 1
_KEY = "office"

# The details without which no letter may be issued, with the words the refusal uses.
OFFICE_DETAILS = {"agency_name": "本机关名称", "reconsideration_body": "行政复议机关", "court": "管辖人民法院"}

# The sample values earlier versions used as defaults: a database that still holds them
# has never been set up, so they read as empty.
_SAMPLE_VALUES = {"agency_name": "某某市人民政府办公室", "reconsideration_body": "某某市人民政府",
                  "court": "某某市某某区人民法院"}


@dataclass(frozen=True)
class OfficeSettings:
    # The office's own details start empty: a letter may not go out with sample names
    # (docs/domain.md, "Letters", What a letter to the applicant contains).
    agency_name: str = ""
    registration_pattern: str = "{year}-{seq:05d}"
    document_number_pattern: str = "X政信公开〔{year}〕{seq}号"
    amber_days: int = 5
    # The texts do not settle whether notice-to-payment time counts; default is to
    # exclude it from the reply period, as a pause (docs/domain.md, "The legal clock", Pauses).
    exclude_fee_pauses: bool = True
    supplement_period_workdays: int = 15
    # A consultation letter whose receipt is not recorded is presumed received this many
    # working days after it went out (docs/domain.md, "Pauses"; default in ClockRules).
    consultation_transit_workdays: int = ClockRules.consultation_transit_workdays
    fee_payment_workdays: int = 20
    # How the applicant pays: usually the province's non-tax revenue system, so it is the
    # office's text, printed on the fee notice; empty leaves a visible blank there
    # (docs/domain.md, "Fees").
    fee_payment_method: str = ""
    reconsideration_body: str = ""
    court: str = ""
    # Where the applicant can file reconsideration online (a web address or platform name):
    # a letter served by e-mail or online must state it (docs/domain.md, "Remedies").
    reconsideration_online: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    address: str = ""
    # Default internal deadline a handling unit gets, leaving the office time to review.
    unit_internal_workdays: int = 10
    publication_threshold: int = 2
    follow_up_after_days: int = 3
    # Accounts (office/accounts.py): what a password must be, how many failures lock an
    # account and for how long, and after how many idle minutes a desk locks itself (0: never).
    password_min_length: int = 8
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 15
    # 审核后签发 (条例第四十五条; docs/domain.md, "Review and sign-off"): when on, no letter is
    # issued by its drafter; it is submitted for review and issued by another person, a
    # supervisor or administrator, on approval (letters/review.py).
    letter_review: bool = False
    # The 仿宋 / 小标宋 an administrator chose for letters (GB/T 9704; letters/office_fonts.py):
    # a family name and the file it was found in, resolved on each desk's own PC; empty
    # keeps the bundled fonts. Changed only through ``office_fonts.choose_font``, which checks the font.
    letter_body_font: str = ""
    letter_body_font_file: str = ""
    letter_title_font: str = ""
    letter_title_font_file: str = ""

    def missing_office_details(self) -> list[str]:
        """Labels of the details every letter needs that are not set yet."""
        return [label for name, label in OFFICE_DETAILS.items() if not getattr(self, name).strip()]

    def format_registration(self, year: int, seq: int) -> str:
        return self.registration_pattern.format(year=year, seq=seq)

    def format_document_number(self, year: int, seq: int) -> str:
        return self.document_number_pattern.format(year=year, seq=seq)


def check_pattern(name: str, pattern: str) -> None:
    """Refuse a numbering pattern that cannot be filled or would repeat numbers (a ValidationFailed in Chinese)."""
    try:
        first, second = pattern.format(year=2026, seq=1), pattern.format(year=2026, seq=2)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationFailed(f"编号格式“{pattern}”无效：只能使用 {{year}} 和 {{seq}} 两个占位符（{exc}）。") from exc
    if "{seq" not in pattern or first == second:
        raise ValidationFailed(f"编号格式“{pattern}”缺少序号占位符 {{seq}}，否则编号会重复。")
    if "{year" not in pattern and name == "registration_pattern":
        raise ValidationFailed(f"登记编号格式“{pattern}”缺少年份占位符 {{year}}：编号按年重新计数，必须含年份。")


def load(session: Session) -> OfficeSettings:
    row = session.exec(select(Setting).where(Setting.key == _KEY)).first()
    stored = dict(row.value) if row and isinstance(row.value, dict) else {}
    stored.pop("_version", None)
    known = {f.name for f in fields(OfficeSettings)}
    for name, sample in _SAMPLE_VALUES.items():
        if stored.get(name) == sample:
            stored[name] = ""
    return OfficeSettings(**{k: v for k, v in stored.items() if k in known})


def save(session: Session, settings: OfficeSettings) -> OfficeSettings:
    check_pattern("registration_pattern", settings.registration_pattern)
    check_pattern("document_number_pattern", settings.document_number_pattern)
    if settings.amber_days < 0:
        raise ValidationFailed("临期提醒天数不能为负数。")
    if not 0 <= settings.consultation_transit_workdays <= 15:
        raise ValidationFailed("征求意见书在途时间须为0至15个工作日。")
    if not 6 <= settings.password_min_length <= 64:
        raise ValidationFailed("密码最短长度须为6至64位。")
    if settings.lockout_attempts < 1 or settings.lockout_minutes < 1:
        raise ValidationFailed("锁定前允许的错误次数和锁定时长须至少为1。")
    if settings.idle_lock_minutes < 0:
        raise ValidationFailed("无操作锁定时间不能为负数（0 表示不自动锁定）。")
    if not isinstance(settings.letter_review, bool):
        raise ValidationFailed("“文书审核后签发”须为 是 或 否。")
    value = {"_version": SETTINGS_VERSION, **asdict(settings)}
    row = session.get(Setting, _KEY)
    if row is None:
        session.add(Setting(key=_KEY, value=value))
    else:
        row.value = value
        session.add(row)
    return settings


def update(session: Session, **changes: object) -> OfficeSettings:
    return save(session, replace(load(session), **changes))  # type: ignore[arg-type]
