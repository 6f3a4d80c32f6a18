"""A Word document (.docx) as a sequence of blocks: paragraphs with their text and tables as grids of cell texts.

Every block gets an ordinal — one counter over body paragraphs and table rows in document order — so that the
rows read from paragraphs and from tables share one sortable, unique row number. Paragraphs also get the
number a reader counts (“第N段”: non-empty body paragraphs outside tables), and table rows their table and
row (“表N第R行”).

Tables become the same ``(row, values)`` stream and merged ranges the spreadsheet reader works on:
horizontally merged cells (``w:gridSpan``, legacy ``w:hMerge``) and vertically merged cells (``w:vMerge``)
become ranges ``(row0, col0, row1, col1)`` with rows as ordinals and columns 0-based. Numbers that Word
draws itself (automatic list numbering from numbering.xml) are rendered and put in front of the text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document
from docx.oxml.ns import qn

__all__ = ["Paragraph", "Table", "read_blocks"]

_P, _TBL, _TR, _TC, _R, _T = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r"), qn("w:t")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_VAL = qn("w:val")
_TEXT_TAGS = {
    qn("w:t"): None,
    qn("w:tab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
}
# run containers whose text is part of the paragraph (deleted and moved-away text is not)
_RUN_CONTAINERS = {
    qn("w:hyperlink"),
    qn("w:ins"),
    qn("w:smartTag"),
    qn("w:fldSimple"),
    qn("w:customXml"),
    qn("w:moveTo"),
    qn("w:sdt"),
    qn("w:sdtContent"),
    qn("w:bdo"),
    qn("w:dir"),
}


@dataclass(slots=True)
class Paragraph:
    ordinal: int
    number: int  # “第N段”: 1-based among non-empty body paragraphs
    text: str  # with Word's automatic number (if any) in front


@dataclass(slots=True)
class Table:
    index: int  # “表N”: 1-based among body tables
    rows: list[tuple[int, list[str]]]  # (ordinal, cell texts by grid column)
    merges: list[tuple[int, int, int, int]]
    width: int
    first_ordinal: int
    paragraphs_before: list[str] = field(default_factory=list)  # non-empty paragraphs since the last table


def _run_text(run, out: list[str]) -> None:
    for child in run:
        tag = child.tag
        if tag in _TEXT_TAGS:
            piece = _TEXT_TAGS[tag]
            out.append(child.text or "" if piece is None else piece)


def _paragraph_text(p) -> str:
    out: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                _run_text(child, out)
            elif tag in _RUN_CONTAINERS:
                walk(child)

    walk(p)
    return "".join(out)


def _cell_text(tc) -> str:
    lines = []
    for p in tc.iter(_P):
        text = _paragraph_text(p).strip()
        if text:
            lines.append(text)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# automatic numbering

_CN_DIGITS = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n <= 0 or n >= 100:
        return str(n)
    tens, units = divmod(n, 10)
    if not tens:
        return _CN_DIGITS[units]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[units] if units else "")


def _format(n: int, fmt: str) -> str:
    if fmt.startswith(("chineseCounting", "ideographDigital", "taiwaneseCounting", "japaneseCounting")):
        return _chinese(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return f"({n})"
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Renders Word's automatic list numbers (“一、”, “（一）”, “1.”) in document order."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for a in numbering.iterchildren(qn("w:abstractNum")):
            levels = {}
            for lvl in a.iterchildren(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    int(self._val(lvl, "w:start") or 1),
                    self._val(lvl, "w:numFmt") or "decimal",
                    self._val(lvl, "w:lvlText") or "",
                )
            abstract[a.get(qn("w:abstractNumId"))] = levels
        for num in numbering.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None or ref.get(_VAL) not in abstract:
                continue
            levels = dict(abstract[ref.get(_VAL)])
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    _s, fmt, text = levels[ilvl]
                    levels[ilvl] = (int(start.get(_VAL, "1")), fmt, text)
            self.levels[num.get(qn("w:numId"))] = levels
        try:
            styles = document.styles.element
        except (KeyError, AttributeError):
            return
        for style in styles.iterchildren(qn("w:style")):
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                num_id = num_pr.find(qn("w:numId"))
                ilvl = num_pr.find(qn("w:ilvl"))
                if num_id is not None:
                    self.style_num[style.get(qn("w:styleId"))] = (
                        num_id.get(_VAL),
                        int(ilvl.get(_VAL, "0")) if ilvl is not None else 0,
                    )

    @staticmethod
    def _val(element, tag: str) -> str | None:
        child = element.find(qn(tag))
        return None if child is None else child.get(_VAL)

    def label(self, p) -> str:
        if not self.levels:
            return ""
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            return ""
        num_id, ilvl = None, 0
        num_pr = ppr.find(qn("w:numPr"))
        if num_pr is not None:
            n = num_pr.find(qn("w:numId"))
            i = num_pr.find(qn("w:ilvl"))
            num_id = n.get(_VAL) if n is not None else None
            ilvl = int(i.get(_VAL, "0")) if i is not None else 0
        if num_id is None:
            style = ppr.find(qn("w:pStyle"))
            if style is None or style.get(_VAL) not in self.style_num:
                return ""
            num_id, ilvl = self.style_num[style.get(_VAL)]
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        _start, fmt, text = levels[ilvl]
        if fmt == "bullet" or not text:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        out = text
        for k in range(9):
            token = f"%{k + 1}"
            if token in out:
                value = counters.get(k, levels.get(k, (1, "decimal", ""))[0])
                out = out.replace(token, _format(value, levels.get(k, (1, "decimal", ""))[1]))
        return out


# --------------------------------------------------------------------------------------------------
# tables


def _tc_props(tc) -> tuple[int, str | None, str | None]:
    """(grid span, vMerge state, hMerge state); states are "restart", "continue" or None."""
    tcpr = tc.find(qn("w:tcPr"))
    if tcpr is None:
        return 1, None, None
    span_el = tcpr.find(qn("w:gridSpan"))
    span = max(1, int(span_el.get(_VAL, "1"))) if span_el is not None else 1
    states = []
    for tag in ("w:vMerge", "w:hMerge"):
        el = tcpr.find(qn(tag))
        states.append(None if el is None else (el.get(_VAL) or "continue"))
    return span, states[0], states[1]


def _cells(tr):
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML):  # cells wrapped in a content control
            inner = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if inner is not None:
                yield from _cells(inner)


def _grid_before(tr) -> int:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        return 0
    el = trpr.find(qn("w:gridBefore"))
    return int(el.get(_VAL, "0")) if el is not None else 0


def _read_table(tbl, index: int, next_ordinal: int) -> Table:
    rows: list[tuple[int, list[str]]] = []
    merges: list[tuple[int, int, int, int]] = []
    open_v: dict[int, list[int]] = {}  # col0 -> [row0, row1, col1]
    width = 0
    ordinal = next_ordinal
    for tr in tbl.iterchildren(_TR):
        col = _grid_before(tr)
        values = [""] * col
        continued: set[int] = set()
        h_start: int | None = None
        for tc in _cells(tr):
            span, v_state, h_state = _tc_props(tc)
            if h_state == "continue" and h_start is not None:  # legacy horizontal merge
                values.extend([""] * span)
                col += span
                last = (
                    merges[-1] if merges and merges[-1][0] == ordinal and merges[-1][1] == h_start else None
                )
                if last:
                    merges[-1] = (ordinal, h_start, ordinal, col - 1)
                else:
                    merges.append((ordinal, h_start, ordinal, col - 1))
                continue
            h_start = col
            if v_state == "continue" and col in open_v:
                open_v[col][1] = ordinal
                continued.add(col)
                values.extend([""] * span)
            else:
                if col in open_v:
                    r0, r1, c1 = open_v.pop(col)
                    if r1 > r0 or c1 > col:
                        merges.append((r0, col, r1, c1))
                text = _cell_text(tc)
                values.append(text)
                values.extend([""] * (span - 1))
                if v_state == "restart":
                    open_v[col] = [ordinal, ordinal, col + span - 1]
                    continued.add(col)
                elif span > 1:
                    merges.append((ordinal, col, ordinal, col + span - 1))
            col += span
        for c in [c for c in open_v if c not in continued]:
            r0, r1, c1 = open_v.pop(c)
            if r1 > r0 or c1 > c:
                merges.append((r0, c, r1, c1))
        width = max(width, len(values))
        rows.append((ordinal, values))
        ordinal += 1
    for c, (r0, r1, c1) in open_v.items():
        if r1 > r0 or c1 > c:
            merges.append((r0, c, r1, c1))
    return Table(index, rows, merges, width, next_ordinal)


# --------------------------------------------------------------------------------------------------
# the body in order


def _blocks(element):
    for child in element:
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)
        elif tag == _CUSTOM_XML:
            yield from _blocks(child)


def read_blocks(data: bytes) -> list[Paragraph | Table]:
    """The body of a .docx as paragraphs and tables in document order; raises for a broken file."""
    document = Document(io.BytesIO(data))
    numbering = _Numbering(document)
    out: list[Paragraph | Table] = []
    ordinal = 1
    paragraph_number = 0
    tables = 0
    since_table: list[str] = []
    for block in _blocks(document.element.body):
        if block.tag == _P:
            text = _paragraph_text(block)
            label = numbering.label(block)
            text = (label + text) if label and text.strip() else text
            if text.strip():
                paragraph_number += 1
                out.append(Paragraph(ordinal, paragraph_number, text))
                since_table.append(text.strip())
            ordinal += 1
        else:
            tables += 1
            table = _read_table(block, tables, ordinal)
            table.paragraphs_before = since_table
            since_table = []
            ordinal += max(1, len(table.rows))
            out.append(table)
    return out
