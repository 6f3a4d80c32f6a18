"""What one numbered paragraph of an official document says: its responsibility trailer, time limits and title.

    “……2021年10月底前完成。（市科技局牵头，市财政局、郑东新区管委会配合）”
        trailer  → lead 市科技局; supporting 市财政局, 郑东新区管委会
        limits   → “2021年10月底前”
        title    → the first clause with a verb, at most 60 characters

Trailers come in full- or half-width parentheses at the end of the item, with the marks 牵头 / 负责 / 配合 /
参与 / 按职责分工负责, labels (“责任单位：…”, “牵头单位：…；配合单位：…”) or bare unit names (the first
listed leads). Groups such as “各区县（市）” or “市直各部门” and vague words such as “有关单位” are never
turned into units: they are returned separately so that the reader can ask a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tuijin.lib.spreadsheet_text import matching_open
from tuijin.lib.spreadsheet_units import dedupe, parse_units

__all__ = ["Trailer", "derive_title", "find_limits", "heading_title", "split_trailer", "read_trailer"]

_OPEN = "（("
_CLOSE = "）)"
_END_PUNCT = " \t\u3000。．.；;，,、！!"

# --- the trailer ---------------------------------------------------------------------------------------

_MARKS = ("牵头", "负责", "配合", "参与", "协助", "协办", "协同", "责任单位", "责任部门", "主责", "主办")
_NOT_TRAILER_RE = re.compile(
    r"^(?:含|包括|包含|以下简称|简称|即|如|例如|见|详见|指|其中|不含|暂定|试行|草案)"
)
_UNIT_SUFFIX_RE = re.compile(
    r"(?:局|委|办|厅|会|府|院|室|中心|公司|集团|部|署|队|站|所|社|行|处|科|组|区|县|市|团|校|馆|台|\)|）)$"
)
_LABEL_RE = re.compile(
    r"^(牵头单位|牵头部门|主责单位|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|协助单位)\s*[：:]\s*(.*)$"
)
_LABEL_ROLE = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "责任单位": "first", "责任部门": "first",
    "配合单位": "support", "配合部门": "support", "协办单位": "support", "参与单位": "support",
    "协助单位": "support",
}  # fmt: skip
_SUFFIX_RE = re.compile(
    r"^(.+?)(?:等单位|等部门|等)?(牵头负责|负责牵头|牵头落实|牵头|按职责分工负责|按职责分工落实|按照职责分工负责|"
    r"按职责负责|分别负责|共同负责|具体负责|负责落实|负责|配合落实|配合|参与|协助|协办|协同)$"
)
_AND_RE = re.compile(r"以及|及(?=各|市|区|县|有关|相关|省)")
# groups a person must resolve into concrete units, and words that name no unit at all
_VAGUE_RE = re.compile(r"^(?:各|其他|其它)?(?:有关|相关)?(?:单位|部门)$|^(?:各)?(?:有关|相关)|^其[他它]")
_GROUP_RE = re.compile(
    r"^(?:全市|市直|市级|省直|省级|区直|县直)?各|^(?:市直|市级|区直|县直)(?:有关|相关)?(?:各)?(?:部门|单位)|"
    r"成员单位$|各(?:区|县|开发区|部门|单位|乡镇|街道)"
)


@dataclass(slots=True)
class Trailer:
    text: str  # as written, with its parentheses
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # “各区县（市）”: a person has to choose the units
    vague: list[str] = field(default_factory=list)  # “有关单位”: names nothing
    limits: list[str] = field(default_factory=list)  # time limits written inside the trailer
    unread: list[str] = field(default_factory=list)  # clauses that are neither units nor a time limit


def split_trailer(text: str) -> tuple[str, str] | None:
    """(body, trailer) when the text ends in a parenthesised group, else None."""
    s = text.rstrip(_END_PUNCT)
    i = matching_open(s, _OPEN, _CLOSE)
    return None if i is None else (s[:i].rstrip(), s[i:])


def _clauses(inner: str) -> list[str]:
    out, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，,；;。":
            out.append(inner[start:i])
            start = i + 1
    out.append(inner[start:])
    return [c.strip() for c in out if c.strip()]


def _names(text: str) -> list[str]:
    items, _marked = parse_units(_AND_RE.sub("、", text))
    return [name for name, _role in items]


def looks_like_trailer(inner: str) -> bool:
    """Whether the text inside the final parentheses assigns responsibility (not “（含郑东新区）”)."""
    inner = inner.strip()
    if not inner or _NOT_TRAILER_RE.match(inner):
        return False
    if any(mark in inner for mark in _MARKS):
        return True
    names = _names(inner)
    return bool(names) and all(len(n) >= 3 and _UNIT_SUFFIX_RE.search(n) for n in names)


def read_trailer(trailer: str) -> Trailer | None:
    """The units of a responsibility trailer such as “（市科技局牵头，市财政局配合）”; None when the
    parentheses hold something else."""
    inner = trailer[1:-1].strip().rstrip(_END_PUNCT)
    if not looks_like_trailer(inner):
        return None
    out = Trailer(trailer)
    for clause in _clauses(inner):
        clause = clause.removeprefix("由").strip()
        label = _LABEL_RE.match(clause)
        role = None
        units = clause
        if label:
            role, units = _LABEL_ROLE[label.group(1)], label.group(2)
        else:
            suffix = _SUFFIX_RE.match(clause)
            if suffix:
                units = suffix.group(1)
                role = "support" if suffix.group(2).startswith(("配合", "参与", "协")) else "lead"
        limits = find_limits(units)
        if limits and not role:
            out.limits += limits
            continue
        names = _names(units)
        if not names:
            out.unread.append(clause)
            continue
        concrete = []
        for name in names:
            if _VAGUE_RE.search(name):
                out.vague.append(name)
            elif _GROUP_RE.search(name):
                out.groups.append(name)
            else:
                concrete.append(name)
        if role == "lead":
            out.lead += concrete
        elif role == "support":
            out.support += concrete
        elif concrete:  # bare names or “责任单位：” — the first listed leads
            if out.lead:
                out.support += concrete
            else:
                out.lead.append(concrete[0])
                out.support += concrete[1:]
    out.lead = dedupe(out.lead)
    out.support = dedupe(out.support, out.lead)
    return out


# --- time limits anywhere in the text ------------------------------------------------------------------

_D = "[0-9０-９]"
_CN = "一二三四五六七八九十〇零两"
_NUM = rf"(?:{_D}{{1,2}}|[{_CN}]{{1,3}})"
_YEAR = rf"(?:{_D}{{4}}|[{_CN}]{{4}}|[今本明次])年度?"
_BEFORE = r"(?:以前|之前|前)?"
_DAY = rf"{_NUM}[日号]"
_MONTH = rf"(?:{_YEAR})?{_NUM}月份?(?:{_DAY}|上旬|中旬|下旬|上中旬|中下旬|底|末)?"
_PHRASES = [
    rf"{_MONTH}(?:至|到|—|－|-|~|～){_MONTH}{_BEFORE}",
    rf"{_MONTH}{_BEFORE}",
    rf"(?:{_YEAR}|(?<![0-9０-９{_CN}半每全上下])年)(?:底|末|内|终|度内)(?:以前|之前|前)?",
    rf"(?:{_YEAR})?[上下]半年(?:底|末)?{_BEFORE}",
    rf"(?:{_YEAR})?第?[一二三四1-4１-４]季度(?:末|底)?{_BEFORE}",
    rf"每个?(?:月|季度?|周|年)(?:{_DAY})?{_BEFORE}",
    rf"{_NUM}个?工作日(?:以内|之内|内)",
    rf"{_NUM}个?(?:自然日|日|天)(?:以内|之内|内)",
    r"持续推进|长期坚持|长期推进|常态化推进|持续开展|长期开展|常态化开展|持续实施|全年",
    rf"{_D}{{4}}年(?=(?:全面|基本|如期|初步|力争)?(?:完成|建成|实现|投用|投入使用|投产|竣工|开工|启用|达到|落地))",
]
_PHRASE_RE = re.compile("|".join(f"(?:{p})" for p in _PHRASES))
_NOT_A_LIMIT_AFTER = ("起", "以来", "开始", "以后", "之后", "后")


def find_limits(text: str) -> list[str]:
    """The time-limit phrases in a text, in order, each once: “2021年10月底前”, “年底前”, “持续推进”."""
    out: list[str] = []
    for m in _PHRASE_RE.finditer(text):
        phrase = m.group()
        if text.startswith(_NOT_A_LIMIT_AFTER, m.end()) and not phrase.endswith("前"):
            continue  # “5月1日起施行”: a start, not a limit
        if phrase not in out:
            out.append(phrase)
    return out


# --- titles ----------------------------------------------------------------------------------------------

_VERBS = re.compile(
    "建设|建成|推进|推动|完成|实施|开展|加快|加强|引进|招引|引育|建立|健全|制定|出台|落实|打造|提升|优化|培育|设立|启动|"
    "编制|组织|举办|召开|实现|发展|创建|构建|搭建|完善|深化|扩大|新增|改造|整治|开工|竣工|投用|签约|落地|强化|谋划|申报|"
    "争创|争取|保障|筹备|办好|做好|抓好|支持|促进|提高|降低|解决|形成|探索|开发|引导|规范|整合|修订|评估|服务|招商|配租|"
    "入驻|征收|拆迁|迁建|清理|治理|盘活|供应|开通|通车|运营|投产|引入|聚集|集聚|壮大|拓展|突破|升级|改革|创新|上线|"
    "筹集|筹建|新建|续建|改建|扩建|建|修建|铺设|栽植|绿化|安置|交付|移交|验收|审批|办理|受理|报送|印发|发布|召集|对接"
)
_SENTENCE_END = re.compile(r"[。；;：:！!？?]")
_TITLE_MAX = 60


def derive_title(text: str) -> str:
    """The item's first clause that says what to do (up to “。” or a “，” after a verb), ≤ 60 characters."""
    text = text.strip()
    end = _SENTENCE_END.search(text)
    sentence = text[: end.start()] if end else text
    title = sentence
    for m in re.finditer(r"[，,]", sentence):
        clause = sentence[: m.start()]
        # a clause that says what to do, or one followed by its time limit (“…，6月底前完成”)
        if len(clause) >= 4 and (_VERBS.search(clause) or _PHRASE_RE.match(sentence, m.end())):
            title = clause
            break
    title = title.strip(" ，,、\u3000")
    if len(title) > _TITLE_MAX:
        cut = max(title.rfind("，", 0, _TITLE_MAX), title.rfind("、", 0, _TITLE_MAX))
        title = title[: cut if cut >= 20 else _TITLE_MAX].rstrip("，、")
    return title or text[:_TITLE_MAX]


def heading_title(text: str) -> str:
    """A section heading without its run-in text: “加快创新平台建设。围绕……” → “加快创新平台建设”."""
    text = text.strip()
    end = _SENTENCE_END.search(text)
    head = text[: end.start()] if end else text
    head = re.sub(r"[（(]\s*(?:共\s*)?\d+\s*[项个条件]\s*[）)]$", "", head)
    return head.strip(" ，,、\u3000")[:100] or text[:100]
