"""Turning the rows under the header into tasks: category rows, numbering and parents, problems per row."""

from __future__ import annotations

import re

from openpyxl.utils.cell import get_column_letter

from tuijin.lib.spreadsheet_header import Header
from tuijin.lib.spreadsheet_text import (
    LEADING_ENUM_RE,
    WS_RE,
    clean_block,
    clean_line,
    clean_verbatim,
    raw_text,
)
from tuijin.lib.spreadsheet_types import FIELDS, ParsedRow, Problem
from tuijin.lib.spreadsheet_units import assign_roles, dedupe, parse_units

__all__ = ["RowReader"]

# --------------------------------------------------------------------------------------------------
# numbering

_NUM_TRANS = str.maketrans("０１２３４５６７８９（）．、", "0123456789().、")
_ARABIC_RE = re.compile(r"^\d+$")
_DOTTED_RE = re.compile(r"^\d+(?:\.\d+)+$")
_PAREN_RE = re.compile(r"^\(\d+\)$")
_CIRCLED_RE = re.compile(r"^[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]$")
_CN_DIGITS = "一二三四五六七八九十百零〇两"
_CN_RE = re.compile(rf"^[{_CN_DIGITS}]+$")
_CN_PAREN_RE = re.compile(rf"^\([{_CN_DIGITS}]+\)$")
_SECTION_RE = re.compile(rf"^第[{_CN_DIGITS}\d]+[部分类项章篇大块个]+$")
_HEADING_PREFIX_RE = re.compile(
    rf"^\s*(?:[{_CN_DIGITS}]+\s*[、.．，,]|[（(][{_CN_DIGITS}]+[）)]|第[{_CN_DIGITS}\d]+[部分类项章篇大块个]+[、:：，,.．]?"
    rf"|[{_CN_DIGITS}]+是)\s*"
)
_COUNT_SUFFIX_RE = re.compile(r"[（(]\s*(?:共\s*)?\d+\s*[项个条件]\s*[）)]$")


def _norm_number(text: str) -> str:
    if not text:
        return ""
    s = WS_RE.sub("", text.translate(_NUM_TRANS))
    s = s.rstrip("、.,，:：")
    return s


def _is_heading_number(number: str) -> bool:
    return bool(_CN_RE.match(number) or _CN_PAREN_RE.match(number) or _SECTION_RE.match(number))


def _is_task_number(number: str) -> bool:
    return bool(
        _ARABIC_RE.match(number)
        or _DOTTED_RE.match(number)
        or _PAREN_RE.match(number)
        or _CIRCLED_RE.match(number)
    )


def _heading_text(text: str) -> str:
    """ "一、项目招商" → "项目招商"; "（一）基础设施建设（12项）：" → "基础设施建设"."""
    text = clean_line(text)
    stripped = _HEADING_PREFIX_RE.sub("", text, count=1)
    if stripped == text:
        stripped = LEADING_ENUM_RE.sub("", text, count=1)
    stripped = _COUNT_SUFFIX_RE.sub("", stripped).strip().rstrip("：:、，,。.；;").strip()
    return stripped or text


# --------------------------------------------------------------------------------------------------
# rows under the header

_NOTE_RE = re.compile(r"^(?:注|备注|附注|说明|填报说明|填表说明)\s*(?:[:：、.．\d（(]|$)")
_FOOTER_RE = re.compile(
    r"^(?:填报人|填表人|审核人|制表人|联系人|联系电话|签发人|单位负责人|制表日期|填报日期|报送日期)"
)
_TOTAL_WORDS = {"合计", "小计", "总计"}


def _is_column_index_row(nonempty: list[tuple[int, str]]) -> bool:
    """A row under the header that only numbers the columns: 1 2 3 … or (1) (2) (3) … or A B C …"""
    if len(nonempty) < 3:
        return False
    keys = [_norm_number(text).strip("()") for _, text in nonempty]
    if all(k.isdigit() for k in keys):
        values = [int(k) for k in keys]
    elif all(len(k) == 1 and "A" <= k.upper() <= "Z" for k in keys):
        values = [ord(k.upper()) for k in keys]
    else:
        return False
    return all(b == a + 1 for a, b in zip(values, values[1:], strict=False))


class RowReader:
    """Fed the rows under the header one by one; collects ParsedRows, problems and unit conventions."""

    def __init__(self, mapping: dict[str, int], header: Header | None):
        self.mapping = mapping
        self.columns = {fld: get_column_letter(mapping[fld] + 1) for fld in FIELDS if fld in mapping}
        self.first_row = True
        self.rows: list[ParsedRow] = []
        self.problems: list[Problem] = []
        self.category = ""
        self.last_top: str | None = None
        self.last_paren: str | None = None
        self.in_notes = False
        self.unit_cache: dict[tuple[str, str], tuple[list[str], list[str], bool]] = {}
        self.names: dict[str, str] = {}
        self.marked_multi = 0
        self.unmarked_multi = 0
        self.number_col = mapping.get("number")
        self.title_col = mapping.get("title")
        self.lead_col = mapping.get("lead_units")
        self.support_col = mapping.get("supporting_units")
        self.category_col = mapping.get("category")
        lead_header = ""
        if header and self.lead_col is not None:
            lead_header = "/".join(header.texts.get(self.lead_col, []))
        # a column headed 牵头单位 lists leads; a lone 责任单位 column: first listed leads
        self.lead_default = "lead" if (self.support_col is not None or "牵头" in lead_header) else "first"
        self.repeat_title = ""
        if header and self.title_col is not None and header.texts.get(self.title_col):
            self.repeat_title = header.texts[self.title_col][-1]

    def _intern(self, text: str) -> str:
        return self.names.setdefault(text, text)

    def _units(self, text: str, default: str) -> tuple[list[str], list[str], bool]:
        key = (text, default)
        cached = self.unit_cache.get(key)
        if cached is None:
            items, marked = parse_units(text)
            lead, support = assign_roles(items, marked, default)
            lead = [self._intern(n) for n in dedupe(lead)]
            cached = (lead, [self._intern(n) for n in dedupe(support, lead)], marked)
            if len(self.unit_cache) < 50_000:
                self.unit_cache[key] = cached
        return cached

    def _problem(self, row: int, fld: str | None, message: str, hint: str, level: str = "error") -> None:
        column = self.columns.get(fld) if fld else None
        self.problems.append(Problem(row, column, fld, message, hint, level))

    def feed(self, number: int, values: list, filled: set | None, horizontal: dict | None) -> None:
        nonempty: list[tuple[int, str]] = []
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            text = raw_text(value).strip()
            if text:
                nonempty.append((col, text))
        if not nonempty or (filled and all(col in filled for col, _ in nonempty)):
            return  # blank, or only the continuation of cells merged down from an earlier row
        first_text = clean_line(nonempty[0][1])
        distinct = {t for _, t in nonempty}
        if self.first_row:
            self.first_row = False
            if _is_column_index_row(nonempty):
                return
        if _FOOTER_RE.match(first_text):
            return
        if len(distinct) == 1 and (self.in_notes or _NOTE_RE.match(first_text)):
            self.in_notes = True
            return
        self.in_notes = False

        m = self.mapping

        def get(fld: str) -> str:
            col = m.get(fld)
            if col is None or col >= len(values):
                return ""
            value = values[col]
            if value is None or value == "":
                return ""
            return raw_text(value)

        number_text = _norm_number(clean_line(get("number")))
        title = clean_line(get("title"))
        if self.repeat_title and title and WS_RE.sub("", title) == self.repeat_title:
            return  # the header repeated further down (printed pages pasted together)
        if (not title and number_text in _TOTAL_WORDS) or (title in _TOTAL_WORDS and not number_text):
            return

        heading = self._heading(number, nonempty, distinct, number_text, title, horizontal)
        if heading is not None:
            self.category = heading
            self.last_top = self.last_paren = None
            return

        lead_text = get("lead_units")
        support_text = get("supporting_units")
        target = clean_block(get("target"))
        limit_text = clean_verbatim(get("limit_text"))
        note = clean_block(get("note"))
        leader = self._intern(clean_line(get("leader")))
        owner = self._intern(clean_line(get("owner")))
        if self.category_col is not None:
            cat = clean_line(get("category"))
            if cat:
                self.category = self._intern(_heading_text(cat))

        mapped_cols = m.values()
        if not number_text and not title and not any(col in mapped_cols for col, _ in nonempty):
            return  # content only in columns we do not import (e.g. 完成情况)

        lead: list[str] = []
        support: list[str] = []
        if lead_text:
            lead_a, support_a, marked = self._units(lead_text, self.lead_default)
            lead += lead_a
            support += support_a
            if self.lead_default == "first" and len(lead_a) + len(support_a) > 1:
                if marked:
                    self.marked_multi += 1
                else:
                    self.unmarked_multi += 1
        if support_text:
            lead_b, support_b, _ = self._units(support_text, "support")
            lead += lead_b
            support += support_b
        if lead_text and support_text:
            lead = dedupe(lead)
            support = dedupe(support, lead)

        # a task spread over several rows with its number and title merged vertically
        if (
            filled
            and self.title_col in filled
            and (self.number_col is None or not number_text or self.number_col in filled)
        ):
            origin = self.rows[-1] if self.rows else None
            if origin is not None and origin.title == title:
                self._continue(origin, target, limit_text, note, lead, support, leader, owner)
                return

        if not title:
            if number_text:
                if self.title_col is not None:
                    self._problem(
                        number,
                        "title",
                        f"第{number}行有序号「{number_text}」，但没有填写任务名称",
                        "请补充任务名称，或删除该行",
                    )
            elif self.title_col is not None:
                self._problem(
                    number,
                    "title",
                    f"第{number}行没有序号和任务名称",
                    "请补充任务名称；如是上一项任务的续行，请将内容合并到上一行",
                )
                return
        if title and not lead and not support and (self.lead_col is not None or self.support_col is not None):
            self._problem(
                number,
                "lead_units",
                f"第{number}行「{title[:30]}」没有填写牵头单位",
                "请在牵头单位（责任单位）列填写该任务的单位",
            )
        elif title and not lead and support:
            self._problem(
                number,
                "lead_units",
                f"第{number}行「{title[:30]}」只有配合单位，没有牵头单位",
                "请填写牵头单位",
                "warning",
            )

        parent = None
        if _ARABIC_RE.match(number_text):
            self.last_top, self.last_paren = number_text, None
        elif _DOTTED_RE.match(number_text):
            parent = number_text.rsplit(".", 1)[0]
        elif _PAREN_RE.match(number_text):
            parent = self.last_top
            self.last_paren = number_text
        elif _CIRCLED_RE.match(number_text):
            parent = self.last_paren or self.last_top

        self.rows.append(
            ParsedRow(
                row=number,
                number=number_text,
                category=self.category,
                title=title,
                target=target,
                lead_units=lead,
                supporting_units=support,
                leader=leader,
                owner=owner,
                limit_text=limit_text,
                note=note,
                columns=self.columns,
                parent_number=parent,
            )
        )

    def _heading(self, row, nonempty, distinct, number_text, title, horizontal) -> str | None:
        """Category text when the row is a heading such as "一、项目招商", else None."""
        if len(distinct) == 1:
            text = clean_line(next(iter(distinct)))
            cols = [col for col, _ in nonempty]
            col = cols[0]
            if _HEADING_PREFIX_RE.match(text) and not _is_task_number(number_text):
                return self._intern(_heading_text(text))
            if horizontal and horizontal.get(col, col) > col:
                return self._intern(_heading_text(text))
            if len(cols) > 1:
                return self._intern(_heading_text(text))
            if col == self.number_col and not _is_task_number(number_text):
                return self._intern(_heading_text(text))
            if col == self.category_col:
                return self._intern(_heading_text(text))
            if self.title_col is not None and col < self.title_col and col != self.number_col:
                return self._intern(_heading_text(text))
            if col == self.title_col and self.number_col is not None and not number_text:
                self._problem(
                    row,
                    "title",
                    f"第{row}行只有「{text[:30]}」一项内容，已作为分类标题处理",
                    "如这是一项任务，请补充序号和牵头单位",
                    "warning",
                )
                return self._intern(_heading_text(text))
            return None
        if number_text and _is_heading_number(number_text) and title:
            others = [
                col for col, _ in nonempty if col not in (self.number_col, self.title_col, self.category_col)
            ]
            if not others:
                return self._intern(_heading_text(title))
        return None

    def _continue(self, origin, target, limit_text, note, lead, support, leader, owner) -> None:
        if target and target not in origin.target:
            origin.target = f"{origin.target}\n{target}" if origin.target else target
        if limit_text and limit_text not in origin.limit_text:
            origin.limit_text = f"{origin.limit_text}；{limit_text}" if origin.limit_text else limit_text
        if note and note not in origin.note:
            origin.note = f"{origin.note}\n{note}" if origin.note else note
        if lead or support:
            origin.lead_units = dedupe(origin.lead_units + lead)
            origin.supporting_units = dedupe(origin.supporting_units + support, origin.lead_units)
        origin.leader = origin.leader or leader
        origin.owner = origin.owner or owner

    def unit_convention(self) -> str:
        if self.lead_default == "lead":
            return "columns"
        if self.marked_multi and self.marked_multi >= self.unmarked_multi:
            return "marked"
        return "first_leads"
