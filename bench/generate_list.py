"""Generate a realistic task-list workbook for import benchmarks.

Usage::

    python bench/generate_list.py out.xlsx 10000

The layout follows how municipal offices send their lists: an "附件1" line, a title merged across
the table, a "填报单位" line, a two-level header (责任分工 over 牵头单位 | 配合单位, 时间节点 over
开始时间 | 完成时限), category rows merged across the table every ~50 rows, sub-items numbered (1)…
under some tasks, a responsible leader merged vertically over a few rows, several units per cell
with inline marks, mixed deadline phrases (some typed as real Excel dates) and notes below the table.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

CHINESE_NUMERALS = "一二三四五六七八九十"

CATEGORIES = (
    "项目招商",
    "基础设施建设",
    "征地拆迁",
    "环境配套",
    "科技创新",
    "人才引进",
    "营商环境",
    "公共服务",
)
UNITS = (
    "郑东新区管委会",
    "金水区政府",
    "管城区政府",
    "二七区政府",
    "中原区政府",
    "市发展改革委",
    "市科技局",
    "市商务局",
    "市工信局",
    "市财政局",
    "市自然资源和规划局",
    "市城建局",
    "市住房保障局",
    "市人社局",
    "市生态环境局",
    "市交通运输局",
    "市营商办",
    "市委组织部",
)
LEADERS = ("市领导甲", "市领导乙", "市领导丙", "市领导丁", "市领导戊")
OWNERS = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄涛")
SUBJECTS = (
    "北龙湖金融岛",
    "白沙科学谷",
    "金水科教园",
    "二七商圈",
    "商代王城遗址",
    "金岱科创",
    "郑州东站片区",
    "中原科技城",
)
ACTIONS = (
    "基础设施建设",
    "科研平台引进",
    "头部企业招商",
    "人才公寓配租",
    "道路管网改造",
    "征地拆迁攻坚",
    "拎包办公空间建设",
    "企业诉求办理",
)
TARGETS = (
    "完成{n}公里道路及综合管廊建设，同步实施绿化提升",
    "引进省级以上科研平台{n}个，新增高新技术企业{n}家",
    "签约落地头部企业{n}家，完成投资{n}亿元",
    "新增人才公寓配租{n}套，入住率达到90%以上",
    "完成征地{n}亩、拆迁{n}万平方米，确保项目按期开工",
    "企业诉求5个工作日内办结率达到95%，满意度不低于{n}%",
)
LIMITS = (
    "6月底前",
    "2021年11月底前",
    "年底前",
    "二季度末",
    "9月上旬",
    "每月28日前报送进展，年底前完成",
    "6月底前完成主体工程；12月底前全部建成",
    "持续推进",
    "长期坚持",
    "十月底前",
    "上半年",
    "三季度",
    "15个工作日内",
)
HEADER_TOP = (
    "序号",
    "重点任务",
    "具体目标",
    "责任分工",
    "责任分工",
    "责任领导",
    "责任人",
    "时间节点",
    "时间节点",
    "备注",
)
HEADER_SUB = (None, None, None, "牵头单位", "配合单位", None, None, "开始时间", "完成时限", None)
WIDTH = len(HEADER_TOP)
LAST_COL = "J"


def _units(rng: random.Random, count: int) -> list[str]:
    return rng.sample(UNITS, count)


def _lead_cell(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.75:
        return rng.choice(UNITS)
    lead, other = _units(rng, 2)
    return f"{lead}（牵头）、{other}"


def _supporting_cell(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return ""
    names = _units(rng, rng.randint(1, 4))
    if roll < 0.45:
        return "、".join(names)
    if roll < 0.7:
        return "，".join(names)
    if roll < 0.85:
        return "\n".join(names)
    return "；".join(f"{name}（配合）" for name in names)


def _limit(rng: random.Random):
    if rng.random() < 0.1:
        return dt.date(2021, rng.randint(1, 12), rng.randint(1, 28))
    return rng.choice(LIMITS)


def generate(path, rows: int, *, seed: int = 2021) -> None:
    """Write a task list with ``rows`` task rows (category and note rows come on top)."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("重点任务")
    for letter, width in zip("ABCDEFGHIJ", (6, 28, 40, 20, 28, 10, 10, 12, 22, 10), strict=True):
        ws.column_dimensions[letter].width = width

    # MultiCellRange.add is quadratic (it scans every range); collect and assign once at the end
    merges: list[str] = []
    ws.append(["附件1"])
    ws.append(["2021年中原科技城建设重点任务清单"] + [None] * (WIDTH - 1))
    merges.append(f"A2:{LAST_COL}2")
    ws.append(["填报单位：市委督查局　　　　　填报日期：2021年2月26日"])
    ws.append(list(HEADER_TOP))
    ws.append(list(HEADER_SUB))
    for col in "ABCFGJ":
        merges.append(f"{col}4:{col}5")
    merges.append("D4:E4")
    merges.append("H4:I4")

    sheet_row = 5
    written = 0
    number = 0
    category_index = 0
    leader_left = 0
    while written < rows:
        if written % 50 == 0:
            numeral = CHINESE_NUMERALS[category_index % 10]
            heading = f"{numeral}、{CATEGORIES[category_index % len(CATEGORIES)]}"
            category_index += 1
            ws.append([heading] + [None] * (WIDTH - 1))
            sheet_row += 1
            merges.append(f"A{sheet_row}:{LAST_COL}{sheet_row}")
            leader_left = 0

        number += 1
        subitems = rng.randint(2, 3) if rng.random() < 0.1 else 0
        batch = [(str(number), f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}")]
        for sub in range(1, subitems + 1):
            batch.append((f"（{sub}）", f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}（子项{sub}）"))

        for num, title in batch:
            if written >= rows:
                break
            if leader_left == 0:
                # a merged leader span never runs into the next category row or past the end
                leader_left = min(rng.choice((1, 1, 1, 2, 3)), 50 - written % 50, rows - written)
                span_start = sheet_row + 1
                span_end = span_start + leader_left - 1
                if leader_left > 1:
                    merges.append(f"F{span_start}:F{span_end}")
                leader_value = rng.choice(LEADERS)
                first_of_span = True
            else:
                first_of_span = False
            leader_left -= 1
            target = rng.choice(TARGETS).format(n=rng.randint(2, 60))
            ws.append(
                [
                    num,
                    title,
                    target,
                    _lead_cell(rng),
                    _supporting_cell(rng),
                    leader_value if first_of_span else None,
                    rng.choice(OWNERS),
                    "2021年1月",
                    _limit(rng),
                    "" if rng.random() < 0.9 else "已列入省重点项目",
                ]
            )
            sheet_row += 1
            written += 1

    ws.append([])
    ws.append(["注：1.排在首位的为牵头单位；2.完成时限为最终节点，阶段性节点见具体目标。"])
    ws.append(["填报人：王某某　　联系电话：0371-67180000"])
    ws.merged_cells = MultiCellRange([CellRange(ref) for ref in merges])
    wb.save(path)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "list.xlsx")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    generate(out, count)
    print(f"wrote {count} task rows to {out}")
