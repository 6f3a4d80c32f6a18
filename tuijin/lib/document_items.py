"""Tasks written as numbered paragraphs with responsibility trailers, as official documents write them.

    一、强化创新驱动                                   ← a category (no trailer of its own)
    （一）建设创新孵化基地。……（市科技局牵头）        ← a task; its sub-items are child tasks
    1.完成主体工程，6月底前完成。                    ← child task: the units of its parent
    2.……年底前投入使用。（市财政局负责）             ← child task with units of its own
    三、保障措施 （一）加强组织领导。……              ← prose without any trailer: skipped

Items are numbered 一、 / （一） / 1. or 1、 / （1） / ① (and 第一部分 above them); the numbering style
gives the level, so an item's sub-items are the following items of deeper levels. What counts:

- an item with a readable trailer is a task; its sub-items are its child tasks and share its units unless
  they carry trailers of their own (and its time limit unless they name one);
- an item without a trailer whose sub-items hold trailers is a category heading;
- an item without a trailer anywhere below it, among siblings that are tasks or inside a section that holds
  tasks, is a problem: its responsibility cannot be read. Whole sections without any trailer (总体要求,
  保障措施, the notice's own paragraphs) are prose and skipped.

The responsibility may also be written as labelled lines under the item (“牵头单位：…”, “配合单位：…”, with
“完成时限：…” and “责任领导：…”) or after its last sentence (“……。责任单位：市发展改革委”).

Paragraphs starting with 附件, the 抄送/印发 lines and the notice title end a list: numbering restarts after
them. Other unnumbered paragraphs are skipped, except those that complete the previous item (its trailer or
labelled lines); one that ends in a trailer of its own is reported, since it looks like a task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tuijin.lib.document_body import Paragraph
from tuijin.lib.document_trailer import (
    Trailer,
    derive_title,
    find_limits,
    heading_title,
    read_trailer,
    split_trailer,
)
from tuijin.lib.spreadsheet_types import ParsedRow, Problem

__all__ = ["read_items"]

_CN = "一二三四五六七八九十百"
_DIGITS = str.maketrans("０１２３４５６７８９（）．", "0123456789().")
# (level, pattern); the number is group 1
_NUMBERING = [
    (0.0, re.compile(rf"^第([{_CN}\d]+)(?:部分|章|篇)[、，,.：:\s]*")),
    (1.0, re.compile(rf"^([{_CN}]+)\s*[、.](?!\d)\s*")),
    (2.0, re.compile(rf"^\(\s*([{_CN}]+)\s*\)\s*[、.]?\s*")),
    (3.0, re.compile(r"^(\d{1,4}(?:\.\d{1,3})*)\s*(?:\.(?!\d)|、)\s*")),
    (3.0, re.compile(r"^(\d{1,4}(?:\.\d{1,3})+)\s+")),
    (4.0, re.compile(r"^\(\s*(\d{1,4})\s*\)\s*[、.]?\s*")),
    (4.0, re.compile("^([\u2474-\u2487])\\s*")),
    (5.0, re.compile("^([\u2460-\u2473])\\s*")),
]
_BREAK_RE = re.compile(
    r"^(?:附\s*件|抄\s*送|抄\s*报|主\s*送|发\s*送)|印发$|^关于.{2,}的(?:通知|意见|决定|通报|函)$|"
    r"[〔\[［【]\s*\d{4}\s*[〕\]］】]\s*\d+\s*号$"
)
_ATTACHMENT_LIST_RE = re.compile(r"^附\s*件\s*[:：]\s*\S")
_PROSE_RE = re.compile(
    "总体要求|指导思想|基本原则|工作目标|主要目标|保障措施|组织保障|工作要求|组织领导|加强领导|督促检查|督查督办|"
    "考核|宣传引导|工作机制|实施步骤|工作步骤|进度安排|工作安排|有关要求|其他事项"
)
_QUOTE_MAX = 300
# responsibility, time limit and leader written as labelled lines under the item, or after its last sentence
_UNIT_LABEL = r"(?:牵头单位|牵头部门|主责单位|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|协助单位)"
_UNIT_LINE_RE = re.compile(rf"^{_UNIT_LABEL}\s*[:：]\s*\S")
_INLINE_UNITS_RE = re.compile(rf"[。；;]\s*({_UNIT_LABEL}\s*[:：].+?)[。；;\s]*$")
_LIMIT_LINE_RE = re.compile(
    r"^(?:完成时限|时间节点|完成时间|时限要求|进度安排|时间要求)\s*[:：]\s*(.+?)[。；;\s]*$"
)
_LEADER_LINE_RE = re.compile(
    r"^(?:责任领导|牵头领导|分管领导|主管领导|联系领导|责任市领导)\s*[:：]\s*(.+?)[。；;\s]*$"
)


@dataclass(eq=False)
class _Item:
    para: Paragraph
    level: float
    number: str
    body: str
    segment: int
    parent: _Item | None = None
    children: list[_Item] = field(default_factory=list)
    main: str = ""  # the body without its trailer
    trailer: Trailer | None = None
    has_trailer: bool = False  # a parenthesised group that is a trailer (readable or not)
    below: bool = False  # this item or one below it has a trailer
    lines: list[str] = field(default_factory=list)  # labelled lines under it: 牵头单位：… 完成时限：…
    unit_lines: list[str] = field(default_factory=list)
    limit: str = ""  # from a “完成时限：” line: taken as written
    leader: str = ""

    @property
    def where(self) -> str:
        return f"第{self.para.number}段"

    @property
    def quote(self) -> str:
        text = self.para.text.strip()
        return text if len(text) <= _QUOTE_MAX else text[:_QUOTE_MAX] + "…"


@dataclass(eq=False)
class _Task:
    item: _Item
    parent: _Task | None
    chain: list[str]  # numbers of the category headings above, nearest first
    category: str
    lead: list[str]
    support: list[str]
    limits: list[str]
    leader: str = ""
    number: str = ""


def _numbered(text: str) -> tuple[float, str, str] | None:
    """(level, number, text after the number) of a numbered paragraph, else None."""
    text = text.strip(" \t\u3000\xa0")
    s = text.translate(_DIGITS)  # one character for one: positions in s are positions in text
    for level, rx in _NUMBERING:
        m = rx.match(s)
        if m and m.end() < len(s):
            number = m.group(1)
            if level == 3.0 and "." in number:
                level += 0.1 * number.count(".")
            if level == 4.0 and "\u2474" <= number <= "\u2487":
                number = str(ord(number) - 0x2474 + 1)
            if level in (2.0, 4.0):
                number = f"({number})"
            return level, number, text[m.end() :].strip()
    return None


def _parse(item: _Item) -> None:
    item.main, item.trailer, item.has_trailer = item.body, None, False
    split = split_trailer(item.body)
    trailer = read_trailer(split[1]) if split else None
    if trailer is not None:
        item.main = split[0]
    elif inline := _INLINE_UNITS_RE.search(item.body):  # “……。责任单位：市发展改革委”
        trailer = read_trailer(f"（{inline.group(1)}）")
        if trailer is not None:
            item.main = item.body[: inline.start() + 1]
    if trailer is None and item.unit_lines:
        trailer = read_trailer(f"（{'；'.join(item.unit_lines)}）")
    if trailer is not None:
        item.main, item.trailer, item.has_trailer = item.main.rstrip(" 。；;，,"), trailer, True


def _attach_line(item: _Item, text: str) -> bool:
    """Whether ``text`` is a labelled line of the item (牵头单位：… 完成时限：… 责任领导：…), now attached."""
    if _UNIT_LINE_RE.match(text):
        item.unit_lines.append(text.rstrip("。；; "))
    elif limit := _LIMIT_LINE_RE.match(text):
        item.limit = limit.group(1)
    elif leader := _LEADER_LINE_RE.match(text):
        item.leader = leader.group(1)
    else:
        return False
    item.lines.append(text)
    _parse(item)
    return True


def _tree(paragraphs: list[Paragraph], problems: list[Problem]) -> list[_Item]:
    roots: list[_Item] = []
    stack: list[_Item] = []
    segment = 0
    last: _Item | None = None
    attachment_list = False
    for para in paragraphs:
        text = para.text.strip()
        found = _numbered(text)
        if found is None:
            attachment_list = bool(_ATTACHMENT_LIST_RE.match(text))
            if _BREAK_RE.search(text):
                stack, last, segment = [], None, segment + 1
                continue
            if last is not None and _attach_line(last, text):
                continue
            split = split_trailer(text)
            if not split or read_trailer(split[1]) is None:
                continue
            if last is not None and not last.has_trailer:  # the item's trailer in a paragraph of its own
                last.body = f"{last.body}\n{text}"
                _parse(last)
            else:
                where = f"第{para.number}段"
                problems.append(Problem(
                    para.ordinal, None, "number", f"{where}结尾写有责任分工，但没有编号，未作为任务导入",
                    "如这是一项任务，请为它编号（如“5.”）后重新导入", "warning", where, text[:_QUOTE_MAX],
                ))  # fmt: skip
            continue
        level, number, body = found
        if attachment_list and not split_trailer(body):
            continue  # “附件：1.…” followed by “2.…”: the notice's list of attachments
        attachment_list = False
        item = _Item(para, level, number, body, segment)
        _parse(item)
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack:
            item.parent = stack[-1]
            stack[-1].children.append(item)
        else:
            roots.append(item)
        stack.append(item)
        last = item
    return roots


def _mark_below(item: _Item) -> bool:
    below = item.has_trailer
    for child in item.children:
        below = _mark_below(child) or below
    item.below = below
    return below


def _units_problems(item: _Item, trailer: Trailer, problems: list[Problem]) -> None:
    def add(message: str, hint: str, level: str = "error") -> None:
        problems.append(
            Problem(item.para.ordinal, None, "lead_units", message, hint, level, item.where, item.quote)
        )

    where = item.where
    if not trailer.lead:
        if trailer.groups:
            names = "、".join(trailer.groups)
            add(
                f"{where}的责任单位“{names}”是一组单位，需要选择具体的单位",
                "请在文件中写明具体的牵头单位（如“金水区政府、二七区政府”）后重新导入",
            )
        elif trailer.vague:
            add(
                f"{where}的责任分工{trailer.text}没有指明具体单位，无法读取",
                "请在文件中写明牵头单位（如“市科技局牵头”）后重新导入",
            )
        elif trailer.support:
            add(f"{where}只有配合单位，没有牵头单位", "请写明牵头单位", "warning")
        else:
            add(f"{where}的责任分工{trailer.text}无法读取", "请按“（市科技局牵头，市财政局配合）”的格式写明")
        return
    if trailer.groups or trailer.vague:
        names = "、".join(trailer.groups + trailer.vague)
        add(
            f"{where}的“{names}”不是具体单位，未导入",
            "导入后请在任务中补充具体单位，或在文件中写明具体单位后重新导入",
            "warning",
        )
    if trailer.unread:
        add(f"{where}未能识别责任分工中的“{'，'.join(trailer.unread)}”", "请核对该项的责任单位", "warning")


def _problem_without_trailer(item: _Item, problems: list[Problem]) -> None:
    if item.children:
        message = f"{item.where}“{heading_title(item.main)[:30]}”及其各子项都没有写明责任单位"
    else:
        message = f"{item.where}没有写明责任单位，或结尾括号中的责任分工无法读取"
    problems.append(
        Problem(
            item.para.ordinal,
            None,
            "lead_units",
            message,
            "请在该项结尾用括号写明责任分工，如“（市科技局牵头，市财政局配合）”",
            "error",
            item.where,
            item.quote,
        )
    )


def _collect(roots: list[_Item], problems: list[Problem]) -> list[_Task]:
    tasks: list[_Task] = []

    def visit(item: _Item, parent: _Task | None, chain: list[str], category: str, in_list: bool) -> None:
        if item.has_trailer:
            trailer = item.trailer
            _units_problems(item, trailer, problems)
            lead, support = list(trailer.lead), list(trailer.support)
            if not lead and not support and parent is not None:
                lead, support = list(parent.lead), list(parent.support)
            limits = find_limits(item.main) + trailer.limits
        elif parent is not None:
            lead, support = list(parent.lead), list(parent.support)
            limits = find_limits(item.main)
        elif item.below:
            # a heading over tasks: every item under it must be a task (or lead to tasks)
            title = heading_title(item.main)
            for child in item.children:
                visit(child, None, [item.number, *chain], title, True)
            return
        else:
            if in_list and not _PROSE_RE.search(heading_title(item.main)):
                _problem_without_trailer(item, problems)
            return
        if item.limit:  # a “完成时限：” line says it all
            limits = [item.limit]
        if not limits and parent is not None:
            limits = list(parent.limits)
        leader = item.leader or (parent.leader if parent else "")
        task = _Task(item, parent, chain, category, lead, support, list(dict.fromkeys(limits)), leader)
        tasks.append(task)
        for child in item.children:
            visit(child, task, chain, category, True)

    segments: dict[int, list[_Item]] = {}
    for root in roots:
        segments.setdefault(root.segment, []).append(root)
    for items in segments.values():
        flat = any(root.has_trailer for root in items)  # the roots themselves are the tasks
        for root in items:
            _mark_below(root)
            visit(root, None, [], "", flat)
    return tasks


def _assign_numbers(tasks: list[_Task]) -> None:
    """Own numbers (“1”, “(一)”); when numbering restarts under each heading, the headings' numbers in front
    (“(二)1”, “二(一)1”), as few as make every top-level number unique."""
    top = [t for t in tasks if t.parent is None]
    depth = max((len(t.chain) for t in top), default=0)
    best_k, best_dupes = 0, None
    for k in range(depth + 1):
        numbers = ["".join(reversed(t.chain[:k])) + t.item.number for t in top]
        dupes = len(numbers) - len(set(numbers))
        if best_dupes is None or dupes < best_dupes:
            best_k, best_dupes = k, dupes
        if not dupes:
            break
    for t in tasks:
        if t.parent is None:
            t.number = "".join(reversed(t.chain[:best_k])) + t.item.number
        else:
            t.number = t.item.number


_NO_COLUMNS: dict[str, str] = {}


def read_items(paragraphs: list[Paragraph]) -> tuple[list[ParsedRow], list[Problem]]:
    """Task rows (row = the paragraph's ordinal) and problems from the numbered paragraphs of a document."""
    problems: list[Problem] = []
    tasks = _collect(_tree(paragraphs, problems), problems)
    _assign_numbers(tasks)
    rows = []
    for t in tasks:
        item = t.item
        rows.append(
            ParsedRow(
                row=item.para.ordinal,
                number=t.number[:40],
                category=t.category,
                title=derive_title(item.main),
                target="\n".join([item.body, *item.lines]),
                lead_units=t.lead,
                supporting_units=t.support,
                leader=t.leader[:100],
                owner="",
                limit_text="，".join(t.limits),
                note="",
                columns=_NO_COLUMNS,
                parent_number=t.parent.number if t.parent else None,
                where=item.where,
            )
        )
    return rows, problems
