"""Lists of the same family laid out otherwise: merged two-level headers with category rows, a CSV with
one 责任单位 column, a 类别 column."""

import datetime

import pytest

from tuijin.lib.tests.sheets import task_list
from tuijin.org.models import Unit
from tuijin.tasks.importing import commit_import, preview_import
from tuijin.tasks.models import Task, TaskUnit

D = datetime.date
UNIT_NAMES = ["市商务局", "市科技局", "市发展改革委", "市城建局", "郑东新区管委会", "金水区政府"]


@pytest.fixture
def units(db):
    return {name: Unit.objects.create(name=name) for name in UNIT_NAMES}


def run(data: bytes, filename: str, plan_name: str = "清单"):
    preview = preview_import(source=data, filename=filename, plan_name=plan_name, year=2021)
    assert not preview.errors, [p.as_line() for p in preview.errors]
    commit_import(actor=None, preview=preview)
    return preview


def lead_and_support(task: Task) -> tuple[list[str], list[str]]:
    rows = list(task.task_units.order_by("role", "position").values_list("role", "unit__name"))
    return [n for r, n in rows if r == TaskUnit.LEAD], [n for r, n in rows if r == TaskUnit.SUPPORT]


TWO_LEVEL = [
    "一、项目招商",
    {"number": 1, "title": "头部企业招商", "target": "签约5家", "lead": "市商务局", "supporting": ["市科技局", "市发展改革委"],
     "leader": "市领导甲", "limit": "6月底前"},
    {"number": "（1）", "title": "定向招商", "lead": "市商务局", "limit": "3月底前"},
    {"number": "（2）", "title": "与创投机构合作招商", "lead": "市商务局", "supporting": "市科技局", "limit": "上半年"},
    "二、基础设施建设",
    {"number": 2, "title": "环岛道路建设", "lead": "郑东新区管委会", "supporting": "市城建局",
     "limit": "6月底前完成主体工程；12月底前全部建成"},
    {"number": "（1）", "title": "管廊主体", "lead": "郑东新区管委会", "limit": D(2021, 6, 30)},
    {"number": 3, "title": "企业诉求办理", "lead": "金水区政府", "limit": "每月25日前"},
]  # fmt: skip


def test_it_reads_a_merged_two_level_header_with_category_rows_and_sub_items(units):
    run(task_list(TWO_LEVEL, layout="two_level"), "two-level.xlsx")

    tasks = list(Task.objects.order_by("sort_key"))
    assert [(t.number, t.category) for t in tasks] == [
        ("1", "项目招商"), ("(1)", "项目招商"), ("(2)", "项目招商"),
        ("2", "基础设施建设"), ("(1)", "基础设施建设"), ("3", "基础设施建设"),
    ]  # fmt: skip
    by_title = {t.title: t for t in tasks}
    assert by_title["定向招商"].parent == by_title["头部企业招商"]
    assert by_title["管廊主体"].parent == by_title["环岛道路建设"]
    assert by_title["企业诉求办理"].parent is None
    assert lead_and_support(by_title["头部企业招商"]) == (["市商务局"], ["市科技局", "市发展改革委"])
    assert lead_and_support(by_title["环岛道路建设"]) == (["郑东新区管委会"], ["市城建局"])
    assert by_title["管廊主体"].deadline == D(2021, 6, 30)  # a real Excel date
    assert by_title["环岛道路建设"].milestones.count() == 2
    assert (by_title["企业诉求办理"].cadence_period, by_title["企业诉求办理"].cadence_day) == ("monthly", 25)


def test_it_matches_sub_items_under_their_own_parent_on_re_import(units):
    data = task_list(TWO_LEVEL, layout="two_level")
    run(data, "two-level.xlsx")

    again = preview_import(source=data, filename="two-level.xlsx", plan_name="清单", year=2021)

    assert again.new_count == 0 and again.unchanged_count == 6
    assert {r.key for r in again.rows} == {"1", "1/(1)", "1/(2)", "2", "2/(1)", "3"}


def test_it_reads_a_csv_with_one_responsible_column(units):
    tasks = [
        {"number": 1, "title": "金融岛招商", "units": "市商务局、市科技局、市发展改革委", "leader": "市领导甲", "limit": "9月上旬"},
        {"number": 2, "title": "道路建设", "units": "市城建局（牵头），郑东新区管委会", "limit": "三季度"},
        {"number": 3, "title": "诉求办理", "units": "金水区政府", "limit": "长期坚持"},
    ]  # fmt: skip
    run(task_list(tasks, layout="responsible", csv_encoding="gb18030"), "responsible.csv")

    first, second, third = Task.objects.order_by("sort_key")
    assert lead_and_support(first) == (["市商务局"], ["市科技局", "市发展改革委"])  # first listed leads
    assert lead_and_support(second) == (["市城建局"], ["郑东新区管委会"])
    assert lead_and_support(third) == (["金水区政府"], [])
    assert first.deadline == D(2021, 9, 10)
    assert second.deadline == D(2021, 9, 30)
    assert third.limit_kind == "continuing"


def test_it_reads_a_category_column_and_dotted_numbers(units):
    tasks = [
        {"number": "1", "category": "科技创新", "title": "平台引进", "lead": "市科技局", "limit": "年底前"},
        {"number": "1.1", "category": "科技创新", "title": "省级平台", "lead": "市科技局", "limit": "10月底前"},
        {"number": "1.2", "category": "科技创新", "title": "国家级平台", "lead": "市科技局", "limit": "十月底前"},
        {"number": "2", "category": "营商环境", "title": "诉求办理", "lead": "金水区政府", "supporting": "市商务局",
         "limit": "15个工作日内"},
    ]  # fmt: skip
    run(task_list(tasks, layout="with_category"), "category.xlsx")

    tasks = {t.number: t for t in Task.objects.all()}
    assert tasks["1.2"].parent == tasks["1"] and tasks["1.2"].category == "科技创新"
    assert tasks["1.2"].deadline == D(2021, 10, 31)
    assert tasks["2"].relative_workdays == 15 and tasks["2"].deadline is not None
    assert [t.number for t in Task.objects.order_by("sort_key")] == ["1", "1.1", "1.2", "2"]
