"""Information-processing fees (信息处理费, 国办函〔2020〕109号), computed from data.

Thresholds and rates live in ``resources/fees/fee_rules.toml``; an office that
charges by another table keeps its version in the database
(``storage/office_files.py``; ``request-desk settings set-file
fees/fee_rules.toml FILE``), so every desk computes the same fee. Both methods are
progressive: each unit — the k-th application of the applicant in a calendar
month, or the k-th page of one application — is charged at the rate of the
band it falls in. ``quote`` gives the amount and a line per band, which the
收费通知书 states as the basis of the charge.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from request_desk.core.cases import applicant_history
from request_desk.core.errors import DeskError
from request_desk.core.storage.models import Request
from request_desk.core.storage.office_files import FEES, own_file, shipped_text

PER_APPLICATION = "per_application"
PER_PAGE = "per_page"
RULES_FILE = "fee_rules.toml"


class FeeRulesError(DeskError):
    """The fee table is damaged or inconsistent."""


@dataclass(frozen=True)
class Band:
    first: int
    last: int | None  # None: and above
    yuan: int
    step_units: int = 0
    step_yuan: int = 0

    def rate(self, unit: int) -> int:
        """Yuan for the ``unit``-th unit, which must fall in this band."""
        if self.step_units:
            return self.yuan + (unit - self.first) // self.step_units * self.step_yuan
        return self.yuan


@dataclass(frozen=True)
class QuoteLine:
    first: int
    last: int
    yuan: int  # per unit
    units: int

    @property
    def subtotal(self) -> int:
        return self.yuan * self.units


@dataclass(frozen=True)
class Quote:
    method: str
    label: str  # 按件计收 / 按量计收
    unit: str  # 件 / 页
    first: int  # first unit charged for (e.g. the 12th application this month)
    last: int
    amount_yuan: int
    lines: tuple[QuoteLine, ...]
    basis: str

    def describe(self) -> str:
        """The calculation in words, for the fee notice: ``第11—30件，每件100元，共20件，计2000元``."""
        parts = []
        for ln in self.lines:
            span = f"第{ln.first}{self.unit}" if ln.first == ln.last else f"第{ln.first}—{ln.last}{self.unit}"
            if ln.yuan == 0:
                parts.append(f"{span}免费")
            else:
                parts.append(f"{span}，每{self.unit}{ln.yuan}元，计{ln.subtotal}元")
        return "；".join(parts)


@dataclass(frozen=True)
class Method:
    code: str
    label: str
    unit: str
    scope: str
    bands: tuple[Band, ...]

    def rate(self, unit: int) -> int:
        return self._band(unit).rate(unit)

    def _band(self, unit: int) -> Band:
        for band in self.bands:
            if band.first <= unit and (band.last is None or unit <= band.last):
                return band
        raise FeeRulesError(f"收费标准中没有第{unit}{self.unit}的费率。")  # excluded by validation


@dataclass(frozen=True)
class FeeRules:
    basis: str
    methods: dict[str, Method]

    def method(self, code: str) -> Method:
        try:
            return self.methods[code]
        except KeyError:
            raise FeeRulesError(f"未知的计费方式“{code}”（可用：{'、'.join(self.methods)}）。") from None

    def quote(self, method: str, quantity: int, *, already: int = 0) -> Quote:
        """Charge units ``already+1 … already+quantity`` under ``method``.

        Per application: ``already`` is the number of the applicant's earlier
        applications this calendar month, ``quantity`` usually 1. Per page:
        ``quantity`` is the page count of the application, ``already`` 0.
        """
        m = self.method(method)
        if quantity < 1 or already < 0:
            raise FeeRulesError("计费数量必须为正整数。")
        first, last = already + 1, already + quantity
        lines: list[QuoteLine] = []
        for unit in range(first, last + 1):
            rate = m.rate(unit)
            if lines and lines[-1].yuan == rate and lines[-1].last == unit - 1:
                prev = lines[-1]
                lines[-1] = QuoteLine(prev.first, unit, rate, prev.units + 1)
            else:
                lines.append(QuoteLine(unit, unit, rate, 1))
        return Quote(m.code, m.label, m.unit, first, last, sum(ln.subtotal for ln in lines), tuple(lines),
                     self.basis)


def parse_rules(text: str, source: str) -> FeeRules:
    """The fee table in ``text`` (TOML); refused with what is wrong, naming ``source``."""
    try:
        data = tomllib.loads(text)
        methods = {}
        for code in (PER_APPLICATION, PER_PAGE):
            raw = data[code]
            bands = tuple(
                Band(int(b["from"]), int(b["to"]) if "to" in b else None, int(b["yuan"]),
                     int(b.get("step_units", 0)), int(b.get("step_yuan", 0)))
                for b in raw["bands"]
            )
            _check_bands(bands, code)
            methods[code] = Method(code, str(raw["label"]), str(raw["unit"]), str(raw.get("scope", "")), bands)
        return FeeRules(str(data.get("basis", "")), methods)
    except FeeRulesError as exc:
        raise FeeRulesError(f"收费标准文件 {source} 有误：{exc}") from exc
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise FeeRulesError(f"收费标准文件 {source} 无法读取：{exc}") from exc


def _check_bands(bands: tuple[Band, ...], code: str) -> None:
    expected = 1
    for i, b in enumerate(bands):
        if b.first != expected:
            raise FeeRulesError(f"{code} 的第{i + 1}档应从第{expected}个单位开始，实为{b.first}。")
        if b.yuan < 0 or b.step_yuan < 0 or b.step_units < 0:
            raise FeeRulesError(f"{code} 的第{i + 1}档费率为负数。")
        if b.last is None:
            if i != len(bands) - 1:
                raise FeeRulesError(f"{code} 只有最后一档可以不设上限。")
            return
        if b.last < b.first:
            raise FeeRulesError(f"{code} 的第{i + 1}档上限小于下限。")
        expected = b.last + 1
    raise FeeRulesError(f"{code} 的最后一档须不设上限（缺少“以上”一档）。")


def load_rules(session: Session | None) -> FeeRules:
    """The office's fee table from the database if it has one, else the shipped table (also without a session)."""
    own = own_file(session, FEES, RULES_FILE)
    if own is not None:
        return parse_rules(own.text, own.origin)
    shipped = shipped_text(FEES, RULES_FILE)
    assert shipped is not None, "the package ships resources/fees/fee_rules.toml"
    return parse_rules(shipped, f"resources/fees/{RULES_FILE}")


class PerPageForm(StrEnum):
    """Whether the way the applicant wants the information allows charging per page."""

    APPLIES = "applies"    # paper, e-mail, or electronic data copied onto a carrier
    EXCLUDED = "excluded"  # read on the spot, looked up online: nothing is copied for the applicant
    UNKNOWN = "unknown"    # not recorded, or not recognisable: allowed, with a warning


_VIEWING = ("阅读", "查阅", "查看", "浏览", "观看", "抄录")
_EMAIL = ("电子邮件", "邮箱", "email", "e-mail")
_CARRIER = ("光盘", "u盘", "移动硬盘", "存储介质", "拷贝", "复制")
_HANDED_OR_POSTED = ("邮寄", "当面领取", "自取", "领取")
_ONLINE = ("网上", "在线", "网站", "网络", "平台")


def per_page_form(preferred_form: str, delivery_method: str) -> PerPageForm:
    """Can this application be charged per page (按量计收)? From its provision form and delivery method.

    国办函〔2020〕109号 Art. 5: per-page charging applies where the applicant asks for
    paper copies, e-mail or copied electronic data (docs/domain.md, "Fees"). Reading or
    looking the information up (on the spot or online) is not such a way, whatever form
    it is in; paper is, however it is delivered; electronic data is when sent by e-mail or
    copied onto a carrier that is posted or handed over. Anything else the desk cannot
    tell: it allows the charge and the step's hint and the letter warn.
    """
    form, way = preferred_form.strip().lower(), delivery_method.strip().lower()
    both = f"{form} {way}"
    if any(word in both for word in _VIEWING):
        return PerPageForm.EXCLUDED
    if "纸" in form or any(word in both for word in _EMAIL + _CARRIER):
        return PerPageForm.APPLIES
    if "电子" in form and any(word in way for word in _HANDED_OR_POSTED):
        return PerPageForm.APPLIES
    if any(word in both for word in _ONLINE):
        return PerPageForm.EXCLUDED
    return PerPageForm.UNKNOWN


def describe_form(preferred_form: str, delivery_method: str) -> str:
    """``提供形式“纸质”、获取方式“邮寄”`` for a sentence; says what is not recorded."""
    form, way = preferred_form.strip(), delivery_method.strip()
    parts = [f"提供形式“{form}”" if form else "未登记提供形式", f"获取方式“{way}”" if way else "未登记获取方式"]
    return "、".join(parts)


PER_PAGE_SCOPE = ("按量计收只适用于申请人要求以提供纸质件、发送电子邮件、复制电子数据等方式获取政府信息的情形"
                  "（《政府信息公开信息处理费管理办法》第五条）")


def per_page_refusal(preferred_form: str, delivery_method: str) -> str | None:
    """Why this application cannot be charged per page, or None (docs/domain.md, "Fees")."""
    if per_page_form(preferred_form, delivery_method) is not PerPageForm.EXCLUDED:
        return None
    return (f"{PER_PAGE_SCOPE}；本申请{describe_form(preferred_form, delivery_method)}，"
            "不属于上述情形，不能按量计收；如确需收费，只能按件计收。")


def per_page_note(preferred_form: str, delivery_method: str) -> str:
    """What the clerk should know about per-page charging for this application (the step's hint)."""
    described = describe_form(preferred_form, delivery_method)
    verdict = per_page_form(preferred_form, delivery_method)
    if verdict is PerPageForm.EXCLUDED:
        return f"本申请{described}，不能按量计收（{PER_PAGE_SCOPE}）。"
    if verdict is PerPageForm.UNKNOWN:
        return (f"本申请{described}，无法判断能否按量计收。{PER_PAGE_SCOPE}，"
                "按量计收前请核实申请人要求的获取方式。")
    return ""


def month_ordinal(session: Session, request: Request) -> int:
    """Which application of the same applicant this is within its calendar month (1-based).

    "The same applicant" is the one rule of ``applicant_history`` (credit
    code, else ID number, else name and phone), which the case view's
    申请人历史 shows; ties on the same day are ordered by registration.
    """
    return applicant_history.month_ordinal(session, request)
