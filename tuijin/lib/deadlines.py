"""Parse the free-text time limits of task lists (完成时限 / 进度安排) into dates.

``parse_limit("6月底前完成管廊主体；年底前全部完工", 2021)`` gives two milestones (2021-06-30, 2021-12-31) and
the deadline 2021-12-31. The original text is always kept; whatever is not clear is flagged ``ambiguous``
with a Chinese message for the person checking the import.

How it works: the text is normalised (NFKC, so full-width digits and punctuation become half-width; Chinese
numerals become Arabic digits; spaces dropped) while remembering where each character came from. The
normalised text is then scanned left to right; at every position the atom patterns below are tried in order
and the first that matches is taken. Each atom is a dated node, a cadence, a relative limit or a
"continuing" marker. Text between atoms is checked for vague words (尽快) and for date-like leftovers.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Cadence", "Milestone", "ParsedLimit", "chinese_to_int", "parse_limit"]


@dataclass(frozen=True)
class Milestone:
    date: datetime.date
    text: str  # fragment of the original text this node came from, e.g. "6月底前完成管廊主体"


@dataclass(frozen=True)
class Cadence:
    period: str  # "weekly" | "monthly" | "quarterly" | "yearly"
    day: int | None  # weekly: 1 = Monday … 7 = Sunday; monthly: day of month, 31 = month end; else None


@dataclass(frozen=True)
class ParsedLimit:
    text: str
    kind: str  # "date" | "milestones" | "cadence" | "continuing" | "relative" | "empty" | "unknown"
    deadline: datetime.date | None
    milestones: tuple[Milestone, ...]
    cadence: Cadence | None
    relative_workdays: int | None
    relative_days: int | None
    ambiguous: bool
    message: str


# --- normalisation ------------------------------------------------------------------------------------

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_RUN = re.compile("[〇零一二两三四五六七八九十百]+")
_CN_POSITIONAL = re.compile(r"(?:(?P<hundreds>\d)百)?0?(?:(?P<tens>\d)?(?P<ten>十))?(?P<units>\d)?")
_LINE_BREAKS = "\n\r\u2028\u2029\x85\x0b\x0c"


def chinese_to_int(run: str) -> int | None:
    """ "二十八" -> 28, "十" -> 10, "二〇二一" -> 2021, "一百零五" -> 105; None when not a number."""
    mapped = "".join(str(_CN_DIGITS[c]) if c in _CN_DIGITS else c for c in run)
    if mapped.isdigit():
        return int(mapped)
    m = _CN_POSITIONAL.fullmatch(mapped)
    if not m or not mapped:
        return None
    tens = int(m["tens"] or 1) if m["ten"] else 0
    return int(m["hundreds"] or 0) * 100 + tens * 10 + int(m["units"] or 0)


def _normalize(text: str) -> tuple[str, list[int]]:
    """Return the normalised text and, for each of its characters, the index in ``text`` it came from
    (plus a final entry ``len(text)``)."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            chars.append("\n" if c in _LINE_BREAKS else " " if c.isspace() else c)
            origin.append(i)
    # Spaces go, except one between two digits ("2021-09-30 00:00" must not become "...3000:00").
    kept = [
        k
        for k, c in enumerate(chars)
        if c != " " or (0 < k < len(chars) - 1 and chars[k - 1].isdigit() and chars[k + 1].isdigit())
    ]
    flat = "".join(chars[k] for k in kept)
    origin = [origin[k] for k in kept]
    out: list[str] = []
    out_origin: list[int] = []
    pos = 0
    for m in _CN_RUN.finditer(flat):
        out.extend(flat[pos : m.start()])
        out_origin.extend(origin[pos : m.start()])
        value = chinese_to_int(m.group())
        if value is None:
            out.extend(m.group())
            out_origin.extend(origin[m.start() : m.end()])
        else:
            out.extend(str(value))
            out_origin.extend([origin[m.start()]] * len(str(value)))
        pos = m.end()
    out.extend(flat[pos:])
    out_origin.extend(origin[pos:])
    out_origin.append(len(text))
    return "".join(out), out_origin


# --- atoms ----------------------------------------------------------------------------------------------

_YEAR = r"(?:(?P<y>(?<!\d)\d{4})年度?|(?P<ry>[今本当明次])年度?)"
_EVERY = r"(?:每个?|按|逐)"
_ATOMS = [
    ("weekly", _EVERY + r"(?:周|星期)(?:(?:星期|周)?(?P<wd>[1-7日天])(?![\d次个]))?"),
    ("monthly", _EVERY + r"月(?:(?P<md>\d{1,2})(?:日|号)|(?P<mend>底|末))?"),
    ("quarterly", _EVERY + r"季度?(?:末|底)?"),
    ("yearly", r"每年度?"),
    ("workdays", r"(?<!\d)(?P<n>\d+)个?工作日(?:以内|之内|内)?"),
    ("days", r"(?<!\d)(?P<n>\d+)个?(?:自然日|日|天)(?:以内|之内|内)"),
    ("full_date", _YEAR + r"?(?<!\d)(?P<m>\d{1,2})月(?P<d>\d{1,2})(?:日|号)?(?!\d)"),
    ("sep_date", r"(?<!\d)(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    ("sep_month", r"(?<!\d)(?P<y>\d{4})[./-](?P<m>\d{1,2})(?!\d|[./-]\d)"),
    (
        "month",
        _YEAR + r"?(?<!\d)(?P<m>\d{1,2})月份?(?P<part>上中旬|中下旬|上旬|中旬|下旬|底|末|初|中)?"
        r"(?:(?P<before>以前|之前|前)|(?P<after>以后|之后|后))?",
    ),
    ("quarter", _YEAR + r"?(?:第|前)?(?<!\d)(?P<q>\d)季度?(?:末|底)?"),
    (
        "quarter",
        r"(?:(?P<y>(?<!\d)\d{4})(?:年度?)?|(?P<ry>[今本当明次])年度?)?(?<![A-Za-z])[Qq](?P<q>\d)(?!\d)",
    ),
    ("half", _YEAR + r"?(?P<h>上|下)半年"),
    ("year", _YEAR + r"(?:年?(?:底|末|内|终))?"),
    ("year", r"(?<![\d半每年全上下今本当明次])年(?:底|末|内|终|度内)|全年"),
    ("continuing", r"持续推进|长期坚持|长期推进|长期|持续|常态化|长效|常年"),
]
_ATOMS = [(name, re.compile(pattern)) for name, pattern in _ATOMS]
_DATED = {"full_date", "sep_date", "sep_month", "month", "quarter", "half", "year"}
_PERIODS = {"weekly": "每周", "monthly": "每月", "quarterly": "每季度", "yearly": "每年"}
_PART_DAY = {"上旬": 10, "中旬": 20, "上中旬": 20}  # anything else (下旬, 底, 末, none) = month end

_SEPARATORS = re.compile(r"[,;。、\n]")
_STRIP = " \t\r\n\u3000，,；;。、：:"
_RANGE_GAPS = re.compile(r"[-~—–―至到]+")
_VAGUE = re.compile(
    r"尽快|尽早|抓紧|及时|适时|择机|视情况?|根据情况|根据需要|按需|近期|待定|另行|随时|立即|马上|限期"
)
_DATE_LIKE = re.compile(r"\d+个?(?:年|月|日|号|季|旬|周|天|星期)|[上中下]旬|[上下]半|季度|[Qq]\d")
_EXAMPLE = "请填写如“6月底前”或“{y}年9月30日”"


@dataclass
class _Atom:
    kind: str
    match: re.Match
    date: datetime.date | None = None
    error: str = ""  # why this atom could not be used
    note: str = ""  # used, but a person should confirm
    value: object = None  # Cadence, or day count for relative atoms


def _scan(s: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    pos = 0
    while pos < len(s):
        for name, rx in _ATOMS:
            m = rx.match(s, pos)
            if m and m.end() > pos:
                atoms.append(_Atom(name, m))
                pos = m.end()
                break
        else:
            pos += 1
    return atoms


def _make_date(year: int, month: int, day: int | None, plan_year: int, shown: str) -> tuple:
    """Return (date, error). ``day`` None means the last day of the month."""
    if not 1 <= month <= 12:
        return None, f"“{shown}”中的月份{month}不存在，请填写1至12月"
    if year < plan_year:
        return None, f"“{shown}”早于计划年度{plan_year}年，请核对年份"
    if year > plan_year + 5:
        return None, f"“{shown}”中的年份{year}距计划年度{plan_year}年过远，请核对年份"
    try:
        if day is None:
            day = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, day), ""
    except (ValueError, OverflowError):
        return None, f"“{shown}”不是有效日期（{year}年{month}月没有{day}日），请核对日期"


def _interpret(atom: _Atom, plan_year: int, shown: str) -> None:
    g = atom.match.groupdict()
    year = plan_year
    if g.get("y"):
        year = int(g["y"])
    elif g.get("ry"):
        year = plan_year + (1 if g["ry"] in "明次" else 0)
    kind = atom.kind
    if kind == "weekly":
        day = None if not g["wd"] else 7 if g["wd"] in "日天" else int(g["wd"])
        atom.value = Cadence("weekly", day)
    elif kind == "monthly":
        day = int(g["md"]) if g["md"] else (31 if g["mend"] else None)
        if day is not None and not 1 <= day <= 31:
            atom.error = f"“{shown}”不是有效日期，请填写如“每月25日前”"
        atom.value = Cadence("monthly", day)
    elif kind in ("quarterly", "yearly"):
        atom.value = Cadence(kind, None)
    elif kind in ("workdays", "days"):
        atom.value = int(g["n"]) if len(g["n"]) < 6 else None
        if not atom.value:
            atom.error = f"“{shown}”中的天数不合理，请核对"
    elif kind in ("full_date", "sep_date"):
        atom.date, atom.error = _make_date(year, int(g["m"]), int(g["d"]), plan_year, shown)
    elif kind == "sep_month":
        atom.date, atom.error = _make_date(year, int(g["m"]), None, plan_year, shown)
    elif kind == "month":
        month = int(g["m"])
        if g["part"] in ("初", "中") or g["after"]:
            atom.error = f"“{shown}”没有明确的截止日期，请写明如“{month}月10日前”或“{month}月上旬”"
            return
        atom.date, atom.error = _make_date(year, month, _PART_DAY.get(g["part"]), plan_year, shown)
        if atom.date and g["before"] and not g["part"]:
            atom.note = (
                f"“{shown}”可理解为{month}月1日前或{month}月底前，已按{atom.date.isoformat()}处理，请确认"
            )
    elif kind == "quarter":
        quarter = int(g["q"])
        if not 1 <= quarter <= 4:
            atom.error = f"“{shown}”中的季度{quarter}不存在，请填写一季度至四季度"
            return
        atom.date, atom.error = _make_date(year, quarter * 3, None, plan_year, shown)
    elif kind == "half":
        atom.date, atom.error = _make_date(year, 6 if g["h"] == "上" else 12, None, plan_year, shown)
    elif kind == "year":
        atom.date, atom.error = _make_date(year, 12, None, plan_year, shown)


def _fragments(s: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _SEPARATORS.finditer(s):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(s)))
    return bounds


def parse_limit(text: str, year: int) -> ParsedLimit:
    """Parse one time-limit cell for a plan of year ``year``. Never raises for any string."""
    if not text.strip():
        return ParsedLimit(text, "empty", None, (), None, None, None, False, "")
    s, origin = _normalize(text)

    def original(start: int, end: int) -> str:
        return text[origin[start] : origin[end]].strip(_STRIP)

    atoms = _scan(s)
    for atom in atoms:
        _interpret(atom, year, original(atom.match.start(), atom.match.end()))

    # Each atom owns the text from its fragment's start (or its own start when it shares the fragment
    # with an earlier atom) up to the next atom's segment; a range start ("3月至6月底") joins the next atom.
    fragments = _fragments(s)
    frag_index = [0] * (len(s) + 1)
    for k, (fs, fe) in enumerate(fragments):
        for p in range(fs, fe + 1):
            frag_index[p] = k
    starts = []
    for k, atom in enumerate(atoms):
        pos = atom.match.start()
        if k == 0:
            starts.append(0)
        elif frag_index[pos] != frag_index[atoms[k - 1].match.start()]:
            starts.append(fragments[frag_index[pos]][0])
        else:
            starts.append(pos)
    starts.append(len(s))

    notes: list[str] = []
    milestones: list[Milestone] = []
    cadences: list[Cadence] = []
    relatives: list[_Atom] = []
    continuing = False
    carry = None
    for k, atom in enumerate(atoms):
        seg_start = starts[k] if carry is None else carry
        carry = None
        if atom.error:
            notes.append(atom.error)
            continue
        if atom.note:
            notes.append(atom.note)
        if atom.kind in _DATED:
            following = atoms[k + 1] if k + 1 < len(atoms) else None
            if following and following.kind in _DATED:
                gap = s[atom.match.end() : following.match.start()]
                if gap and _RANGE_GAPS.fullmatch(gap):
                    carry = seg_start  # "3月至6月底": only the end of the range is a deadline
                    continue
            milestones.append(Milestone(atom.date, original(seg_start, starts[k + 1])))
        elif isinstance(atom.value, Cadence):
            cadences.append(atom.value)
        elif atom.kind in ("workdays", "days"):
            relatives.append(atom)
        elif atom.kind == "continuing":
            continuing = True

    # Leftover text: vague words and things that look like dates but were not understood.
    covered = [False] * len(s)
    for atom in atoms:
        for p in range(atom.match.start(), atom.match.end()):
            covered[p] = True
    for fs, fe in fragments:
        rest = "".join(c if not covered[p] else "\x00" for p, c in enumerate(s[fs:fe], fs))
        vague = _VAGUE.search(rest)
        if atoms and vague:
            notes.append(f"“{vague.group()}”不是明确时限，" + _EXAMPLE.format(y=year))
        elif rest.isdigit() and fe < len(s) and s[fe] == "、":
            notes.append(f"“{original(fs, fe)}”缺少“月”“日”等单位，请写完整，如“3月底前、6月底前”")
        elif _DATE_LIKE.search(rest):
            notes.append(f"未能识别“{original(fs, fe)}”中的时间，" + _EXAMPLE.format(y=year))

    milestones.sort(key=lambda m: m.date)
    if len(set(cadences)) > 1:
        names = "、".join(dict.fromkeys(_PERIODS[c.period] for c in cadences))
        notes.append(f"同时写有多个报送周期（{names}），已按“{_PERIODS[cadences[0].period]}”处理，请确认")
    if len(relatives) > 1:
        notes.append("写有多个相对时限，已按第一个处理，请确认")
    if relatives and (milestones or cadences):
        notes.append("同时写有相对时限和具体日期或周期，请确认以哪个为准")

    workdays = days = None
    if relatives:
        if relatives[0].kind == "workdays":
            workdays = relatives[0].value
        else:
            days = relatives[0].value
    deadline = milestones[-1].date if milestones else None
    if cadences:
        kind = "cadence"
        deadline = deadline or datetime.date(year, 12, 31)
    elif milestones:
        kind = "date" if len(milestones) == 1 else "milestones"
    elif relatives:
        kind = "relative"
    elif continuing:
        kind = "continuing"
    else:
        kind = "unknown"
        if not notes:
            notes.append(f"无法识别时限“{text.strip()}”，" + _EXAMPLE.format(y=year))
    message = "；".join(dict.fromkeys(notes))
    return ParsedLimit(
        text=text,
        kind=kind,
        deadline=deadline,
        milestones=tuple(milestones),
        cadence=cadences[0] if cadences else None,
        relative_workdays=workdays,
        relative_days=days,
        ambiguous=bool(message),
        message=message,
    )
