import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest

from tuijin.lib import spreadsheet_read
from tuijin.lib.spreadsheet import ParsedSheet, read_task_list, split_units
from tuijin.lib.tests.sheets import SAMPLE_TASKS, csv_bytes, task_list, task_list_rows, xlsx_bytes

SAMPLE = Path(__file__).resolve().parents[2] / "tasks" / "tests" / "data" / "core-sectors-2021-sample.xlsx"


def by_number(sheet: ParsedSheet) -> dict:
    return {row.number: row for row in sheet.rows}


def errors(sheet: ParsedSheet) -> list:
    return [p for p in sheet.problems if p.level == "error"]


# --- the shared sample -----------------------------------------------------------------------------


def test_it_reads_the_shared_sample():
    sheet = read_task_list(SAMPLE, SAMPLE.name)

    assert errors(sheet) == []
    assert not sheet.needs_mapping
    assert sheet.header_row == 3
    assert sheet.title == "2021年郑州市核心板块建设年度目标任务分解表（样例）"
    assert sheet.unit_convention == "first_leads"
    assert sheet.mapping == {
        "number": "A",
        "title": "B",
        "target": "C",
        "lead_units": "E",
        "leader": "D",
        "owner": "F",
        "limit_text": "G",
    }
    assert sheet.headers["E"] == "责任单位"
    got = [(r.row, r.number, r.lead_units, r.supporting_units, r.limit_text) for r in sheet.rows]
    assert got == [
        (4, "1", ["郑东新区管委会"], ["市城建局"], "6月底前完成管廊主体；12月底前全部建成"),
        (5, "2", ["郑东新区管委会"], ["市科技局"], "2021年11月底前"),
        (6, "3", ["管城区政府"], [], "年内竣工"),
        (7, "4", ["管城区政府"], ["市商务局"], "每月28日前报送进展，年底前完成"),
        (8, "5", ["二七区政府"], [], "二季度末"),
        (9, "6", ["市住房保障局"], ["市人社局"], "9月上旬"),
        (10, "7", ["市营商办"], [], "长期坚持"),
    ]
    first = sheet.rows[0]
    assert first.title == "北龙湖金融岛基础设施"
    assert first.target == "完成金融岛环岛道路及综合管廊建设"
    assert (first.leader, first.owner) == ("市领导甲", "负责人甲")
    assert first.category == "" and first.parent_number is None
    assert first.columns["lead_units"] == "E"


# --- layouts -----------------------------------------------------------------------------------------


def test_it_reads_a_two_level_merged_header_with_category_rows_and_subitems():
    tasks = [
        "一、项目招商",
        {
            "number": 1,
            "title": "头部企业招商",
            "lead": "市商务局",
            "supporting": "市科技局、市发展改革委",
            "leader": "市领导甲",
            "start": "2021年1月",
            "limit": "6月底前",
        },
        {"number": "（1）", "title": "定向招商", "lead": "市商务局", "limit": "3月底前"},
        {"number": "(2)", "title": "上门招商", "lead": "郑东新区管委会", "limit": "二季度"},
        {"number": "2.", "title": "基金招商", "lead": "市金融局", "limit": "年底前"},
        "（一）基础设施建设",
        {"number": "3", "title": "环岛道路", "lead": "市城建局", "limit": "9月上旬"},
        {"number": 3.2, "title": "综合管廊", "lead": "市城建局", "limit": "年底前"},
        {"number": "①", "title": "管廊主体", "lead": "市城建局", "limit": "6月底前"},
        "二、征地拆迁",
        {
            "number": "4",
            "title": "征地500亩",
            "lead": "金水区政府",
            "supporting": "市自然资源和规划局",
            "limit": "上半年",
        },
    ]
    sheet = read_task_list(task_list(tasks, layout="two_level"), "list.xlsx")

    assert errors(sheet) == []
    assert not sheet.needs_mapping
    assert sheet.title == "2021年中原科技城建设重点任务清单"
    assert sheet.header_row == 6  # 附件1, title, 填报单位, blank, two header rows
    assert sheet.headers["D"] == "责任分工/牵头单位"
    assert sheet.headers["E"] == "责任分工/配合单位"
    assert sheet.headers["G"] == "时间节点/开始"
    assert sheet.mapping["lead_units"] == "D"
    assert sheet.mapping["supporting_units"] == "E"
    assert sheet.mapping["limit_text"] == "H"  # 完成, not 开始
    assert sheet.unit_convention == "columns"

    rows = by_number(sheet)
    assert list(rows) == ["1", "(1)", "(2)", "2", "3", "3.2", "①", "4"]
    assert [rows[n].parent_number for n in rows] == [None, "1", "1", None, None, "3", "3", None]
    assert [rows[n].category for n in rows] == ["项目招商"] * 4 + ["基础设施建设"] * 3 + ["征地拆迁"]
    assert rows["1"].supporting_units == ["市科技局", "市发展改革委"]
    assert rows["1"].limit_text == "6月底前"
    assert rows["4"].lead_units == ["金水区政府"]


def test_it_reads_two_level_headers_written_without_merges():
    sheet = read_task_list(task_list(SAMPLE_TASKS, layout="two_level_unmerged"), "list.xlsx")

    assert not sheet.needs_mapping, sheet.problems
    assert sheet.headers["D"] == "责任分工/牵头单位"
    assert sheet.mapping["supporting_units"] == "E"
    assert sheet.rows[0].supporting_units == ["市发展改革委", "市科技局"]


def test_it_reads_a_category_column():
    tasks = [
        {"number": 1, "category": "基础设施", "title": "道路", "lead": "市城建局", "limit": "年底前"},
        {"number": 2, "category": None, "title": "管廊", "lead": "市城建局", "limit": "年底前"},
        {"number": 3, "category": "二、招商", "title": "招商", "lead": "市商务局", "limit": "年底前"},
    ]
    sheet = read_task_list(task_list(tasks, layout="with_category"), "list.xlsx")

    assert errors(sheet) == []
    assert [r.category for r in sheet.rows] == ["基础设施", "基础设施", "招商"]
    assert sheet.mapping["owner"] == "H" and sheet.mapping["leader"] == "G"


def test_it_takes_the_first_unit_as_lead_when_one_responsibility_column():
    tasks = [
        {"number": 1, "title": "甲", "units": "郑东新区管委会、市科技局、市财政局", "limit": "年底前"},
        {"number": 2, "title": "乙", "units": "市城建局\n金水区政府", "limit": "年底前"},
        {"number": 3, "title": "丙", "units": "市科技局，郑东新区管委会（牵头）", "limit": "年底前"},
        {"number": 4, "title": "丁", "units": "市营商办", "limit": "年底前"},
    ]
    sheet = read_task_list(task_list(tasks, layout="responsible"), "list.xlsx")

    assert sheet.unit_convention == "first_leads"
    rows = by_number(sheet)
    assert rows["1"].lead_units == ["郑东新区管委会"]
    assert rows["1"].supporting_units == ["市科技局", "市财政局"]
    assert rows["2"].lead_units == ["市城建局"] and rows["2"].supporting_units == ["金水区政府"]
    # the explicit mark wins over the position
    assert rows["3"].lead_units == ["郑东新区管委会"] and rows["3"].supporting_units == ["市科技局"]
    assert rows["4"].supporting_units == []


def test_it_reports_the_marked_convention_when_marks_are_the_rule():
    tasks = [
        {"number": 1, "title": "甲", "units": "市科技局（牵头）、市财政局", "limit": "年底前"},
        {
            "number": 2,
            "title": "乙",
            "units": "牵头：市城建局；配合：金水区政府、市财政局",
            "limit": "年底前",
        },
    ]
    sheet = read_task_list(task_list(tasks, layout="responsible"), "list.xlsx")

    assert sheet.unit_convention == "marked"
    assert sheet.rows[1].lead_units == ["市城建局"]
    assert sheet.rows[1].supporting_units == ["金水区政府", "市财政局"]


def test_it_treats_every_unit_in_a_lead_column_as_lead():
    tasks = [
        {
            "number": 1,
            "title": "甲",
            "lead": "市科技局、市财政局",
            "supporting": "市商务局",
            "limit": "年底前",
        }
    ]
    sheet = read_task_list(task_list(tasks), "list.xlsx")

    assert sheet.rows[0].lead_units == ["市科技局", "市财政局"]
    assert sheet.rows[0].supporting_units == ["市商务局"]


def test_it_applies_a_vertically_merged_leader_to_each_row():
    rows, merges = task_list_rows(
        [
            {
                "number": i,
                "title": f"任务{i}",
                "lead": "市城建局",
                "leader": "市领导丙" if i == 1 else None,
                "limit": "年底前",
            }
            for i in range(1, 5)
        ],
        notes=False,
    )
    header = next(i for i, r in enumerate(rows, start=1) if r and r[0] == "序号")
    merges.append(f"F{header + 1}:F{header + 3}")
    sheet = read_task_list(xlsx_bytes(rows, merges), "list.xlsx")

    assert [r.leader for r in sheet.rows] == ["市领导丙", "市领导丙", "市领导丙", ""]


def test_it_folds_rows_of_a_task_whose_number_and_title_are_merged_vertically():
    rows = [
        ["序号", "重点任务", "具体目标", "牵头单位", "配合单位", "完成时限"],
        [1, "环岛道路", "完成路基", "市城建局", "市交通运输局", "6月底前"],
        [None, None, "全线通车", "市城建局", "金水区政府", "年底前"],
        [2, "综合管廊", "完成主体", "市城建局", None, "年底前"],
    ]
    sheet = read_task_list(xlsx_bytes(rows, ["A2:A3", "B2:B3"]), "list.xlsx")

    assert errors(sheet) == []
    assert [r.number for r in sheet.rows] == ["1", "2"]
    first = sheet.rows[0]
    assert first.target == "完成路基\n全线通车"
    assert first.limit_text == "6月底前；年底前"
    assert first.supporting_units == ["市交通运输局", "金水区政府"]


def test_it_finds_a_table_that_does_not_start_in_column_a():
    rows = [
        [],
        [],
        [None, None, "2021年重点任务清单"],
        [],
        [None, None, "序号", "重点任务", "牵头单位", "完成时限"],
        [None, None, 1, "任务甲", "市科技局", "年底前"],
    ]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    assert sheet.header_row == 5
    assert sheet.title == "2021年重点任务清单"
    assert sheet.mapping == {"number": "C", "title": "D", "lead_units": "E", "limit_text": "F"}
    assert sheet.rows[0].row == 6 and sheet.rows[0].lead_units == ["市科技局"]


def test_it_recognises_header_synonyms_with_spaces_breaks_and_brackets():
    rows = [
        [
            "编 号",
            "工作\n事项",
            "主要内容",
            "主责单位",
            "协同单位",
            "联系领导",
            "具体责任人",
            "完成时间（节点）",
            "备  注",
        ],
        ["1", "事项甲", "内容", "市科技局", "市财政局", "市领导甲", "张伟", "年底前", "无"],
    ]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    assert sheet.mapping == {
        "number": "A",
        "title": "B",
        "target": "C",
        "lead_units": "D",
        "supporting_units": "E",
        "leader": "F",
        "owner": "G",
        "limit_text": "H",
        "note": "I",
    }
    assert sheet.headers["B"] == "工作事项"
    assert sheet.rows[0].note == "无"


def test_it_reads_real_excel_dates_in_the_limit_column():
    rows = [
        ["序号", "重点任务", "牵头单位", "完成时限"],
        [1, "甲", "市科技局", dt.date(2021, 6, 30)],
        [2, "乙", "市科技局", dt.datetime(2021, 12, 31, 0, 0)],
    ]
    data = xlsx_bytes(rows, number_formats={"D2": 'yyyy"年"m"月"d"日"', "D3": "yyyy/m/d"})
    sheet = read_task_list(data, "list.xlsx")

    assert [r.limit_text for r in sheet.rows] == ["2021年6月30日", "2021年12月31日"]


def test_it_skips_title_notes_and_blank_rows_without_errors():
    rows, merges = task_list_rows(SAMPLE_TASKS)
    rows.insert(next(i for i, r in enumerate(rows) if r and r[0] == 2), [])  # a blank row between tasks
    rows += [
        [],
        ["备注"],
        ["2.各单位于每月25日前报送进展。"],
        ["审核人：李某", None, "制表日期：2021年2月26日"],
    ]
    sheet = read_task_list(xlsx_bytes(rows, merges), "list.xlsx")

    assert sheet.problems == []
    assert [r.title for r in sheet.rows] == ["头部企业招商", "人才公寓配租"]


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (1, "1"),
        (1.0, "1"),
        ("1.", "1"),
        ("1、", "1"),
        ("（1）", "(1)"),
        ("(1)", "(1)"),
        ("１", "1"),
        (1.1, "1.1"),
        ("3.2", "3.2"),
        ("①", "①"),
        ("一、", "一"),
        ("（一）", "(一)"),
        (" 2 ", "2"),
    ],
)
def test_it_normalises_numbers(raw, number):
    rows = [["序号", "重点任务", "牵头单位"], [raw, "任务", "市科技局"]]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    assert sheet.rows[0].number == number


def test_it_reports_rows_without_title_or_units():
    rows = [
        ["序号", "重点任务", "具体目标", "牵头单位", "完成时限"],
        [1, "任务甲", "目标", "市科技局", "年底前"],
        [2, None, "目标", "市科技局", "年底前"],
        [3, "任务丙", "目标", None, "年底前"],
        [None, None, "只有目标", None, None],
    ]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    found = {(p.row, p.column, p.field) for p in errors(sheet)}
    assert found == {(3, "B", "title"), (4, "D", "lead_units"), (5, "B", "title")}
    assert all(p.message.startswith(f"第{p.row}行") for p in errors(sheet))
    assert [r.number for r in sheet.rows] == ["1", "2", "3"]


def test_it_refuses_formula_cells_with_row_and_column():
    rows = [
        ["序号", "重点任务", "牵头单位", "完成时限", "剩余天数"],
        [1, "任务甲", "市科技局", "年底前", "=D2"],
        [2, '="任务"&"乙"', "市科技局", "年底前", None],
    ]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    refused = [p for p in sheet.problems if "公式" in p.message]
    assert [(p.row, p.column, p.level) for p in refused] == [(2, "E", "warning"), (3, "B", "error")]
    assert refused[1].message.startswith("单元格B3含公式")
    assert refused[1].hint == "请将公式粘贴为数值后重新导入"
    assert refused[1].field == "title"


def test_it_reads_values_not_formulas(tmp_path):
    # a formula with a cached value, as Excel saves it: the value is read, the cell still refused
    data = xlsx_bytes([["序号", "重点任务", "牵头单位"], [1, "=1", "市科技局"]])
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[name] = (
        parts[name]
        .replace(b"<f>1</f><v></v>", b"<f>1</f><v>42</v>")
        .replace(b"<f>1</f><v />", b"<f>1</f><v>42</v>")
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for n, content in parts.items():
            zout.writestr(n, content)
    sheet = read_task_list(out.getvalue(), "list.xlsx")

    assert sheet.rows[0].title == "42"
    assert [(p.row, p.column) for p in errors(sheet)] == [(2, "B")]


# --- mapping -----------------------------------------------------------------------------------------


def test_it_asks_for_a_mapping_when_the_title_column_is_missing():
    rows = [["序号", "内容描述", "牵头单位", "完成时限"], [1, "任务甲", "市科技局", "年底前"]]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    assert sheet.needs_mapping
    assert any(p.field == "title" and "重点任务" in p.message for p in sheet.problems)
    assert sheet.headers == {"A": "序号", "B": "内容描述", "C": "牵头单位", "D": "完成时限"}
    # no flood of per-row problems while the columns are unknown
    assert all(p.row is None for p in sheet.problems)


def test_it_uses_a_mapping_override():
    rows = [["序号", "内容描述", "牵头单位", "完成时限"], [1, "任务甲", "市科技局", "年底前"]]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx", mapping={"title": "B"})

    assert not sheet.needs_mapping
    assert sheet.problems == []
    assert sheet.mapping == {"number": "A", "title": "B", "lead_units": "C", "limit_text": "D"}
    assert sheet.rows[0].title == "任务甲"


def test_it_flags_two_columns_competing_for_one_field_and_a_mapping_resolves_it():
    rows = [
        ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"],
        [1, "任务甲", "市科技局", "市财政局", "年底前"],
    ]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    assert sheet.needs_mapping
    (problem,) = [p for p in sheet.problems if p.field == "lead_units"]
    assert "C列" in problem.message and "D列" in problem.message

    fixed = read_task_list(
        xlsx_bytes(rows), "list.xlsx", mapping={"lead_units": "C", "supporting_units": "D"}
    )
    assert not fixed.needs_mapping and fixed.problems == []
    assert fixed.rows[0].supporting_units == ["市财政局"]


def test_it_offers_the_first_wide_row_when_no_header_is_recognised():
    rows = [["清单"], ["No", "Task", "Unit"], ["1", "任务甲", "市科技局"]]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    assert sheet.needs_mapping and sheet.header_row == 2
    assert sheet.headers == {"A": "No", "B": "Task", "C": "Unit"}

    mapped = read_task_list(
        xlsx_bytes(rows), "list.xlsx", mapping={"number": "A", "title": "B", "lead_units": "C"}
    )
    assert not mapped.needs_mapping
    assert [(r.number, r.title, r.lead_units) for r in mapped.rows] == [("1", "任务甲", ["市科技局"])]


def test_it_reports_an_invalid_mapping():
    rows = [["序号", "重点任务", "牵头单位"], [1, "任务甲", "市科技局"]]
    sheet = read_task_list(
        xlsx_bytes(rows), "list.xlsx", mapping={"title": "B", "colour": "C", "owner": "??"}
    )

    assert sheet.needs_mapping
    assert {p.field for p in sheet.problems} == {None, "owner"}


# --- CSV -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"), [("gbk", False), ("gb18030", False), ("utf-8", True), ("utf-8", False)]
)
def test_it_reads_csv_in_chinese_encodings(encoding, bom):
    data = task_list(SAMPLE_TASKS, layout="responsible", csv_encoding=encoding, bom=bom)
    sheet = read_task_list(data, "list.csv")

    assert errors(sheet) == []
    assert sheet.title == "2021年中原科技城建设重点任务清单"
    assert [(r.number, r.title, r.lead_units) for r in sheet.rows] == [
        ("1", "头部企业招商", ["市商务局"]),
        ("2", "人才公寓配租", ["市住房保障局"]),
    ]
    assert sheet.rows[1].limit_text == "2021-09-10"  # CSV keeps dates as the text they were written as


def test_it_reads_a_tab_separated_utf16_export():
    rows = [["序号", "重点任务", "牵头单位"], ["1", "任务甲", "市科技局、市财政局"]]
    data = csv_bytes(rows, delimiter="\t", encoding="utf-16")  # the codec writes the BOM
    sheet = read_task_list(data, "list.txt")

    assert sheet.rows[0].lead_units == ["市科技局", "市财政局"]


# --- sources and broken input -----------------------------------------------------------------------


def test_it_reads_paths_file_objects_and_bytes(tmp_path):
    data = task_list(SAMPLE_TASKS)
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    for source in (path, str(path), io.BytesIO(data), data, open(path, "rb")):
        sheet = read_task_list(source, "list.xlsx")
        assert [r.number for r in sheet.rows] == ["1", "2"]
        if hasattr(source, "close"):
            source.close()


def test_it_picks_the_sheet_that_holds_the_table():
    rows, merges = task_list_rows(SAMPLE_TASKS)
    data = xlsx_bytes(
        rows, merges, sheet_title="清单", first_sheets=[("填报说明", [["填报说明"], ["请如实填写"]])]
    )
    sheet = read_task_list(data, "list.xlsx")

    assert sheet.sheet_name == "清单"
    assert len(sheet.rows) == 2


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (os.urandom(4096), "list.xlsx", "不是有效的Excel"),
        (b"", "list.xlsx", "文件为空"),
        (b"   \n", "list.csv", "文件为空"),
        (b"PK\x03\x04" + os.urandom(500), "list.xlsx", "已损坏"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + os.urandom(200),
            "list.xlsx",
            "已加密",
        ),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "list.xls", "网页格式"),
        (b"\x00\x01\x02\x03" * 300, "list.csv", "CSV"),
        (b"hello", "list.docx", "不支持"),
    ],
)
def test_it_returns_a_single_problem_for_unreadable_input(data, filename, words):
    sheet = read_task_list(data, filename)

    assert sheet.rows == []
    assert len(sheet.problems) == 1
    assert words in sheet.problems[0].message
    assert sheet.problems[0].hint


def test_it_returns_a_single_problem_for_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    sheet = read_task_list(out.getvalue(), "list.xlsx")

    assert len(sheet.problems) == 1 and "不是Excel工作簿" in sheet.problems[0].message


def test_it_returns_a_single_problem_for_an_empty_workbook():
    sheet = read_task_list(xlsx_bytes([]), "list.xlsx")

    assert len(sheet.problems) == 1 and "没有内容" in sheet.problems[0].message


def test_it_returns_a_problem_for_a_missing_file(tmp_path):
    sheet = read_task_list(tmp_path / "nope.xlsx", "nope.xlsx")

    assert len(sheet.problems) == 1


def test_it_reads_with_openpyxl_when_calamine_is_not_installed(monkeypatch):
    monkeypatch.setattr(spreadsheet_read, "python_calamine", None)
    tasks = ["一、项目招商", *SAMPLE_TASKS]
    sheet = read_task_list(task_list(tasks, layout="two_level"), "list.xlsx")

    assert errors(sheet) == []
    assert [(r.number, r.category, r.supporting_units) for r in sheet.rows] == [
        ("1", "项目招商", ["市发展改革委", "市科技局"]),
        ("2", "项目招商", ["市人社局"]),
    ]
    assert sheet.rows[1].limit_text == "2021年9月10日"


# --- split_units -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lead", "supporting", "marked"),
    [
        ("郑东新区管委会（牵头），市城建局", ["郑东新区管委会"], ["市城建局"], True),
        ("郑东新区管委会、市科技局", ["郑东新区管委会"], ["市科技局"], False),
        ("市科技局、郑东新区管委会(牵头)", ["郑东新区管委会"], ["市科技局"], True),
        ("牵头：市商务局；配合：市发展改革委、市财政局", ["市商务局"], ["市发展改革委", "市财政局"], True),
        ("牵头单位:市商务局 配合单位:市财政局", ["市商务局"], ["市财政局"], True),
        ("市商务局牵头，市发展改革委、市财政局配合", ["市商务局"], ["市发展改革委", "市财政局"], True),
        (
            "市城建局\n市交通运输局；市财政局/市科技局／金水区政府",
            ["市城建局"],
            ["市交通运输局", "市财政局", "市科技局", "金水区政府"],
            False,
        ),
        ("市城建局 市交通运输局\u3000市财政局", ["市城建局"], ["市交通运输局", "市财政局"], False),
        ("  市城建局。、、市城建局，市财政局；", ["市城建局"], ["市财政局"], False),
        ("各区县（市）政府、市财政局", ["各区县（市）政府"], ["市财政局"], False),
        ("市发展改革委（牵头，负责项目审批）、市财政局", ["市发展改革委"], ["市财政局"], True),
        ("市财政局（配合）、市科技局", ["市科技局"], ["市财政局"], True),
        ("市城建局 （牵头）、市财政局", ["市城建局"], ["市财政局"], True),
        ("1.市城建局 2.市财政局", ["市城建局"], ["市财政局"], False),
        ("市城建局、市财政局等", ["市城建局"], ["市财政局"], False),
        ("无", [], [], False),
        ("", [], [], False),
    ],
)
def test_it_splits_unit_cells(text, lead, supporting, marked):
    assert split_units(text) == (lead, supporting, marked)


def test_it_skips_a_row_that_numbers_the_columns():
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], [1, 2, 3, 4], [1, "任务甲", "市科技局", "年底前"]]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    assert sheet.problems == []
    assert [(r.row, r.title) for r in sheet.rows] == [(3, "任务甲")]


@pytest.mark.parametrize("chunk", [64, 200, 1 << 20])
def test_it_finds_formulas_and_merges_whatever_the_scan_chunk(monkeypatch, chunk):
    monkeypatch.setattr(spreadsheet_read, "SCAN_CHUNK", chunk)
    rows = [["序号", "重点任务", "牵头单位", "责任领导"]]
    rows += [
        [i, f"任务{i}", '="市科技局"' if i % 7 == 0 else "市科技局", "市领导甲" if i % 3 == 1 else None]
        for i in range(1, 40)
    ]
    merges = [f"D{r}:D{r + 2}" for r in range(2, 41, 3)]
    sheet = read_task_list(xlsx_bytes(rows, merges), "list.xlsx")

    refused = [(p.row, p.column) for p in errors(sheet) if "公式" in p.message]
    assert refused == [(i + 1, "C") for i in range(7, 40, 7)]
    assert all(r.leader == "市领导甲" for r in sheet.rows)


def test_it_skips_a_blank_row_inside_a_merged_range():
    rows = [
        ["序号", "重点任务", "牵头单位", "责任领导"],
        [1, "任务甲", "市科技局", "市领导甲"],
        [],
        [2, "任务乙", "市财政局", None],
    ]
    sheet = read_task_list(xlsx_bytes(rows, ["D2:D4"]), "list.xlsx")

    assert sheet.problems == []
    assert [(r.number, r.leader) for r in sheet.rows] == [("1", "市领导甲"), ("2", "市领导甲")]


def test_it_reads_headings_written_in_the_number_and_title_columns():
    rows = [
        ["序号", "重点任务", "牵头单位", "完成时限"],
        ["一", "项目招商", None, None],
        [1, "头部企业招商", "市商务局", "年底前"],
        [None, "基础设施建设（3项）", None, None],
        [2, "环岛道路", "市城建局", "年底前"],
        ["第二部分", None, None, None],
        [3, "征地", "金水区政府", "年底前"],
    ]
    sheet = read_task_list(xlsx_bytes(rows), "list.xlsx")

    assert [(r.number, r.category) for r in sheet.rows] == [
        ("1", "项目招商"),
        ("2", "基础设施建设"),
        ("3", "第二部分"),
    ]
    # a lone title without a number is taken as a heading, but the person is told
    assert [(p.row, p.column, p.level) for p in sheet.problems] == [(4, "B", "warning")]
