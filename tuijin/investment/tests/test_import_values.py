"""Money and dates as people write them in spreadsheets."""

import datetime
from decimal import Decimal

import pytest

from tuijin.investment.importing_values import (
    CHANNEL_TEXT,
    CHANNEL_WORDS,
    choose,
    header_unit,
    parse_date,
    parse_money,
)

TODAY = datetime.date(2021, 11, 26)


@pytest.mark.parametrize("value, unit, expected", [
    ("5亿元", None, Decimal("50000.00")), ("5亿", None, Decimal("50000.00")), ("3000万元", None, Decimal("3000.00")),
    ("1,234.5万", None, Decimal("1234.50")), (1.5, "yi", Decimal("15000.00")), (800, "wan", Decimal("800.00")),
    ("  2.5 亿元 ", None, Decimal("25000.00")), ("5000000元", None, Decimal("500.00")), ("1.2", "yi", Decimal("12000.00")),
    ("5（亿元）", None, Decimal("50000.00")), ("", None, None), (None, "yi", None),
])  # fmt: skip
def test_it_reads_amounts_in_wan_and_yi(value, unit, expected):
    assert parse_money(value, unit) == (expected, None)


@pytest.mark.parametrize("value, unit", [("五亿", "yi"), (5000, None), ("-3亿", None), ("约5亿", None), (True, "yi"),
                                         ("1e20亿", None)])  # fmt: skip
def test_it_explains_what_is_wrong_with_an_amount(value, unit):
    amount, problem = parse_money(value, unit)
    assert amount is None and problem


def test_it_takes_the_unit_from_the_heading():
    assert header_unit("签约金额（亿元）") == "yi" and header_unit("到位资金(万元)") == "wan"
    assert header_unit("签约金额") is None


@pytest.mark.parametrize("value", ["2021年3月5日", "2021-03-05", "2021/3/5", "2021.3.5", "20210305", 20210305,
                                   datetime.date(2021, 3, 5), datetime.datetime(2021, 3, 5, 0, 0), "2021 年 3 月 5 日"])  # fmt: skip
def test_it_reads_dates_in_chinese_formats(value):
    assert parse_date(value, TODAY) == (datetime.date(2021, 3, 5), None)


@pytest.mark.parametrize("value", ["2021年3月", "2021-02-30", "三月五日", 44256, "2022-01-01", "1970-01-01"])
def test_it_explains_what_is_wrong_with_a_date(value):
    day, problem = parse_date(value, TODAY)
    assert day is None and problem


def test_it_understands_the_usual_words_for_channels():
    assert choose("基金招商", CHANNEL_WORDS, CHANNEL_TEXT) == "venture"
    assert choose("以商招商·二次招商", CHANNEL_WORDS, CHANNEL_TEXT) == "second_round"
    assert choose("路演", CHANNEL_WORDS, CHANNEL_TEXT) is None
