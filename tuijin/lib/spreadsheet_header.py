"""Finding the table header: column synonyms, header rows, two-level headers and the column mapping."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from tuijin.lib.spreadsheet_text import SPACES, WS_RE, clean_line, raw_text
from tuijin.lib.spreadsheet_types import FIELD_LABELS, FIELDS, Problem

__all__ = [
    "HEAD_SCAN_ROWS",
    "MAPPING_HINT",
    "Header",
    "apply_override",
    "detect_mapping",
    "locate_header",
    "row_header_score",
    "sheet_title",
]

MAPPING_HINT = "请在导入预览中为各列指定对应的字段（序号、重点任务、牵头单位等）后重新导入"
HEAD_SCAN_ROWS = 40
MAX_HEADER_ROWS = 3


def _header_key(text: str) -> str:
    """Normalised header for synonym matching: NFKC, no whitespace, no * required-markers."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s*＊:：]+", "", text)


# field -> {weight: "synonyms"}. The weight breaks ties between columns matching the same field; equal
# best scores in two columns mean the list is ambiguous and a person has to decide. A word ending in "!"
# only matches a header that is exactly that word (brackets aside), never as a part of a longer header.
_SYNONYMS: dict[str, dict[int, str]] = {
    "number": {2: "序号 编号 任务编号", 1: "序列号 NO! No! No.! #!"},
    "category": {2: "类别 分类 类型 任务类别 任务类型 项目类别 项目类型 所属类别", 1: "领域!"},
    "title": {
        2: "重点任务 工作任务 项目名称 任务名称 工作事项 重点工作 任务事项 事项名称 工作名称 督办事项",
        1: "重点项目 任务! 事项! 项目!",
        0: "名称!",
    },
    "target": {
        2: "具体目标 建设内容及目标 工作目标 目标任务 主要内容 建设内容",
        1: "工作内容 任务内容 具体内容 年度目标 主要目标 目标要求 工作措施 推进措施",
        0: "建设规模 目标! 内容!",
    },
    "lead_units": {
        2: "牵头单位 责任单位 主责单位 牵头部门 责任部门 牵头责任单位",
        1: "主办单位 承办单位 实施单位 责任主体",
        0: "牵头! 单位! 部门!",
    },
    "supporting_units": {
        2: "配合单位 协办单位 协同单位 配合部门 配合责任单位",
        1: "协助单位 参与单位 协办部门",
        0: "配合! 协办!",
    },
    "leader": {
        2: "责任领导 主管领导 分管领导 联系领导 牵头领导 包抓领导 分包领导 责任市领导",
        1: "市级领导",
        0: "领导!",
    },
    "owner": {2: "责任人 主要责任人 具体责任人 具体负责人", 1: "负责人", 0: "联系人 经办人"},
    "limit_text": {
        2: "完成时限 时间节点 进度安排 完成时间 时限要求 完成期限 办结时限",
        1: "时间要求 时间安排 节点要求 时限",
        0: "截止时间 截止日期 完成! 截止!",
    },
    "note": {2: "备注", 1: "备考 附注"},
}


def _synonym_keys() -> dict[str, tuple[tuple[str, int, bool], ...]]:
    out = {}
    for fld, by_weight in _SYNONYMS.items():
        out[fld] = tuple(
            (_header_key(word.rstrip("!")), weight, word.endswith("!"))
            for weight, words in by_weight.items()
            for word in words.split()
        )
    return out


_SYNONYM_KEYS = _synonym_keys()
# group headers above a sub-header row, and sub-header words that carry no field by themselves
_GROUP_WORDS = {
    "责任分工",
    "责任主体",
    "责任落实",
    "分工",
    "时间节点",
    "时间安排",
    "完成时限",
    "进度安排",
    "责任",
}
_SUB_WORDS = {
    "开始",
    "开始时间",
    "起始时间",
    "启动时间",
    "完成",
    "完成时间",
    "结束",
    "结束时间",
    "计划",
    "实际",
}
_START_WORDS = ("开始", "起始", "启动")
_QUALIFIER_RE = re.compile(r"\([^()]*\)|（[^（）]*）|名称$")
_MAX_HEADER_LEN = 20


def _match_field(key: str) -> tuple[str | None, tuple[int, int]]:
    """Best field for one normalised header text -> (field, (quality, weight))."""
    if not key or len(key) > _MAX_HEADER_LEN:
        return None, (0, 0)
    bare = _QUALIFIER_RE.sub("", key) or key
    best: tuple[str | None, tuple[int, int]] = (None, (0, 0))
    for fld, syns in _SYNONYM_KEYS.items():
        for syn, weight, exact_only in syns:
            if key == syn:
                quality = 4
            elif bare == syn:
                quality = 3
            elif exact_only:
                continue
            elif key.startswith(syn) or key.endswith(syn) or bare.startswith(syn) or bare.endswith(syn):
                quality = 2
            elif syn in key:
                quality = 1
            else:
                continue
            if (quality, weight) > best[1]:
                best = (fld, (quality, weight))
    return best


def row_header_score(values: list) -> float:
    fields: dict[str, int] = {}
    seen = set()
    for value in values:
        text = raw_text(value)
        if not text or text in seen:
            continue
        seen.add(text)
        fld, (quality, _) = _match_field(_header_key(text))
        if fld:
            fields[fld] = max(fields.get(fld, 0), quality)
    return sum(1.0 if q >= 2 else 0.5 for q in fields.values())


def _header_like(text: str) -> bool:
    key = _header_key(text)
    if key in _GROUP_WORDS or key in _SUB_WORDS:
        return True
    return _match_field(key)[0] is not None


def _is_subheader_row(values: list) -> bool:
    texts = {t for t in (raw_text(v).strip() for v in values) if t}
    return len(texts) >= 2 and all(_header_like(t) for t in texts)


@dataclass
class Header:
    """The header block: its first and last sheet rows and the header texts per column."""

    first: int
    last: int
    texts: dict[int, list[str]]  # col0 -> header texts top to bottom (distinct)


def locate_header(head: list[tuple[int, list]], merges) -> Header | None:
    """Find the header block (up to three rows joined by merged cells or sub-headers) in the first rows."""
    if not head:
        return None
    # horizontal + vertical fill inside the scanned area so a merged "责任分工" sits over each column
    by_row = {number: list(values) for number, values in head}
    last_row = head[-1][0]
    for r0, c0, r1, c1 in merges:
        if r0 > last_row or (r0 not in by_row):
            continue
        value = by_row[r0][c0] if c0 < len(by_row[r0]) else ""
        for r in range(r0, min(r1, last_row) + 1):
            row = by_row.get(r)
            if row is None:
                continue
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if not raw_text(row[c]):
                    row[c] = value
    scores = [row_header_score(by_row[number]) for number, _ in head]
    best = max(range(len(head)), key=lambda i: (scores[i], -i))
    if scores[best] < 2:
        return None
    numbers = [number for number, _ in head]
    first = last = best

    def connected(upper: int, lower: int) -> bool:
        a, b = numbers[upper], numbers[lower]
        return any(r0 <= a and r1 >= b for r0, _, r1, _ in merges)

    while last - first + 1 < MAX_HEADER_ROWS and last + 1 < len(head):
        if connected(last, last + 1) or _is_subheader_row(by_row[numbers[last + 1]]):
            last += 1
        else:
            break
    while last - first + 1 < MAX_HEADER_ROWS and first > 0:
        if connected(first - 1, first) or _is_subheader_row(by_row[numbers[first - 1]]):
            first -= 1
        else:
            break
    texts: dict[int, list[str]] = {}
    for i in range(first, last + 1):
        for col, value in enumerate(by_row[numbers[i]]):
            text = WS_RE.sub("", raw_text(value).translate(SPACES))
            if text:
                column = texts.setdefault(col, [])
                if not column or column[-1] != text:
                    column.append(text)
    return Header(numbers[first], numbers[last], texts)


def detect_mapping(header: Header) -> tuple[dict[str, int], list[Problem], dict[str, list[int]]]:
    """field -> col0 from the header texts; competing columns reported."""
    candidates: dict[str, list[tuple[tuple, int]]] = {}
    for col, texts in header.texts.items():
        lowest = texts[-1]
        fld, (quality, weight) = _match_field(_header_key(lowest))
        score = (1, quality, weight)
        if fld is None and len(texts) > 1 and not any(w in lowest for w in _START_WORDS):
            for upper in reversed(texts[:-1]):
                fld, (quality, weight) = _match_field(_header_key(upper))
                if fld:
                    score = (0, quality, weight)
                    break
        if fld == "limit_text" and any(w in lowest for w in _START_WORDS):
            continue
        if fld:
            candidates.setdefault(fld, []).append((score, col))
    mapping: dict[str, int] = {}
    competing: dict[str, list[int]] = {}
    for fld, cands in candidates.items():
        top = max(score for score, _ in cands)
        cols = sorted(col for score, col in cands if score == top)
        mapping[fld] = cols[0]
        if len(cols) > 1:
            competing[fld] = cols
    problems = []
    for fld, cols in competing.items():
        names = "、".join(f"{get_column_letter(c + 1)}列「{'/'.join(header.texts[c])}」" for c in cols)
        problems.append(
            Problem(
                header.last,
                get_column_letter(cols[0] + 1),
                fld,
                f"有{len(cols)}列都像是「{FIELD_LABELS[fld]}」：{names}，无法确定用哪一列",
                MAPPING_HINT,
            )
        )
    return mapping, problems, competing


def apply_override(
    detected: dict[str, int], override: dict[str, str], problems: list[Problem]
) -> dict[str, int]:
    mapping = dict(detected)
    chosen: dict[str, int] = {}
    for fld, letter in override.items():
        if fld not in FIELDS:
            problems.append(Problem(None, None, None, f"未知字段「{fld}」", MAPPING_HINT))
            continue
        mapping.pop(fld, None)
        if not letter:
            continue
        try:
            chosen[fld] = column_index_from_string(str(letter).strip().upper()) - 1
        except ValueError:
            problems.append(Problem(None, str(letter), fld, f"列号「{letter}」无效", MAPPING_HINT))
    taken = set(chosen.values())
    mapping = {f: c for f, c in mapping.items() if c not in taken}
    mapping.update(chosen)
    return mapping


def sheet_title(preamble: list[list]) -> str:
    for values in preamble:
        for value in values:
            text = clean_line(raw_text(value))
            if not text:
                continue
            if re.match(r"^附\s*件\s*\d*[:：]?$", text) or re.match(
                r"^(填报|报送|制表|单位|日期|时间|截至|截止)", text
            ):
                break
            if len(text) >= 4:
                return clean_line(re.sub(r"^附\s*件\s*\d*[:：\s]*", "", text))
            break
    return ""
