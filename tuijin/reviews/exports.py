"""A round's results as .xlsx (ranking, raw tallies, ballots issued and returned) and as the circular (通报) .docx.

Both are Chinese documents whatever the reader's interface language, like the other exports. Every text cell
of the workbook goes through `neutralise` (no cell may start like a formula).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from urllib.parse import quote

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tuijin.lib.official_docs import OfficialDocument, chinese_number
from tuijin.lib.spreadsheet_write import neutralise

from .models import RaterGroup, Review
from .scoring import Results, Validity

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_TEXT = {Validity.OK: "有效", Validity.VOID: "无效", Validity.NO_QUORUM: "未达法定回收率",
               Validity.NONE: "未计入"}  # fmt: skip
COUNTING_TEXT = {
    RaterGroup.Counting.ELECTRONIC: "电子测评",
    RaterGroup.Counting.PAPER: "纸质测评（人工计票）",
}


def filename(review: Review, suffix: str, extension: str) -> str:
    """URL-quoted for Content-Disposition, e.g. 2026年度机关党建述职评议-结果.xlsx."""
    name = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in review.title).strip() or "review"
    return quote(f"{name}-{suffix}.{extension}")


def _num(value: Decimal | None):
    return None if value is None else float(value)


def _pct_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _weight_text(weight: Decimal) -> str:
    return f"{weight.normalize():f}%"


def circular_title(review: Review) -> str:
    """关于2026年度机关党建述职评议结果的通报."""
    return f"关于{review.title}结果的通报"


# ——— workbook ———


def _cell(value):
    return neutralise(value) if isinstance(value, str) else value


def _sheet(
    wb: Workbook, title: str, headers: list[str], widths: list[int], rows, *, first: bool = False
) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([_cell(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    ws.freeze_panes = "A2"


def results_xlsx_bytes(results: Results) -> bytes:
    review, options = results.review, results.options
    top = options[0].label if options else ""
    group_headers = [f"{t.group.name}（{_weight_text(t.group.weight)}）" for t in results.groups]
    wb = Workbook()
    _sheet(
        wb, "评议结果",
        ["排名", "党组织", "所属单位", "书记", *group_headers, "综合得分", f"“{top}”票占比（%）", "等次", "说明"],
        [6, 32, 22, 10, *[14] * len(group_headers), 10, 12, 8, 30],
        ([r.rank, r.subject.organisation, r.subject.unit.name, r.subject.secretary,
          *[_num(c.score_2dp) for c in r.cells], _num(r.score_2dp), _num(r.top_share_percent), r.grade,
          "部分评议组未计入，其余权重按比例折算为100%" if r.rescaled else ""] for r in results.subjects),
        first=True,
    )  # fmt: skip
    _sheet(
        wb, "计票明细",
        ["评议组", "党组织", *[o.label for o in options], "有效票", "组内得分", "状态", "说明"],
        [14, 32, *[8] * len(options), 8, 10, 10, 40],
        ([t.group.name, r.subject.organisation, *cell.counts, cell.votes, _num(cell.score_2dp),
          STATUS_TEXT[cell.status if t.counts else t.status], cell.reason or t.reason]
         for gi, t in enumerate(results.groups) for r in sorted(results.subjects, key=lambda r: r.subject.sort_order)
         for cell in [r.cells[gi]]),
    )  # fmt: skip
    _sheet(
        wb, "发票与回收",
        ["评议组", "权重", "计票方式", "发出票数", "收回票数", "回收率（%）", "状态", "说明"],
        [14, 8, 20, 10, 10, 12, 14, 50],
        ([t.group.name, _weight_text(t.group.weight), COUNTING_TEXT.get(t.group.counting, ""), t.issued, t.returned,
          round(t.returned * 100 / t.issued, 1) if t.issued else None, STATUS_TEXT[t.status], t.reason]
         for t in results.groups),
    )  # fmt: skip
    _sheet(
        wb, "评分规则", ["项目", "内容"], [14, 60],
        [["测评选项及分值", "；".join(f"{o.label} {o.weight.normalize():f}分" for o in options)],
         ["评议组权重", "；".join(f"{t.group.name} {_weight_text(t.group.weight)}" for t in results.groups)],
         ["等次标准", "；".join(f"{b.label} ≥{b.min_score.normalize():f}分" for b in results.bands)],
         ["法定回收率", f"各评议组收回票数不少于发出票数的{review.quorum_text}"],
         ["计算方法", "组内得分=Σ(票数×分值)÷有效票数；综合得分=Σ(权重×组内得分)÷Σ权重，保留两位小数"]],
    )  # fmt: skip
    wb.properties.title = review.title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ——— circular ———


def _issue_date(review: Review) -> datetime.date:
    return timezone.localtime(review.published_at).date() if review.published_at else timezone.localdate()


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build_circular(results: Results) -> OfficialDocument:
    review, options = results.review, results.options
    doc = OfficialDocument(organ=review.issuing_organ, number=review.document_number or "（未发布稿）")
    doc.title(circular_title(review))
    doc.addressee("各机关党组织")
    labels = "、".join(f"“{o.label}”" for o in options)
    groups = results.groups
    weights = "、".join(_weight_text(t.group.weight) for t in groups)
    count_words = chinese_number(len(options)) if 0 < len(options) < 100 else str(len(options))
    doc.paragraph(
        f"根据年度机关党建工作安排，{review.issuing_organ}于{_date(review.date)}组织召开{review.title}会议。"
        f"{len(results.subjects)}个机关党组织书记围绕履行抓机关党建工作责任情况进行了述职，与会人员按照{labels}"
        f"{count_words}个等次进行了无记名测评。测评设{'、'.join(t.group.name for t in groups)}"
        f"{len(groups)}个评议组，权重分别为{weights}，共发出测评票{results.issued}张，收回{results.returned}张。"
        "现将评议结果通报如下。"
    )
    doc.heading("评议结果", 1)
    top = options[0].label if options else ""
    rows = [[r.rank or "—", r.subject.organisation, r.subject.secretary,
             "—" if r.score_2dp is None else f"{r.score_2dp}", _pct_text(r.top_share_percent), r.grade or "—"]
            for r in results.subjects]  # fmt: skip
    doc.table(["排名", "党组织", "书记", "综合得分", f"{top}票率", "等次"], rows,
              widths_mm=[11, 80, 16, 18, 18, 13], align=["center", "left", "center", "center", "center", "center"])  # fmt: skip
    doc.heading("等次情况", 1)
    for grade, members in results.by_grade():
        if members:
            names = "、".join(r.subject.organisation for r in members)
            doc.paragraph(f"评议等次为“{grade}”的党组织{len(members)}个：{names}。")
        else:
            doc.paragraph(f"评议等次为“{grade}”的党组织：无。")
    left_out = [t for t in groups if not t.counts and t.status != Validity.NONE]
    if left_out:
        doc.paragraph(
            "；".join(f"{t.group.name}评议组发出测评票{t.issued}张、收回{t.returned}张，"
                     f"{STATUS_TEXT[t.status]}，该组计票结果不计入" for t in left_out)
            + "，其余评议组权重按比例折算为100%。"
        )  # fmt: skip
    doc.heading("有关要求", 1)
    doc.paragraph(
        "各机关党组织要对照评议结果和现场点评意见，认真查找抓机关党建工作中存在的问题和不足，列出问题清单，"
        "制定整改措施，于本通报印发之日起30日内将整改情况报送"
        + review.issuing_organ
        + "。评议等次为"
        + "、".join(f"“{b.label}”" for b in results.bands[-2:])
        + "的党组织书记要向"
        + review.issuing_organ
        + "作出书面说明。"
    )
    doc.blank_line()
    doc.paragraph(f"附件：{review.title}计票明细表")
    doc.signature(review.issuing_organ, _issue_date(review))
    return doc


def circular_docx_bytes(results: Results) -> bytes:
    return build_circular(results).to_bytes()
