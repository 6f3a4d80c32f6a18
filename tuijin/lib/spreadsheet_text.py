"""Cell values as clean text: numbers and dates as people write them, whitespace tidied."""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "LEADING_ENUM_RE",
    "SPACES",
    "WS_RE",
    "clean_block",
    "clean_line",
    "clean_verbatim",
    "raw_text",
]

SPACES = str.maketrans("\u3000\xa0", "  ", "\u200b\u200c\u200d\ufeff")
WS_RE = re.compile(r"\s+")
_CJK = "\u3400-\u9fff\uf900-\ufaff（）《》“”、，。；：！？"
_CJK_GAP_RE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_EXCEL_ESCAPE_RE = re.compile(r"_x000[dD]_")
_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
# a list enumeration in front of a name or heading: 1、 1.2. (1) ①
LEADING_ENUM_RE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s*[、.．)）]|[（(]\d+[）)]|[\u2460-\u2473])\s*")


def _date_text(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def raw_text(value) -> str:
    """A cell value as text: numbers without a spurious '.0', dates as 2021年6月30日."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "_x00" in value:
            value = _EXCEL_ESCAPE_RE.sub("", value)
        if value.startswith(_NEUTRALISED):  # written by our own export: 'text → text
            value = value[1:]
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return _date_text(value.date())
    if isinstance(value, dt.date):
        return _date_text(value)
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def clean_line(text: str) -> str:
    """One-line value: whitespace runs collapsed, spaces between Chinese characters dropped."""
    if not text:
        return ""
    if not text.isascii():
        text = text.translate(SPACES)
    text = WS_RE.sub(" ", text).strip()
    if " " in text:
        text = _CJK_GAP_RE.sub("", text)
    return text


def clean_block(text: str) -> str:
    """Multi-line value (target, note): each line stripped, blank lines dropped, breaks kept."""
    if not text:
        return ""
    if "\n" not in text and "\r" not in text:
        return text.replace("\u3000", " ").strip()
    lines = (line.replace("\u3000", " ").strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def clean_verbatim(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\u3000", " ").strip() if text else ""


def matching_open(text: str, opening: str, closing: str) -> int | None:
    """Where the bracket closed by the text's last character opens (nesting counted), or None."""
    if not text or text[-1] not in closing:
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in closing:
            depth += 1
        elif text[i] in opening:
            depth -= 1
            if depth == 0:
                return i
    return None
