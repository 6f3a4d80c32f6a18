"""Task tables in Word documents are read like spreadsheets: headers, merged cells, category rows, numbering."""

from tuijin.lib.spreadsheet import ParsedSheet, read_task_list
from tuijin.lib.tests.documents import DocTable, docx_bytes, notice, split_table, task_table

TASKS = [
    "一、项目招商",
    {"number": 1, "title": "头部企业招商", "target": "签约5家", "lead": "市商务局", "supporting": ["市发展改革委", "市科技局"], "leader": "市领导甲", "limit": "6月底前"},
    {"number": 2, "title": "人才公寓配租", "lead": "市住房保障局", "supporting": "市人社局", "leader": "市领导乙", "limit": "9月上旬"},
    "二、基础设施",
    {"number": 3, "title": "道路建设", "lead": "市城建局", "leader": "市领导乙", "limit": "6月底前完成主干道，年底前全部通车"},
    {"number": "3.1", "title": "主干道", "lead": "市城建局", "limit": "6月底前"},
    {"number": 4, "title": "综合管廊", "lead": "市城建局", "supporting": "郑东新区管委会", "limit": "持续推进"},
]  # fmt: skip


def table_rows(sheet: ParsedSheet) -> list[tuple]:
    return [
        (
            r.where,
            r.number,
            r.parent_number,
            r.category,
            r.title,
            r.lead_units,
            r.supporting_units,
            r.limit_text,
        )
        for r in sheet.rows
    ]


def errors(sheet: ParsedSheet) -> list:
    return [p for p in sheet.problems if p.level == "error"]


def test_it_reads_a_table_with_a_merged_two_level_header_and_category_rows():
    sheet = read_task_list(notice(attachment=task_table(TASKS)), "方案.docx")

    assert errors(sheet) == [] and not sheet.needs_mapping
    assert sheet.headers["D"] == "责任分工/牵头单位" and sheet.headers["E"] == "责任分工/配合单位"
    assert sheet.mapping["lead_units"] == "D" and sheet.mapping["limit_text"] == "H"
    assert table_rows(sheet) == [
        ("表1第4行", "1", None, "项目招商", "头部企业招商", ["市商务局"], ["市发展改革委", "市科技局"], "6月底前"),
        ("表1第5行", "2", None, "项目招商", "人才公寓配租", ["市住房保障局"], ["市人社局"], "9月上旬"),
        ("表1第7行", "3", None, "基础设施", "道路建设", ["市城建局"], [], "6月底前完成主干道，年底前全部通车"),
        ("表1第8行", "3.1", "3", "基础设施", "主干道", ["市城建局"], [], "6月底前"),
        ("表1第9行", "4", None, "基础设施", "综合管廊", ["市城建局"], ["郑东新区管委会"], "持续推进"),
    ]  # fmt: skip
    assert (sheet.rows[0].leader, sheet.rows[0].target) == ("市领导甲", "签约5家")


def test_it_joins_a_table_continued_on_the_next_page_with_its_header_repeated():
    first, second = split_table(task_table(TASKS), 5, header_rows=2)

    sheet = read_task_list(notice(attachment=[first, "续表", second]), "方案.docx")

    assert errors(sheet) == []
    assert [(r.where, r.number, r.category) for r in sheet.rows] == [
        ("表1第4行", "1", "项目招商"),
        ("表1第5行", "2", "项目招商"),
        ("表2第4行", "3", "基础设施"),
        ("表2第5行", "3.1", "基础设施"),
        ("表2第6行", "4", "基础设施"),
    ]


def test_it_joins_a_continuation_table_without_a_header_of_the_same_width():
    first, second = split_table(task_table(TASKS), 6)

    sheet = read_task_list(notice(attachment=[first, second]), "方案.docx")

    assert errors(sheet) == []
    assert [r.number for r in sheet.rows] == ["1", "2", "3", "3.1", "4"]
    assert sheet.rows[2].where == "表2第1行" and sheet.rows[2].category == "基础设施"


def test_it_does_not_join_an_unrelated_table_that_follows():
    contacts = DocTable([["单位", "联系人", "电话"], ["市商务局", "张伟", "0371-67180000"]])

    sheet = read_task_list(notice(attachment=[task_table(TASKS), "附件2", contacts]), "方案.docx")

    assert errors(sheet) == [] and len(sheet.rows) == 5


def test_it_copies_vertically_merged_cells_into_every_row():
    table = DocTable(
        [
            ["序号", "工作任务", "牵头单位", "配合单位", "责任领导", "完成时限"],
            ["1", "头部企业招商", "市商务局", "市科技局", "市领导甲", "6月底前"],
            ["2", "人才公寓配租", None, None, None, "9月上旬"],
            ["3", "道路建设", "市城建局", None, "市领导乙", "年底前"],
        ],
        merges=[(1, 2, 2, 2), (1, 4, 2, 4)],  # 牵头单位 and 责任领导 of tasks 1 and 2 in one cell each
    )

    sheet = read_task_list(docx_bytes([table]), "list.docx")

    assert [(r.number, r.lead_units, r.supporting_units, r.leader) for r in sheet.rows] == [
        ("1", ["市商务局"], ["市科技局"], "市领导甲"),
        ("2", ["市商务局"], [], "市领导甲"),
        ("3", ["市城建局"], [], "市领导乙"),
    ]


def test_it_names_the_table_and_row_of_a_problem_and_quotes_the_row():
    tasks = [{"number": 1, "title": "头部企业招商", "lead": "市商务局", "limit": "6月底前"},
             {"number": 2, "title": "人才公寓配租", "lead": None, "limit": "9月上旬"}]  # fmt: skip

    sheet = read_task_list(docx_bytes(["附件1", task_table(tasks, layout="simple")]), "list.docx")

    problem = errors(sheet)[0]
    assert problem.where == "表1第3行" and problem.field == "lead_units"
    assert "表1第3行" in problem.message and "人才公寓配租" in problem.quote


def test_it_asks_which_column_is_which_when_the_only_table_has_no_known_header():
    table = DocTable([["甲", "乙", "丙", "丁"], ["1", "头部企业招商", "市商务局", "6月底前"]])
    data = docx_bytes(["2021年重点任务清单", table])

    sheet = read_task_list(data, "list.docx")
    assert sheet.needs_mapping and sheet.headers == {"A": "甲", "B": "乙", "C": "丙", "D": "丁"}

    mapped = read_task_list(
        data, "list.docx", mapping={"number": "A", "title": "B", "lead_units": "C", "limit_text": "D"}
    )
    assert not mapped.needs_mapping and errors(mapped) == []
    assert [(r.number, r.title, r.lead_units, r.limit_text) for r in mapped.rows] == [
        ("1", "头部企业招商", ["市商务局"], "6月底前")
    ]
    assert mapped.title == "2021年重点任务清单"
