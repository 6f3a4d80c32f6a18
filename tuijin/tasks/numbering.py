"""Sorting task numbers as people read them: 1, 2, 2.1, (1), 10 — not 1, 10, 2."""

import re

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _cn_int(text: str) -> int | None:
    if not text or any(ch not in _CN for ch in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN[text[1]]
    if text.endswith("十"):
        return _CN[text[0]] * 10
    if "十" in text:
        return _CN[text[0]] * 10 + _CN[text[-1]]
    return _CN[text]


def sort_key(number: str) -> str:
    """A zero-padded key: '3.2' → '0003.0002', '（1）' → '0001', '十二' → '0012'."""
    parts = re.findall(r"\d+|[一二三四五六七八九十]+", number or "")
    padded = []
    for part in parts[:6]:
        value = int(part) if part.isdigit() else _cn_int(part)
        padded.append(f"{(value or 0):04d}")
    return ".".join(padded) or "9999"
