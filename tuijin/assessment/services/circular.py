"""The circular (通报) of a round as a GB/T 9704 .docx, built with `tuijin.lib.official_docs`.

The circular is an official Chinese document, whatever the reader's interface language: its wording is the
document's fixed form (like the column headings of exported lists), and everything it states comes from the
round's frozen rows — results, the summary counted at computation and the red list — never from live records.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tuijin.lib.official_docs import OfficialDocument
from tuijin.org.models import UnitKind

from ..models import Result, Round
from ..periods import chinese_label
from .export import circular_filename, group_name
from .scoring import fmt

__all__ = ["build_circular", "circular_docx_bytes", "circular_filename", "circular_title"]

ADDRESSEES = {
    UnitKind.SECTOR: "各城市核心板块管委会",
    UnitKind.DEPARTMENT: "市直有关部门",
    UnitKind.DISTRICT: "各区县（市）人民政府",
    UnitKind.OTHER: "有关单位",
}
RED_LIST_ROWS = 50
LEVEL_NAMES = {"reminder": "催办", "blue": "蓝色督办单", "orange": "橙色督办单", "red": "红色督办单",
               "interview": "约谈", "circular": "通报"}  # fmt: skip


def circular_title(round_: Round) -> str:
    """关于2026年6月核心板块重点任务推进情况的通报."""
    subject = round_.snapshot.get("circular_subject", "")
    return f"关于{chinese_label(round_.period)}{subject}重点任务推进情况的通报"


def _issue_date(round_: Round) -> datetime.date:
    return timezone.localtime(round_.published_at).date() if round_.published_at else timezone.localdate()


def _pct(hits: int, total: int) -> str:
    return f"{hits * 100 / total:.1f}%" if total else "—"


def _short_date(iso: str, year: int) -> str:
    """6月30日, or 2025年12月31日 outside the period's year."""
    day = datetime.date.fromisoformat(iso)
    return f"{day.month}月{day.day}日" if day.year == year else f"{day.year}年{day.month}月{day.day}日"


def _names(results: list[Result]) -> str:
    return "、".join(f"{r.unit_name}（{fmt(r.total)}分）" for r in results)


def _overview(round_: Round, doc: OfficialDocument) -> None:
    s = round_.summary
    snap = round_.snapshot
    period = chinese_label(round_.period)
    orders = sum(s.get("orders", {}).values())
    as_of = datetime.date.fromisoformat(s["as_of"]) if s.get("as_of") else _issue_date(round_)
    doc.paragraph(
        f"为推动年度目标任务落地见效，按照《{snap.get('name', '')}》，{snap.get('issuing_organ', '')}对"
        f"{period}{snap.get('circular_subject', '')}重点任务推进情况进行了督查考核。纳入考核的单位共"
        f"{s.get('units', 0)}个，牵头重点任务{s.get('tasks', 0)}项；本期到期任务{s.get('due', 0)}项，按期办结"
        f"{s.get('on_time', 0)}项，按期办结率{_pct(s.get('on_time', 0), s.get('due', 0))}；截至"
        f"{as_of.month}月{as_of.day}日，逾期未办结任务{s.get('overdue', 0)}项；本期共发出预警"
        f"{s.get('warnings', 0)}次、督办单{orders}份。现将有关情况通报如下。"
    )


def _rankings(round_: Round, doc: OfficialDocument, by_group: dict[str, list[Result]]) -> None:
    doc.heading("排名情况", 1)
    for kind, results in by_group.items():
        doc.heading(group_name(kind), 2)
        rows = [[r.rank, r.unit_name, fmt(r.total), r.grade, "一票否决" if r.vetoed else ""] for r in results]
        doc.table(["排名", "单位", "得分", "等次", "备注"], rows, widths_mm=[16, 64, 24, 24, 28],
                  align=["center", "left", "center", "center", "center"])  # fmt: skip


def _praise_and_criticism(round_: Round, doc: OfficialDocument, by_group: dict[str, list[Result]]) -> None:
    bands = round_.snapshot.get("bands") or []
    top = bands[0][1] if bands else ""
    doc.heading("红榜和黑榜", 1)
    doc.heading("红榜", 2)
    praised = [r for results in by_group.values() for r in results if r.grade == top and not r.vetoed]
    if praised:
        doc.paragraph(f"以下单位考核等次为“{top}”，予以通报表扬：{_names(praised)}。")
    else:
        firsts = [r for results in by_group.values() for r in results if r.rank == 1 and not r.vetoed]
        doc.paragraph(f"本期无考核等次为“{top}”的单位。各组排名第一的单位：{_names(firsts) or '无'}。")
    doc.heading("黑榜", 2)
    praised_ids = {r.unit_id for r in praised}
    bottom = []
    for results in by_group.values():
        if len(results) >= 3:
            last = max(r.rank for r in results)
            bottom += [r for r in results if r.rank == last and not r.vetoed and r.unit_id not in praised_ids]
    vetoed = [r for results in by_group.values() for r in results if r.vetoed]
    names = {r.unit_id: r.unit_name for results in by_group.values() for r in results}
    red = [
        (names[int(uid)], n) for uid, n in round_.summary.get("red_orders", {}).items() if int(uid) in names
    ]
    lines = []
    if bottom:
        lines.append(f"以下单位在本组排名末位，予以通报批评：{_names(bottom)}。")
    if vetoed:
        lines.append(
            f"以下单位触及一票否决事项，考核等次直接确定为“{bands[-1][1] if bands else ''}”：{_names(vetoed)}。"
        )
    if red:
        lines.append(
            "以下单位本期收到红色督办单：" + "、".join(f"{name}（{n}份）" for name, n in sorted(red)) + "。"
        )
    for line in lines or ["本期无通报批评单位。"]:
        doc.paragraph(line)


def _red_list(round_: Round, doc: OfficialDocument) -> None:
    doc.heading("逾期任务清单", 1)
    items = round_.summary.get("red_list", [])
    total = round_.summary.get("overdue", len(items))
    if not items:
        doc.paragraph("本期无逾期未办结任务。")
        return
    shown = items[:RED_LIST_ROWS]
    if total > len(shown):
        doc.paragraph(
            f"截至本期末，逾期未办结任务共{total}项，按逾期时间列出前{len(shown)}项，完整清单见附件。"
        )
    else:
        doc.paragraph(f"截至本期末，逾期未办结任务共{total}项，清单如下。")
    year = int(round_.period[:4])
    rows = [[i, t["title"] if not t["number"] else f"{t['number']} {t['title']}", "、".join(t["units"]),
             _short_date(t["deadline"], year), t["days"]] for i, t in enumerate(shown, start=1)]  # fmt: skip
    doc.table(["序号", "任务", "牵头单位", "截止日期", "逾期天数"], rows, widths_mm=[13, 67, 40, 22, 14],
              align=["center", "left", "left", "center", "center"])  # fmt: skip


def build_circular(round_: Round) -> OfficialDocument:
    snap = round_.snapshot
    results = list(Result.objects.filter(round=round_).order_by("rank", "unit_name"))
    order = snap.get("groups", [])
    by_group: dict[str, list[Result]] = {kind: [] for kind in order}
    for result in results:
        by_group.setdefault(result.group, []).append(result)
    by_group = {kind: rows for kind, rows in by_group.items() if rows}
    doc = OfficialDocument(
        organ=snap.get("issuing_organ", ""), number=round_.document_number or "（未发布稿）"
    )
    doc.title(circular_title(round_))
    doc.addressee("，".join(ADDRESSEES.get(kind, "有关单位") for kind in by_group) or "各有关单位")
    _overview(round_, doc)
    _rankings(round_, doc, by_group)
    _praise_and_criticism(round_, doc, by_group)
    _red_list(round_, doc)
    doc.heading("工作要求", 1)
    doc.paragraph(snap.get("requirements", ""))
    doc.blank_line()
    doc.paragraph(f"附件：{chinese_label(round_.period)}考核得分明细表")
    doc.signature(snap.get("issuing_organ", ""), _issue_date(round_))
    return doc


def circular_docx_bytes(round_: Round) -> bytes:
    return build_circular(round_).to_bytes()
