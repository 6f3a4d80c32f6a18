"""Numbered paragraphs with responsibility trailers: units, time limits, titles, hierarchy and problems."""

import pytest

from tuijin.lib.document_trailer import derive_title, find_limits, read_trailer, split_trailer
from tuijin.lib.spreadsheet import ParsedSheet, read_task_list
from tuijin.lib.tests.documents import (
    PARAGRAPH_EXPECTED,
    PARAGRAPH_PLAN,
    Numbered,
    docx_bytes,
    notice,
)


def rows(sheet: ParsedSheet) -> list[tuple]:
    return [
        (r.number, r.title, r.lead_units, r.supporting_units, r.limit_text, r.parent_number, r.category)
        for r in sheet.rows
    ]


def problems(sheet: ParsedSheet, level: str = "error") -> list:
    return [p for p in sheet.problems if p.level == level]


def read(paragraphs: list[str]) -> ParsedSheet:
    return read_task_list(notice(paragraphs), "方案.docx")


def test_it_reads_items_their_sub_items_and_the_headings_above_them():
    sheet = read(PARAGRAPH_PLAN)

    assert sheet.problems == []
    assert rows(sheet) == PARAGRAPH_EXPECTED
    first = sheet.rows[0]
    assert first.target == PARAGRAPH_PLAN[5].split(".", 1)[1]  # the whole item, trailer included
    assert first.where.startswith("第") and first.where.endswith("段")
    assert sheet.unit_convention == "marked" and not sheet.needs_mapping


def test_it_skips_the_notice_around_the_list_and_sections_without_any_trailer():
    sheet = read(PARAGRAPH_PLAN)

    titles = {r.title for r in sheet.rows}
    assert not any("指导思想" in t or "组织领导" in t or "督查考核" in t for t in titles)
    assert "各区县（市）" not in str(sheet.problems)  # the addressee line is not an item


def test_it_reads_the_document_number_and_the_notice_title():
    sheet = read(PARAGRAPH_PLAN)

    assert sheet.source_ref == "郑政办〔2021〕12号"
    assert sheet.title == "郑州市人民政府办公厅关于印发《2021年中原科技城建设重点工作任务分解方案》的通知"


@pytest.mark.parametrize(
    "written, expected",
    [
        ("郑政办〔2021〕12号", "郑政办〔2021〕12号"),
        ("郑政办[2021]12号", "郑政办〔2021〕12号"),
        ("郑政办［2021］ 12 号", "郑政办〔2021〕12号"),
        ("郑政文（2021）3号", "郑政文〔2021〕3号"),
    ],
)
def test_it_reads_the_document_number_in_its_variants(written, expected):
    assert read_task_list(notice(PARAGRAPH_PLAN, number=written), "a.docx").source_ref == expected


def test_a_number_cited_in_the_text_is_not_the_document_number():
    plan = ["根据《河南省人民政府关于…的意见》（豫政〔2020〕3号）精神，制定本方案。", *PARAGRAPH_PLAN]

    assert read_task_list(notice(plan, number=None), "a.docx").source_ref == ""


@pytest.mark.parametrize(
    "trailer, lead, supporting",
    [
        ("（市科技局牵头，市财政局、郑东新区管委会配合）", ["市科技局"], ["市财政局", "郑东新区管委会"]),
        ("(市科技局牵头,市财政局配合)", ["市科技局"], ["市财政局"]),
        ("（责任单位：市发展改革委）", ["市发展改革委"], []),
        ("（责任单位：市发展改革委、市财政局）", ["市发展改革委"], ["市财政局"]),
        ("（市商务局负责）", ["市商务局"], []),
        ("（市商务局、市科技局牵头，市财政局参与）", ["市商务局", "市科技局"], ["市财政局"]),
        ("（牵头单位：市科技局；配合单位：市财政局、市商务局）", ["市科技局"], ["市财政局", "市商务局"]),
        ("（市科技局、市财政局）", ["市科技局"], ["市财政局"]),
        ("（由市科技局牵头负责，市财政局等单位配合）", ["市科技局"], ["市财政局"]),
    ],
)
def test_it_reads_the_usual_trailers(trailer, lead, supporting):
    sheet = read([f"1.建设创新孵化基地，10月底前完成。{trailer}"])

    assert problems(sheet) == []
    assert (sheet.rows[0].lead_units, sheet.rows[0].supporting_units) == (lead, supporting)


def test_parentheses_that_assign_no_one_are_not_a_trailer():
    assert read_trailer("（含郑东新区）") is None
    assert read_trailer("（2021年）") is None
    assert split_trailer("建设基地。") is None


def test_a_time_limit_inside_the_trailer_is_read_as_a_time_limit():
    sheet = read(["1.建设创新孵化基地。（市科技局牵头，2021年6月底前完成）"])

    assert sheet.rows[0].lead_units == ["市科技局"] and sheet.rows[0].limit_text == "2021年6月底前"


def test_a_group_of_units_as_the_only_responsibility_asks_for_a_choice():
    sheet = read(["1.推进园区建设，年底前完成。（各区县（市）按职责分工负责）"])

    (problem,) = problems(sheet)
    assert "各区县（市）" in problem.message and "具体" in problem.message
    assert (
        problem.where.endswith("段")
        and problem.quote == "1.推进园区建设，年底前完成。（各区县（市）按职责分工负责）"
    )
    assert sheet.rows[0].lead_units == []  # never guessed


def test_a_group_beside_a_concrete_lead_is_not_imported_and_is_named():
    sheet = read(["1.引进研发机构，年底前完成。（市科技局牵头，各开发区、市直各部门配合）"])

    assert problems(sheet) == []
    (warning,) = problems(sheet, "warning")
    assert "各开发区" in warning.message and "市直各部门" in warning.message
    assert (sheet.rows[0].lead_units, sheet.rows[0].supporting_units) == (["市科技局"], [])


def test_an_unreadable_trailer_is_a_problem_quoting_its_paragraph():
    sheet = read(PARAGRAPH_PLAN[:6] + ["2.开展产业招商，年底前完成。（有关单位负责）"])

    (problem,) = problems(sheet)
    assert problem.quote == "2.开展产业招商，年底前完成。（有关单位负责）"
    assert problem.where == sheet.rows[1].where and "（有关单位负责）" in problem.message
    assert problem.row == sheet.rows[1].row  # so the preview marks the task red


def test_an_item_without_a_trailer_among_tasks_is_a_problem():
    sheet = read(PARAGRAPH_PLAN[:6] + ["2.开展产业招商，年底前完成。"])

    (problem,) = problems(sheet)
    assert problem.quote == "2.开展产业招商，年底前完成。" and problem.where.endswith("段")
    assert [r.number for r in sheet.rows] == ["1"]


def test_an_item_whose_sub_items_have_no_trailer_either_is_a_problem():
    plan = PARAGRAPH_PLAN[:6] + ["（二）推进人才安居工程", "1.筹集人才公寓。", "2.完善配租办法。"]

    (problem,) = problems(read(plan))
    assert problem.quote == "（二）推进人才安居工程" and "子项" in problem.message


def test_the_trailer_may_stand_in_the_next_paragraph():
    sheet = read(
        [
            "1.建设创新孵化基地，10月底前完成。",
            "（市科技局牵头，市财政局配合）",
            "2.开展招商。（市商务局负责）",
        ]
    )

    assert problems(sheet) == []
    assert [(r.number, r.lead_units, r.supporting_units) for r in sheet.rows] == [
        ("1", ["市科技局"], ["市财政局"]),
        ("2", ["市商务局"], []),
    ]


def test_an_item_with_its_own_trailer_and_sub_items_is_a_parent_task():
    plan = [
        "一、建设创新孵化基地，年底前投入使用。（市科技局牵头，市财政局配合）",
        "（一）完成主体工程，6月底前完成。",
        "（二）完成装修，9月底前完成。（郑东新区管委会负责）",
    ]

    assert rows(read(plan)) == [
        ("一", "建设创新孵化基地", ["市科技局"], ["市财政局"], "年底前", None, ""),
        ("(一)", "完成主体工程", ["市科技局"], ["市财政局"], "6月底前", "一", ""),
        ("(二)", "完成装修", ["郑东新区管委会"], [], "9月底前", "一", ""),
    ]


def test_numbers_restarting_under_each_heading_get_the_heading_in_front():
    plan = [
        "一、项目招商",
        "1.招引头部企业，年底前完成。（市商务局负责）",
        "2.招引研发机构，年底前完成。（市科技局负责）",
        "二、基础设施",
        "1.建设道路，年底前完成。（市城建局负责）",
    ]

    assert [r.number for r in read(plan).rows] == ["一1", "一2", "二1"]


def test_it_reads_numbers_that_word_draws_itself():
    data = docx_bytes(
        [
            Numbered("建设创新孵化基地，6月底前完成。（市科技局牵头）"),
            Numbered("引进研发机构。（市商务局负责）"),
        ]
    )

    sheet = read_task_list(data, "a.docx")

    assert [(r.number, r.title, r.lead_units) for r in sheet.rows] == [
        ("1", "建设创新孵化基地", ["市科技局"]),
        ("2", "引进研发机构", ["市商务局"]),
    ]


@pytest.mark.parametrize(
    "text, limits",
    [
        ("建设基地，2021年10月底前完成。", ["2021年10月底前"]),
        ("6月底前完成主体，年底前投入使用", ["6月底前", "年底前"]),
        ("持续推进营商环境优化", ["持续推进"]),
        ("力争年底前引进60家", ["年底前"]),
        ("二季度末前完成", ["二季度末前"]),
        ("9月上旬完成，每月28日前报送进展", ["9月上旬", "每月28日前"]),
        ("3月至6月底前完成", ["3月至6月底前"]),
        ("自5月1日起施行", []),
        ("建设10个月", []),
        ("2022年建成投用", ["2022年"]),
    ],
)
def test_it_finds_time_limits_anywhere_in_the_text(text, limits):
    assert find_limits(text) == limits


@pytest.mark.parametrize(
    "text, title",
    [
        ("建设中原科技城创新孵化基地，2021年10月底前完成主体工程。", "建设中原科技城创新孵化基地"),
        ("围绕主导产业，引进头部企业10家，年底前完成。", "围绕主导产业，引进头部企业10家"),
        ("加快创新平台建设。围绕……", "加快创新平台建设"),
        ("筹集人才公寓，6月底前完成配租。", "筹集人才公寓"),
    ],
)
def test_it_takes_the_first_clause_as_the_title(text, title):
    assert derive_title(text) == title


def test_a_title_is_at_most_60_characters():
    assert len(derive_title("推进" + "中原科技城" * 20 + "建设。")) <= 60


def test_it_reads_a_document_mixing_paragraph_items_and_an_attached_table():
    from tuijin.lib.tests.documents import task_table

    table = task_table([{"number": 1, "title": "头部企业招商", "lead": "市商务局", "limit": "6月底前"},
                        {"number": "1.1", "title": "定向招商", "lead": "市商务局", "limit": "3月底前"}])  # fmt: skip

    sheet = read_task_list(notice(PARAGRAPH_PLAN, attachment=table), "方案.docx")

    assert problems(sheet) == []
    assert [(r.number, r.parent_number) for r in sheet.rows] == [
        *[(n, parent) for n, *_x, parent, _c in PARAGRAPH_EXPECTED],
        ("附件1-1", None),  # the table counts from 1 again: its attachment goes in front
        ("附件1-1.1", "附件1-1"),
    ]
    assert sheet.rows[-1].where == "表1第4行" and sheet.mapping["title"] == "B"


def test_a_document_without_any_task_says_so():
    sheet = read_task_list(docx_bytes(["关于开展安全检查的通知", "各单位要高度重视。"]), "a.docx")

    (problem,) = problems(sheet)
    assert "没有找到任务" in problem.message and sheet.rows == []


@pytest.mark.parametrize(
    "paragraph, number",
    [
        ("1.建设基地。（市科技局负责）", "1"),
        ("1、建设基地。（市科技局负责）", "1"),
        ("１．建设基地。（市科技局负责）", "1"),
        ("1000.建设基地。（市科技局负责）", "1000"),
        ("（1）建设基地。（市科技局负责）", "(1)"),
        ("(12)建设基地。（市科技局负责）", "(12)"),
        ("⑵建设基地。（市科技局负责）", "(2)"),
        ("③建设基地。（市科技局负责）", "③"),
        ("十二、建设基地。（市科技局负责）", "十二"),
        ("（十二）建设基地。（市科技局负责）", "(十二)"),
    ],
)
def test_it_recognises_the_numbering_of_every_level(paragraph, number):
    assert [r.number for r in read([paragraph]).rows] == [number]


def test_a_paragraph_with_a_trailer_but_no_number_is_named_not_imported():
    sheet = read(["1.5亿元专项资金年底前拨付到位。（市财政局负责）"])  # 1.5 is a figure, not a number

    (warning,) = problems(sheet, "warning")
    assert sheet.rows == [] and "没有编号" in warning.message and warning.quote.startswith("1.5亿元")


def test_it_reads_a_chinese_outline_that_word_numbers_itself():
    data = docx_bytes(
        [
            Numbered("重点任务", 0),
            Numbered("加快创新平台建设", 1),
            Numbered("建设孵化基地，6月底前完成。（市科技局牵头）", 2),
            Numbered("引进研发机构。（市商务局负责）", 2),
            Numbered("推进人才安居", 1),
            Numbered("筹集人才公寓，年底前完成。（市住房保障局负责）", 2),
            Numbered("保障措施", 0),
            Numbered("加强组织领导。", 1),
        ]
    )

    sheet = read_task_list(data, "a.docx")

    assert sheet.problems == []
    # Word restarts “1.” under each （一）, so the heading's number goes in front
    assert [(r.number, r.category, r.title) for r in sheet.rows] == [
        ("(一)1", "加快创新平台建设", "建设孵化基地"),
        ("(一)2", "加快创新平台建设", "引进研发机构"),
        ("(二)1", "推进人才安居", "筹集人才公寓"),
    ]


def test_it_reads_responsibility_written_as_labelled_lines_under_the_item():
    sheet = read(
        [
            "1.建设中原科技城创新孵化基地。",
            "牵头单位：市科技局",
            "配合单位：市财政局、郑东新区管委会",
            "完成时限：6月底前完成主体，年底前投入使用",
            "责任领导：市领导甲",
            "2.引进研发机构，年底前完成。责任单位：市商务局、市科技局。",
        ]
    )

    assert sheet.problems == []
    first, second = sheet.rows
    assert (first.lead_units, first.supporting_units, first.leader) == (
        ["市科技局"],
        ["市财政局", "郑东新区管委会"],
        "市领导甲",
    )
    assert first.limit_text == "6月底前完成主体，年底前投入使用"  # a 完成时限 line is taken as written
    assert first.target.endswith("责任领导：市领导甲") and sheet.mapping["leader"] == ""
    assert (second.title, second.lead_units, second.supporting_units) == (
        "引进研发机构",
        ["市商务局"],
        ["市科技局"],
    )
