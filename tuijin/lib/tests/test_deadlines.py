import calendar
import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuijin.lib.deadlines import Cadence, Milestone, ParsedLimit, chinese_to_int, parse_limit

Y = 2021
SAMPLE = Path(__file__).resolve().parents[2] / "tasks" / "tests" / "data" / "core-sectors-2021-sample.xlsx"
CN = "〇一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def cn(n: int) -> str:
    """28 -> 二十八, 10 -> 十, 11 -> 十一: how months and days are written in Chinese."""
    if n < 10:
        return CN[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[units] if units else "")


def d(month: int, day: int, year: int = Y) -> datetime.date:
    return datetime.date(year, month, day)


def month_end(month: int, year: int = Y) -> datetime.date:
    return d(month, calendar.monthrange(year, month)[1], year)


def deadline(text: str, year: int = Y) -> datetime.date | None:
    result = parse_limit(text, year)
    assert not result.ambiguous, result.message
    return result.deadline


# --- the sample list --------------------------------------------------------------------------------


def test_it_parses_every_cell_of_the_sample_list_as_its_readme_says():
    import openpyxl

    sheet = openpyxl.load_workbook(SAMPLE, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and "进度安排" in r)
    column = header.index("进度安排")
    cells = {r[0]: r[column] for r in rows[rows.index(header) + 1 :] if r and r[0]}
    results = {number: parse_limit(text, Y) for number, text in cells.items()}

    assert not any(r.ambiguous for r in results.values())
    assert results[1].kind == "milestones"
    assert [m.date for m in results[1].milestones] == [d(6, 30), d(12, 31)]
    assert "管廊主体" in results[1].milestones[0].text
    assert results[2].deadline == d(11, 30)
    assert results[3].deadline == d(12, 31)
    assert results[4].kind == "cadence"
    assert results[4].cadence == Cadence("monthly", 28)
    assert results[4].deadline == d(12, 31)
    assert results[5].deadline == d(6, 30)
    assert results[6].deadline == d(9, 10)
    assert results[7].kind == "continuing"
    assert results[7].deadline is None


# --- month ends ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("6月底前", d(6, 30)),
        ("6月底", d(6, 30)),
        ("6月末", d(6, 30)),
        ("六月底前", d(6, 30)),
        ("十月底前", d(10, 31)),
        ("十一月底", d(11, 30)),
        ("十二月末", d(12, 31)),
        ("2月底前", d(2, 28)),
        ("６月底前", d(6, 30)),
        ("10月份完成", d(10, 31)),
        ("力争8月底前完成", d(8, 31)),
    ],
)
def test_it_reads_a_month_end_with_arabic_chinese_or_full_width_numerals(text, expected):
    assert deadline(text) == expected


def test_it_reads_february_of_a_leap_year_as_the_29th():
    assert deadline("2月底", 2024) == d(2, 29, 2024)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021年11月", d(11, 30)),
        ("2021年11月底前", d(11, 30)),
        ("2022年3月底", d(3, 31, 2022)),
        ("二〇二一年十一月", d(11, 30)),
        ("2021.6", d(6, 30)),
        ("2021-06", d(6, 30)),
        ("2021/6", d(6, 30)),
        ("明年6月底", d(6, 30, 2022)),
        ("今年9月底前", d(9, 30)),
    ],
)
def test_it_reads_a_year_and_month_as_the_end_of_that_month(text, expected):
    assert deadline(text) == expected


# --- exact dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021年9月30日", d(9, 30)),
        ("2021年9月30日前", d(9, 30)),
        ("二〇二一年九月三十日", d(9, 30)),
        ("２０２１年９月３０日", d(9, 30)),
        ("2021.9.30", d(9, 30)),
        ("2021-09-30", d(9, 30)),
        ("2021/9/30", d(9, 30)),
        ("2021-09-30 00:00:00", d(9, 30)),
        ("2022年1月15日", d(1, 15, 2022)),
        ("9月30日前", d(9, 30)),
        ("9月30日", d(9, 30)),
        ("9月30号", d(9, 30)),
        ("九月三十日前", d(9, 30)),
        ("十月二十八日以前", d(10, 28)),
        ("3月1日之前完成", d(3, 1)),
        ("12月31日24时前", d(12, 31)),
    ],
)
def test_it_reads_an_exact_date_in_any_common_spelling(text, expected):
    assert deadline(text) == expected


# --- year, halves, quarters, ten-day periods ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "年底前",
        "年底",
        "年内",
        "年末",
        "全年",
        "12月底前",
        "年内竣工",
        "2021年底",
        "今年内",
        "年度内",
        "2021年",
    ],
)
def test_it_reads_year_end_phrases_as_31_december(text):
    assert deadline(text) == d(12, 31)


def test_it_reads_a_year_end_of_next_year():
    assert deadline("2022年底前") == d(12, 31, 2022)


@pytest.mark.parametrize(
    "text, expected", [("上半年", d(6, 30)), ("下半年", d(12, 31)), ("2022年上半年", d(6, 30, 2022))]
)
def test_it_reads_halves_of_the_year(text, expected):
    assert deadline(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一季度", d(3, 31)),
        ("第一季度", d(3, 31)),
        ("1季度", d(3, 31)),
        ("Q1", d(3, 31)),
        ("二季度末", d(6, 30)),
        ("第2季度", d(6, 30)),
        ("三季度前", d(9, 30)),
        ("前三季度", d(9, 30)),
        ("q3", d(9, 30)),
        ("Ｑ３", d(9, 30)),
        ("四季度", d(12, 31)),
        ("第四季度末", d(12, 31)),
        ("2022年一季度", d(3, 31, 2022)),
    ],
)
def test_it_reads_quarters_as_quarter_ends(text, expected):
    assert deadline(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("9月上旬", d(9, 10)),
        ("九月上旬", d(9, 10)),
        ("9月中旬", d(9, 20)),
        ("9月下旬", d(9, 30)),
        ("2月下旬", d(2, 28)),
        ("十二月中旬前", d(12, 20)),
        ("9月中下旬", d(9, 30)),
    ],
)
def test_it_reads_ten_day_periods_as_the_10th_20th_and_month_end(text, expected):
    assert deadline(text) == expected


# --- several nodes ------------------------------------------------------------------------------------


def test_it_splits_dated_nodes_and_keeps_each_fragment():
    result = parse_limit("6月底前完成管廊主体，年底前全部完工", Y)
    assert result.kind == "milestones"
    assert result.milestones == (
        Milestone(d(6, 30), "6月底前完成管廊主体"),
        Milestone(d(12, 31), "年底前全部完工"),
    )
    assert result.deadline == d(12, 31)
    assert not result.ambiguous


@pytest.mark.parametrize("separator", ["，", ",", "；", ";", "。", "、", "\n", "\r\n", " ", ""])
def test_it_splits_nodes_on_any_separator_or_none(separator):
    result = parse_limit(f"3月底前完成方案{separator}9月底前开工{separator}十二月底前建成", Y)
    assert [m.date for m in result.milestones] == [d(3, 31), d(9, 30), d(12, 31)]
    assert [m.text for m in result.milestones] == ["3月底前完成方案", "9月底前开工", "十二月底前建成"]


def test_it_sorts_milestones_written_out_of_order():
    result = parse_limit("年底前全部完工；6月底前完成主体", Y)
    assert [m.date for m in result.milestones] == [d(6, 30), d(12, 31)]
    assert result.deadline == d(12, 31)


def test_it_attaches_undated_text_to_the_neighbouring_node():
    result = parse_limit("完成前期手续，6月底前开工；年底前主体完工，投入使用", Y)
    assert [m.text for m in result.milestones] == ["完成前期手续，6月底前开工", "年底前主体完工，投入使用"]


def test_it_takes_only_the_end_of_a_range():
    assert parse_limit("3月至6月底", Y).milestones == (Milestone(d(6, 30), "3月至6月底"),)
    assert deadline("1-6月") == d(6, 30)


# --- cadence ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cadence",
    [
        ("每月", Cadence("monthly", None)),
        ("每月28日前", Cadence("monthly", 28)),
        ("每月二十八日前", Cadence("monthly", 28)),
        ("每月25日前报送", Cadence("monthly", 25)),
        ("每月底", Cadence("monthly", 31)),
        ("按月报送", Cadence("monthly", None)),
        ("每季度", Cadence("quarterly", None)),
        ("每季度末", Cadence("quarterly", None)),
        ("每周", Cadence("weekly", None)),
        ("每周二前", Cadence("weekly", 2)),
        ("每周2前", Cadence("weekly", 2)),
        ("每周五下班前", Cadence("weekly", 5)),
        ("每周日", Cadence("weekly", 7)),
        ("每周一次", Cadence("weekly", None)),
        ("每年", Cadence("yearly", None)),
    ],
)
def test_it_reads_a_recurring_cadence_due_by_year_end(text, cadence):
    result = parse_limit(text, Y)
    assert (result.kind, result.cadence, result.deadline) == ("cadence", cadence, d(12, 31))
    assert not result.ambiguous
    assert result.milestones == ()


def test_it_keeps_both_the_cadence_and_the_final_date():
    result = parse_limit("每月28日前报送进展，年底前完成", Y)
    assert result.kind == "cadence"
    assert result.cadence == Cadence("monthly", 28)
    assert result.milestones == (Milestone(d(12, 31), "年底前完成"),)
    assert result.deadline == d(12, 31)


def test_it_uses_the_stated_date_as_deadline_of_a_cadence():
    result = parse_limit("每周二前报送，9月底前完成", Y)
    assert (result.kind, result.deadline) == ("cadence", d(9, 30))


def test_it_flags_two_different_cadences():
    result = parse_limit("每月报送，每季度总结", Y)
    assert result.cadence == Cadence("monthly", None)
    assert result.ambiguous and "每季度" in result.message


# --- continuing, relative, empty ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["持续推进", "长期坚持", "长期", "持续", "常态化", "长期推进", "常态化开展"])
def test_it_reads_continuing_phrases_as_having_no_deadline(text):
    result = parse_limit(text, Y)
    assert (result.kind, result.deadline, result.ambiguous, result.message) == ("continuing", None, False, "")


@pytest.mark.parametrize(
    "text, workdays, days",
    [
        ("5个工作日内", 5, None),
        ("五个工作日内", 5, None),
        ("10个工作日", 10, None),
        ("３个工作日以内办结", 3, None),
        ("15日内", None, 15),
        ("三十天内", None, 30),
        ("7个自然日内", None, 7),
    ],
)
def test_it_reads_relative_limits_in_working_or_calendar_days(text, workdays, days):
    result = parse_limit(text, Y)
    assert result.kind == "relative"
    assert (result.relative_workdays, result.relative_days) == (workdays, days)
    assert result.deadline is None and not result.ambiguous


@pytest.mark.parametrize("text", ["", "   ", "\n", "\u3000"])
def test_it_reads_blank_cells_as_empty_and_not_ambiguous(text):
    result = parse_limit(text, Y)
    assert result == ParsedLimit(text, "empty", None, (), None, None, None, False, "")


# --- what a person must look at -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, hint",
    [
        ("尽快", "尽快"),
        ("视情况", "视情况"),
        ("2月30日", "2月没有30日"),
        ("13月底", "月份13"),
        ("2020年12月底", "早于计划年度"),
        ("2040年底", "过远"),
        ("第五季度", "季度5"),
        ("6月初", "6月上旬"),
        ("6月后", "没有明确的截止日期"),
        ("一年内完成", "一年内完成"),
        ("每半年", "每半年"),
        ("按计划推进", "按计划推进"),
        ("每月35日前", "每月35日"),
    ],
)
def test_it_marks_what_it_cannot_read_as_unknown_and_explains_in_chinese(text, hint):
    result = parse_limit(text, Y)
    assert (result.kind, result.deadline, result.ambiguous) == ("unknown", None, True)
    assert hint in result.message
    assert "请" in result.message


def test_it_suggests_a_readable_phrase_for_vague_words():
    assert parse_limit("尽快", Y).message == "无法识别时限“尽快”，请填写如“6月底前”或“2021年9月30日”"


def test_it_keeps_the_parsed_nodes_of_a_partly_understood_cell():
    result = parse_limit("6月底前完成主体；2月30日前验收", Y)
    assert result.ambiguous
    assert "2月30日" in result.message
    assert [m.date for m in result.milestones] == [d(6, 30)]
    assert result.deadline == d(6, 30)


def test_it_flags_a_vague_word_beside_a_date():
    result = parse_limit("6月底前完成主体，尽快投用", Y)
    assert result.deadline == d(6, 30)
    assert result.ambiguous and "尽快" in result.message


@pytest.mark.parametrize("text", ["6月前", "6月以前", "六月之前", "2021年6月前"])
def test_it_reads_a_month_with_only_before_as_month_end_but_asks(text):
    result = parse_limit(text, Y)
    assert result.deadline == d(6, 30)
    assert result.ambiguous and "6月1日前或6月底前" in result.message


def test_it_flags_a_list_of_months_missing_their_units():
    result = parse_limit("3、6、9月底前", Y)
    assert result.ambiguous and "“3”" in result.message


def test_it_flags_a_relative_limit_mixed_with_a_date():
    result = parse_limit("5个工作日内，年底前", Y)
    assert result.ambiguous
    assert (result.relative_workdays, result.deadline) == (5, d(12, 31))


# --- numerals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "run, value",
    [("十", 10), ("十一", 11), ("十二", 12), ("二十", 20), ("二十八", 28), ("三十一", 31), ("二〇二一", 2021)]
    + [("两", 2), ("一百零五", 105), ("百", None)],
)
def test_it_converts_chinese_numerals(run, value):
    assert chinese_to_int(run) == value


# --- properties ---------------------------------------------------------------------------------------

DAYS = st.dates(min_value=datetime.date(Y, 1, 1), max_value=datetime.date(Y + 1, 12, 31))
SPELLING = st.sampled_from(["arabic", "chinese", "full width"])


def spell(n: int, spelling: str) -> str:
    return {"arabic": str(n), "chinese": cn(n), "full width": str(n).translate(FULL_WIDTH)}[spelling]


@given(
    DAYS, SPELLING, st.sampled_from(["{m}月{d}日", "{m}月{d}日前", "{y}年{m}月{d}日", "{y}年{m}月{d}日前"])
)
def test_it_reads_any_day_written_as_month_and_day(day, spelling, template):
    if "{y}" not in template:
        day = day.replace(year=Y)
    year = str(day.year) if spelling != "chinese" else "".join(CN[int(c)] for c in str(day.year))
    text = template.format(y=year, m=spell(day.month, spelling), d=spell(day.day, spelling))
    assert deadline(text) == day


@given(DAYS, st.sampled_from(".-/"))
def test_it_reads_any_day_written_with_separators(day, separator):
    assert deadline(f"{day.year}{separator}{day.month}{separator}{day.day}") == day
    assert deadline(day.strftime(f"%Y{separator}%m{separator}%d")) == day


@given(st.integers(1, 12), SPELLING, st.sampled_from(["月底前", "月底", "月末", "月", "月份", "月下旬"]))
def test_it_reads_any_month_end(month, spelling, suffix):
    assert deadline(spell(month, spelling) + suffix) == month_end(month)


@given(st.integers(1, 12), SPELLING, st.sampled_from([("上旬", 10), ("中旬", 20)]))
def test_it_reads_any_early_or_mid_month(month, spelling, part):
    suffix, day = part
    assert deadline(spell(month, spelling) + "月" + suffix) == d(month, day)


@given(
    st.integers(1, 4), SPELLING, st.sampled_from(["{q}季度", "第{q}季度", "{q}季度末", "{q}季度前", "Q{q}"])
)
def test_it_reads_any_quarter(quarter, spelling, template):
    if template == "Q{q}":
        spelling = "arabic"
    assert deadline(template.format(q=spell(quarter, spelling))) == month_end(quarter * 3)


@given(st.integers(1, 12), st.integers(1, 31))
def test_it_never_accepts_an_impossible_date(month, day):
    result = parse_limit(f"{month}月{day}日", Y)
    try:
        expected = d(month, day)
    except ValueError:
        assert (result.kind, result.ambiguous) == ("unknown", True)
    else:
        assert result.deadline == expected


@given(st.integers(13, 99))
def test_it_never_accepts_an_impossible_month(month):
    assert parse_limit(f"{month}月底前", Y).kind == "unknown"


@given(st.lists(st.tuples(DAYS, st.sampled_from(["完成", "开工", "验收", ""])), min_size=1, max_size=5))
def test_it_returns_nodes_sorted_and_the_last_as_deadline(nodes):
    text = "；".join(f"{day.year}年{day.month}月{day.day}日前{what}" for day, what in nodes)
    result = parse_limit(text, Y)
    assert [m.date for m in result.milestones] == sorted(day for day, _ in nodes)
    assert result.deadline == max(day for day, _ in nodes)
    assert result.kind == ("date" if len(nodes) == 1 else "milestones")


@given(st.text(), st.integers(2004, 2030))
def test_it_never_raises_and_keeps_the_text_verbatim(text, year):
    result = parse_limit(text, year)
    assert result.text == text
    assert result.kind in {"date", "milestones", "cadence", "continuing", "relative", "empty", "unknown"}
    assert [m.date for m in result.milestones] == sorted(m.date for m in result.milestones)
    if result.milestones:
        assert result.deadline == result.milestones[-1].date
    assert result.ambiguous == bool(result.message)
    if result.kind == "unknown":
        assert result.ambiguous and result.deadline is None


@given(
    st.text(
        alphabet="0123456789一二三四五六七八九十〇年月日号底末前内上中下旬季度第每周半Q.-/，；、 \n长期持续工作天个"
    )
)
def test_it_never_raises_on_text_made_of_date_words(text):
    result = parse_limit(text, Y)
    assert result.text == text
    for milestone in result.milestones:
        assert Y <= milestone.date.year <= Y + 5
        assert milestone.text.strip() and milestone.text in text
