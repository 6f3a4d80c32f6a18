"""Masking personal data for display and exports, and the GB 11643 check of resident ID numbers.

The patterns follow the ones Chinese government systems commonly show (as in Hutool's DesensitizedUtil): a name
keeps its surname, a mobile its first three and last four digits, an ID number its first three and last four.
Masks never reveal the length of a name; for numbers they keep the length, as users expect to recognise them.
"""

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Two-character surnames (复姓) in use today; a name starting with one keeps both characters.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 西门 南宫 独孤 百里 呼延 "
    "澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 钟离 闻人 赫连 万俟 司空 鲜于 闾丘 子车 亓官 司寇 巫马 公西 "
    "颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 段干 东郭 左丘 梁丘 第五 羊舌 微生 公羊 哥舒 完颜".split()
)
_LANDLINE = re.compile(r"^\s*(0\d{2,3})\s*-\s*(\d{7,8})(?:\s*-\s*\d{1,6})?\s*$")


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits stay visible; 0371-****1234 for an office line."""
    landline = _LANDLINE.match(phone or "")
    if landline:
        area, local = landline.groups()
        return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    digits = re.sub(r"\s|-", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str) -> str:
    """410***********1234: the region's first three and the last four characters stay visible."""
    number = (number or "").strip()
    if len(number) < 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str) -> str:
    """张** / 欧阳**: the surname stays, the given name becomes two stars whatever its length."""
    name = (name or "").strip()
    if not name:
        return ""
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "**"


def mask_email(email: str) -> str:
    """z***@example.com: the first character of the mailbox and the whole domain stay visible."""
    email = (email or "").strip()
    local, at, domain = email.rpartition("@")
    if not at or not local:
        return "*" * len(email) if len(email) < 4 else email[0] + "***"
    return f"{local[0]}***@{domain}"


def mask_bank_card(number: str) -> str:
    """6222 **** **** **** 1234: the first and last four digits stay; the stars are grouped by four."""
    digits = re.sub(r"\s|-", "", number or "")
    if len(digits) < 12:
        return "*" * len(digits)
    stars = "*" * (len(digits) - 8)
    groups = [stars[i : i + 4] for i in range(0, len(stars), 4)]
    return " ".join([digits[:4], *groups, digits[-4:]])


def id_number_is_valid(number: str) -> bool:
    """GB 11643-1999: 17 digits and a check character computed mod 11."""
    number = (number or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]
