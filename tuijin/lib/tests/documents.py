"""Build official Word documents (.docx) with python-docx, laid out the ways task lists arrive.

Low level: :func:`docx_bytes` turns a list of blocks — a string is a paragraph, a :class:`DocTable` a table
with merged ranges — into .docx bytes. High level: :func:`notice` wraps blocks in a 通知 (banner, document
number, title, addressee, preamble, signature, 抄送/印发 lines), :func:`task_table` lays out tasks as the
spreadsheet builders do (:mod:`tuijin.lib.tests.sheets` layouts: merged 责任分工 header, category rows
merged across), and :func:`split_table` breaks one table into two as a page break does.

    data = notice(
        ["一、加快创新平台建设", "1.建设创新孵化基地，10月底前完成。（市科技局牵头，市财政局配合）"],
        attachment=task_table(["一、项目招商", {"number": 1, "title": "头部企业招商", "lead": "市商务局"}]),
    )
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from docx import Document
from openpyxl.utils.cell import range_boundaries

from tuijin.lib.tests.sheets import task_list_rows

NUMBER = "郑政办〔2021〕12号"
PLAN_TITLE = "2021年中原科技城建设重点工作任务分解方案"
NOTICE_TITLE = f"郑州市人民政府办公厅关于印发《{PLAN_TITLE}》的通知"


@dataclass
class DocTable:
    """A table: rows of cell texts (None = empty) and merged ranges (row0, col0, row1, col1), 0-based."""

    rows: list[list[str | None]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class Numbered:
    """A paragraph numbered by Word itself, not typed: the template's “List Number” style (1. 2. 3.), or with
    ``level`` a Chinese outline list defined in numbering.xml — 0: 一、 1: （一） 2: 1."""

    text: str
    level: int | None = None


_OUTLINE_NUM_ID = "90"
_OUTLINE_LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."))


def _add_outline_numbering(document) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(_OUTLINE_LEVELS)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{_OUTLINE_NUM_ID}"><w:abstractNumId w:val="90"/></w:num>')
    )


def _outline_paragraph(document, text: str, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = document.add_paragraph(text)
    num_pr = (
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{_OUTLINE_NUM_ID}"/></w:numPr>'
    )
    paragraph._p.get_or_add_pPr().insert(0, parse_xml(num_pr))


def docx_bytes(blocks: Iterable[str | DocTable | Numbered]) -> bytes:
    document = Document()
    blocks = list(blocks)
    if any(isinstance(b, Numbered) and b.level is not None for b in blocks):
        _add_outline_numbering(document)
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, Numbered) and block.level is not None:
            _outline_paragraph(document, block.text, block.level)
        elif isinstance(block, Numbered):
            document.add_paragraph(block.text, style="List Number")
        else:
            width = max(len(r) for r in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width)
            for r0, c0, r1, c1 in block.merges:
                table.cell(r0, c0).merge(table.cell(r1, c1))
            merged_away = {
                (r, c)
                for r0, c0, r1, c1 in block.merges
                for r in range(r0, r1 + 1)
                for c in range(c0, c1 + 1)
                if (r, c) != (r0, c0)
            }
            for r, values in enumerate(block.rows):
                for c, value in enumerate(values):
                    if value is not None and (r, c) not in merged_away:
                        table.cell(r, c).text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def task_table(tasks: Iterable[dict | str], *, layout: str = "two_level") -> DocTable:
    """Tasks as a Word table with the header of a :data:`sheets.LAYOUTS` layout, category rows merged across."""
    rows, ranges = task_list_rows(tasks, layout=layout, preamble=False, notes=False)
    merges = []
    for ref in ranges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        merges.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    width = max(len(r) for r in rows)
    cells = [[None if v is None else str(v) for v in r] + [None] * (width - len(r)) for r in rows]
    return DocTable(cells, merges)


def split_table(table: DocTable, at: int, *, header_rows: int = 0) -> tuple[DocTable, DocTable]:
    """Break a table before row ``at``; the second part repeats the first ``header_rows`` rows."""
    first = DocTable(table.rows[:at], [m for m in table.merges if m[2] < at])
    head = table.rows[:header_rows]
    shift = at - header_rows
    second = DocTable(
        head + table.rows[at:],
        [m for m in table.merges if m[2] < header_rows] + [
            (r0 - shift, c0, r1 - shift, c1) for r0, c0, r1, c1 in table.merges if r0 >= at
        ],
    )  # fmt: skip
    return first, second


def notice(
    body: Sequence[str | DocTable | Numbered] = (),
    *,
    attachment: Sequence[str | DocTable] | DocTable | None = None,
    number: str | None = NUMBER,
    title: str = NOTICE_TITLE,
    plan_title: str = PLAN_TITLE,
) -> bytes:
    """A 通知 that issues a plan: the plan's paragraphs in ``body``, a task table (or more) in ``attachment``."""
    blocks: list = ["郑州市人民政府办公厅文件"]
    if number:
        blocks.append(number)
    blocks += [
        title,
        "各区县（市）人民政府，市人民政府各部门，各有关单位：",
        f"现将《{plan_title}》印发给你们，请认真贯彻落实。",
        "附件：1.2021年中原科技城建设重点任务清单" if attachment is not None else "",
        "2.2021年中原科技城建设项目联系人名单" if attachment is not None else "",
        "郑州市人民政府办公厅",
        "2021年2月26日",
        "（此件公开发布）",
        plan_title,
        "为加快推进中原科技城建设，确保年度目标任务落到实处，制定本方案。",
    ]
    blocks += list(body)
    if attachment is not None:
        blocks += ["附件1", "2021年中原科技城建设重点任务清单"]
        blocks += [attachment] if isinstance(attachment, DocTable) else list(attachment)
    blocks += [
        "抄送：市委各部门，市人大常委会办公厅，市政协办公厅。",
        "郑州市人民政府办公厅 2021年2月26日印发",
    ]
    return docx_bytes([b for b in blocks if b != ""])


# The same list as paragraphs (with trailers) and as a spreadsheet: what both must yield.
PARAGRAPH_PLAN = [
    "一、总体要求",
    "（一）指导思想。坚持以习近平新时代中国特色社会主义思想为指导，全面落实市委决策部署。",
    "（二）工作目标。到2021年底，中原科技城建设取得显著进展。",
    "二、重点任务",
    "（一）加快创新平台建设",
    "1.建设中原科技城创新孵化基地，2021年10月底前完成主体工程，年底前投入使用。（市科技局牵头，市财政局、郑东新区管委会配合）",
    "2.引进大院名所研究机构，力争年底前新引进5家。（市科技局负责）",
    "（二）推进人才安居工程",
    "3.筹集人才公寓，6月底前完成配租。（责任单位：市住房保障局、市人社局）",
    "（1）完善人才公寓配租办法，3月底前出台。",
    "（2）建立人才公寓线上申请平台，9月上旬上线。（市大数据局负责）",
    "4.持续推进拎包入住服务。（郑东新区管委会牵头，市住房保障局配合）",
    "三、保障措施",
    "（一）加强组织领导。各责任单位要高度重视，主要负责同志亲自抓。",
    "（二）强化督查考核。市委督查局每月通报进展。",
]
# number, title, lead, supporting, limit_text, parent, category
PARAGRAPH_EXPECTED = [
    ("1", "建设中原科技城创新孵化基地", ["市科技局"], ["市财政局", "郑东新区管委会"], "2021年10月底前，年底前", None, "加快创新平台建设"),
    ("2", "引进大院名所研究机构", ["市科技局"], [], "年底前", None, "加快创新平台建设"),
    ("3", "筹集人才公寓", ["市住房保障局"], ["市人社局"], "6月底前", None, "推进人才安居工程"),
    ("(1)", "完善人才公寓配租办法", ["市住房保障局"], ["市人社局"], "3月底前", "3", "推进人才安居工程"),
    ("(2)", "建立人才公寓线上申请平台", ["市大数据局"], [], "9月上旬", "3", "推进人才安居工程"),
    ("4", "持续推进拎包入住服务", ["郑东新区管委会"], ["市住房保障局"], "持续推进", None, "推进人才安居工程"),
]  # fmt: skip
PARAGRAPH_UNITS = ["市科技局", "市财政局", "郑东新区管委会", "市住房保障局", "市人社局", "市大数据局"]


def expected_as_sheet_tasks() -> list[dict | str]:
    """PARAGRAPH_EXPECTED as tasks for :func:`sheets.task_list` (layout "simple"), category rows included."""
    tasks: list[dict | str] = []
    category = None
    for number, title, lead, supporting, limit, _parent, cat in PARAGRAPH_EXPECTED:
        if cat != category:
            tasks.append(f"（{'一二三'[len([t for t in tasks if isinstance(t, str)])]}）{cat}")
            category = cat
        tasks.append(
            {"number": number, "title": title, "lead": lead, "supporting": supporting, "limit": limit}
        )
    return tasks
