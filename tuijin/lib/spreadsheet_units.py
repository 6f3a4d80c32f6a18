"""Responsibility cells split into lead and supporting units: separators, （牵头） marks and conventions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tuijin.lib.spreadsheet_text import LEADING_ENUM_RE, matching_open

__all__ = ["assign_roles", "dedupe", "parse_units", "split_units"]

_UNIT_SEPARATORS = "、，,；;/／|｜\n\r\t \u3000"
_UNIT_SPLIT_RE = re.compile("[" + re.escape(_UNIT_SEPARATORS) + "]+")
_OPEN = "（(【[〔「《<"
_CLOSE = "）)】]〕」》>"
_LEAD_WORDS = ("牵头", "总牵头", "主责", "主办", "负责", "牵头负责", "责任单位", "牵头单位")
_SUPPORT_WORDS = ("配合", "协办", "协同", "协助", "参与", "配合单位", "协办单位", "配合部门")
_LABEL_RE = re.compile(
    r"^(牵头单位|牵头部门|牵头|主责单位|主办单位|配合单位|配合部门|协办单位|协办部门|协同单位|"
    r"参与单位|协助单位|配合|协办|协同|协助|参与|责任单位|责任部门)\s*[：:]?\s*(.*)$",
    re.S,
)
_LABEL_ROLE = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "牵头": "lead",
    "主责单位": "lead",
    "主办单位": "lead",
    "责任单位": None,
    "责任部门": None,
}
_SUFFIX_ROLE_RE = re.compile(r"^(.{2,}?)(?:等单位|等部门|等)?(牵头负责|负责牵头|牵头|配合|协办|协助)$")
_PLACEHOLDERS = {"", "无", "暂无", "—", "-", "--", "——", "/", "／", "空", "略", "\\", "…", "...", "0"}
_TRIM = " \t\r\n\u3000\xa0。，、；;：:,.．!！?？\"'“”‘’"


def _mark_role(content: str) -> str | None:
    content = content.strip().rstrip("：:，,、")
    if not content:
        return None
    if content.startswith(("牵头", "总牵头", "主责")) or content in _LEAD_WORDS:
        return "lead"
    if content.startswith(_SUPPORT_WORDS):
        return "support"
    return None


def _tokens(text: str) -> list[str]:
    """Split a unit cell at separators that are not inside brackets."""
    if not any(ch in _OPEN for ch in text):
        return _UNIT_SPLIT_RE.split(text)
    out: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _UNIT_SEPARATORS:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _clean_unit(name: str) -> str:
    name = name.strip(_TRIM)
    if not name:
        return ""
    name = LEADING_ENUM_RE.sub("", name, count=1).strip(_TRIM)
    for suffix in ("等相关单位", "等有关单位", "等单位", "等部门", "等"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)].strip(_TRIM)
            break
    return "" if name in _PLACEHOLDERS else name


def parse_units(text: str) -> tuple[list[tuple[str, str | None]], bool]:
    """-> [(name, role)], had_explicit_marks. role: "lead" | "support" | None (unmarked)."""
    items: list[tuple[str, str | None]] = []
    marked = False
    running: str | None = None  # set by a label such as "配合：" and kept until the next label
    for token in _tokens(text):
        token = token.strip(_TRIM)
        if not token:
            continue
        role: str | None = None
        label = _LABEL_RE.match(token)
        if label:
            word, rest = label.group(1), label.group(2).strip(_TRIM)
            has_colon = len(rest) < len(token) - len(word)
            if has_colon or not rest:
                running = _LABEL_ROLE.get(word, "support")
                marked = marked or running is not None
                token = rest
                if not token:
                    continue
        # a bracketed mark at the end or the start: 市商务局（牵头）, （配合）市财政局
        i = matching_open(token, _OPEN, _CLOSE)
        if i is not None:
            mark = _mark_role(token[i + 1 : -1])
            if mark:
                role = mark
                token = token[:i].strip(_TRIM)
        if role is None and token and token[0] in _OPEN:
            close = next((i for i, ch in enumerate(token) if ch in _CLOSE), -1)
            if close > 0:
                mark = _mark_role(token[1:close])
                if mark:
                    role = mark
                    token = token[close + 1 :].strip(_TRIM)
        if role is None:
            suffix = _SUFFIX_ROLE_RE.match(token)
            if suffix:
                token = suffix.group(1)
                role = "lead" if "牵头" in suffix.group(2) else "support"
        if role is not None:
            marked = True
            if not token:  # a lone "（牵头）" after a space: it marks the previous unit
                if items:
                    items[-1] = (items[-1][0], role)
                continue
        name = _clean_unit(token)
        if name:
            items.append((name, role or running))
    return items, marked


def assign_roles(
    items: list[tuple[str, str | None]], marked: bool, default: str
) -> tuple[list[str], list[str]]:
    """Roles for one cell. default: "first" (first listed leads), "lead" (all lead), "support"."""
    lead: list[str] = []
    support: list[str] = []
    if marked:
        any_lead = any(role == "lead" for _, role in items)
        for name, role in items:
            if role is None:
                if default == "support":
                    role = "support"
                elif not any_lead:
                    role = "lead"
                    any_lead = True
                else:
                    role = "support"
            (lead if role == "lead" else support).append(name)
    elif default == "support":
        support = [name for name, _ in items]
    elif default == "lead":
        lead = [name for name, _ in items]
    elif items:
        lead = [items[0][0]]
        support = [name for name, _ in items[1:]]
    return lead, support


def dedupe(names: list[str], exclude: Iterable[str] = ()) -> list[str]:
    seen = set(exclude)
    out = []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def split_units(text: str) -> tuple[list[str], list[str], bool]:
    """Split a responsibility cell into (lead, supporting, had_explicit_marks).

    Names may be separated by 、，,；;/／, line breaks or spaces. Marks such as "（牵头）", "(配合)",
    "牵头：…", "配合：…" or "…牵头" decide the role; without marks the first listed unit leads and the
    others support (排在首位的为牵头单位). Duplicates are dropped, order kept.
    """
    if not text:
        return [], [], False
    items, marked = parse_units(str(text))
    lead, support = assign_roles(items, marked, "first")
    lead = dedupe(lead)
    return lead, dedupe(support, lead), marked
