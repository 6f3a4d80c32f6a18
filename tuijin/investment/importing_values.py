"""Cell values of an enterprise or project spreadsheet as people write them: money in 万元/亿元, dates in Chinese
formats, and the words for origins, channels, kinds, stages and agreements. Pure functions: each returns the value
and, when it cannot read the cell, the problem in words for the person who wrote it."""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tuijin.lib.spreadsheet_text import clean_line, raw_text

from .models import AgreementType, Channel, Origin, ProjectKind, Stage

YI = Decimal(10000)
MAX_WAN = Decimal("1e12")

_MONEY_RE = re.compile(
    r"^(?P<num>[+-]?[0-9][0-9,]*(?:\.[0-9]+)?|[+-]?\.[0-9]+)(?P<unit>亿元|亿|万元|万|元)?$"
)
_UNIT_IN_HEADER = re.compile(r"(亿元|亿|万元|万)")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_ONLY_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def text(value) -> str:
    """A cell as one clean line of text."""
    return clean_line(raw_text(value))


def plain(value: str) -> str:
    """Text for comparing names: half-width, no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def header_unit(header: str) -> str | None:
    """ "yi" or "wan" when a column heading names its unit (计划投资（亿元））, else None."""
    found = _UNIT_IN_HEADER.search(header or "")
    if not found:
        return None
    return "yi" if found.group(1).startswith("亿") else "wan"


def parse_money(value, unit: str | None) -> tuple[Decimal | None, str | None]:
    """(amount in 万元, None) or (None, problem). A number needs its unit in the cell (5亿元, 3000万) or in the
    column heading (签约金额（亿元））."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("Write an amount, not a yes/no value.")
    cell_unit = None
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return None, _("This is not an amount.")
    else:
        written = "".join(unicodedata.normalize("NFKC", str(value)).split()).replace("，", ",")
        written = re.sub(r"[(（](亿元|万元)[)）]$", r"\1", written)
        match = _MONEY_RE.match(written)
        if not match:
            return None, _("“%(text)s” is not an amount: write e.g. 5亿元, 3000万元 or 1.5 under a heading that "
                           "names the unit.") % {"text": str(value)[:40]}  # fmt: skip
        amount = Decimal(match.group("num").replace(",", ""))
        cell_unit = {"亿元": "yi", "亿": "yi", "万元": "wan", "万": "wan", "元": "yuan"}.get(
            match.group("unit") or ""
        )
    unit = cell_unit or unit
    if unit is None:
        return None, _("The amount %(amount)s has no unit: write 万元 or 亿元 in the cell or in the column heading.") % {
            "amount": f"{amount.normalize():f}"}  # fmt: skip
    if amount < 0:
        return None, _("Amounts cannot be negative.")
    wan = amount * YI if unit == "yi" else amount / YI if unit == "yuan" else amount
    wan = wan.quantize(Decimal("0.01"))
    if wan >= MAX_WAN:
        return None, _("This amount is too large.")
    return wan, None


def parse_date(value, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    """(date, None) or (None, problem). Excel dates, 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日, 20210305."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        written = "".join(unicodedata.normalize("NFKC", str(value)).split())
        match = _DATE_RE.match(written) or _COMPACT_DATE_RE.match(written)
        if not match:
            if _MONTH_ONLY_RE.match(written):
                return None, _("“%(text)s” has no day: write the full date, e.g. 2021年3月5日.") % {
                    "text": written
                }
            if isinstance(value, int | float):
                return None, _("%(text)s is a number, not a date: write e.g. 2021年3月5日 or 2021-03-05.") % {
                    "text": written}  # fmt: skip
            return None, _("“%(text)s” is not a date: write e.g. 2021年3月5日 or 2021-03-05.") % {
                "text": written[:40]
            }
        try:
            day = datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None, _("There is no such day as %(text)s.") % {"text": written}
    if day > today:
        return None, _("The date %(day)s is in the future.") % {
            "day": f"{day.year}年{day.month}月{day.day}日"
        }
    if day.year < 1990:
        return None, _("The date %(day)s is too far back.") % {"day": f"{day.year}年{day.month}月{day.day}日"}
    return day, None


# ——— words ———

ORIGIN_WORDS = {
    "省外": Origin.OTHER_PROVINCE, "外省": Origin.OTHER_PROVINCE, "省内市外": Origin.PROVINCE, "省内": Origin.PROVINCE,
    "市内": Origin.CITY, "本市": Origin.CITY, "市本级": Origin.CITY, "境外": Origin.ABROAD, "国外": Origin.ABROAD,
    "外资": Origin.ABROAD, "港澳台": Origin.ABROAD,
}  # fmt: skip
CHANNEL_WORDS = {
    "定向招商": Channel.DIRECTED, "定向": Channel.DIRECTED, "定向招": Channel.DIRECTED,
    "上门招商": Channel.DOOR_TO_DOOR, "上门": Channel.DOOR_TO_DOOR, "上门招": Channel.DOOR_TO_DOOR,
    "与创投机构合作招商": Channel.VENTURE, "创投机构合作招商": Channel.VENTURE, "创投合作": Channel.VENTURE,
    "基金招商": Channel.VENTURE, "资本招商": Channel.VENTURE, "创投": Channel.VENTURE,
    "以商招商": Channel.SECOND_ROUND, "二次招商": Channel.SECOND_ROUND, "以商招商·二次招商": Channel.SECOND_ROUND,
    "以商招商/二次招商": Channel.SECOND_ROUND, "以商招商、二次招商": Channel.SECOND_ROUND,
    "展会": Channel.EXPO, "展会招商": Channel.EXPO, "会展": Channel.EXPO, "会展招商": Channel.EXPO,
    "其他": Channel.OTHER, "其它": Channel.OTHER,
}  # fmt: skip
KIND_WORDS = {
    "": ProjectKind.NEW, "新引进": ProjectKind.NEW, "新建": ProjectKind.NEW, "新项目": ProjectKind.NEW,
    "新设": ProjectKind.NEW, "增资": ProjectKind.INCREASE, "增资扩股": ProjectKind.INCREASE,
    "增资扩产": ProjectKind.INCREASE, "升级": ProjectKind.UPGRADE, "技改升级": ProjectKind.UPGRADE,
    "升级改造": ProjectKind.UPGRADE, "技改": ProjectKind.UPGRADE,
}  # fmt: skip
STAGE_WORDS = {
    "线索": Stage.LEAD, "洽谈": Stage.NEGOTIATING, "在谈": Stage.NEGOTIATING, "洽谈中": Stage.NEGOTIATING,
    "签约": Stage.SIGNED, "已签约": Stage.SIGNED, "注册": Stage.REGISTERED, "已注册": Stage.REGISTERED,
    "落地": Stage.LANDED, "入驻": Stage.LANDED, "已落地": Stage.LANDED, "已入驻": Stage.LANDED,
    "落地/入驻": Stage.LANDED, "开工": Stage.STARTED, "已开工": Stage.STARTED, "在建": Stage.STARTED,
    "投产": Stage.OPERATING, "运营": Stage.OPERATING, "已投产": Stage.OPERATING, "投产/运营": Stage.OPERATING,
    "已运营": Stage.OPERATING, "终止": Stage.DROPPED, "已终止": Stage.DROPPED, "放弃": Stage.DROPPED,
}  # fmt: skip
AGREEMENT_WORDS = {
    "框架协议": AgreementType.FRAMEWORK, "框架": AgreementType.FRAMEWORK, "投资意向书": AgreementType.FRAMEWORK,
    "意向协议": AgreementType.FRAMEWORK, "正式协议": AgreementType.FORMAL, "正式": AgreementType.FORMAL,
    "正式合同": AgreementType.FORMAL, "投资协议": AgreementType.FORMAL, "合同": AgreementType.FORMAL,
}  # fmt: skip
# The default categories as people also write them (PRODUCT.md: 大院大所/大院名所, 人才创新团队/领军团队).
CATEGORY_WORDS = {
    "大院大所": "大院名所研究机构", "大院名所": "大院名所研究机构", "研究机构": "大院名所研究机构",
    "领军团队": "人才创新团队", "人才团队": "人才创新团队", "创新团队": "人才创新团队", "头部": "头部企业",
    "高科技": "高科技企业", "高新技术企业": "高科技企业",
}  # fmt: skip

# What the spreadsheet shows for each choice (the export writes these; the import reads them back).
ORIGIN_TEXT = {
    Origin.OTHER_PROVINCE: "省外",
    Origin.PROVINCE: "省内市外",
    Origin.CITY: "市内",
    Origin.ABROAD: "境外",
}
CHANNEL_TEXT = {Channel.DIRECTED: "定向招商", Channel.DOOR_TO_DOOR: "上门招商", Channel.VENTURE: "与创投机构合作招商",
                Channel.SECOND_ROUND: "以商招商·二次招商", Channel.EXPO: "展会", Channel.OTHER: "其他"}  # fmt: skip
KIND_TEXT = {ProjectKind.NEW: "新引进", ProjectKind.INCREASE: "增资", ProjectKind.UPGRADE: "升级"}
STAGE_TEXT = {Stage.LEAD: "线索", Stage.NEGOTIATING: "洽谈", Stage.SIGNED: "签约", Stage.REGISTERED: "注册",
              Stage.LANDED: "落地", Stage.STARTED: "开工", Stage.OPERATING: "投产", Stage.DROPPED: "终止"}  # fmt: skip
AGREEMENT_TEXT = {AgreementType.FRAMEWORK: "框架协议", AgreementType.FORMAL: "正式协议"}


def choose(written: str, words: dict, texts: dict) -> str | None:
    """The choice a word stands for (also its label as the app shows it), or None."""
    key = plain(written).replace("（", "(").replace("）", ")")
    for word, value in words.items():
        if plain(word) == key:
            return value
    for value, label in texts.items():
        if plain(label) == key:
            return value
    return None


def known_words(texts: dict) -> str:
    return "、".join(texts.values())
