"""统一社会信用代码 (GB 32100): valid codes pass; wrong length, characters or check character are refused with a
message that says which."""

import pytest
from django.utils import translation

from tuijin.lib.credit_code import (
    check_character,
    credit_code_is_valid,
    credit_code_problem,
    normalise_credit_code,
)

VALID = [
    "914403001922038216",  # format of a Shenzhen enterprise, digit check character
    "91110000802100433B",  # letter check character
    "91410100MA44X8XX8K",  # letters in the organisation part
    "12100000400000624D",  # an institution (1 = 机构编制)
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("code", VALID)
def test_it_accepts_valid_codes(code):
    assert credit_code_is_valid(code), credit_code_problem(code)
    assert credit_code_problem(code) is None


def test_it_reads_codes_as_people_type_them():
    assert credit_code_is_valid(" 9144 0300 1922 0382 16 ")
    assert credit_code_is_valid("91110000802100433b")
    assert credit_code_is_valid("９１１１００００８０２１００４３３Ｂ")  # full-width
    assert normalise_credit_code("91110000-802100433b") == "91110000802100433B"


@pytest.mark.parametrize("code, count", [("", 0), ("9144030019220382", 16), ("9144030019220382161", 19)])
def test_it_refuses_a_wrong_length(code, count):
    assert not credit_code_is_valid(code)
    assert (
        credit_code_problem(code) == f"A unified social credit code has 18 characters; this one has {count}."
    )


@pytest.mark.parametrize("code, position, char", [
    ("91440300192203821I", 18, "I"),
    ("9144030O1922038216", 8, "O"),
    ("91S403001922038216", 3, "S"),
    ("914403001922038/16", 16, "/"),
    ("914403001922038中16", 16, "中"),
])  # fmt: skip
def test_it_refuses_characters_outside_the_standard(code, position, char):
    problem = credit_code_problem(code)
    assert problem.startswith(f"Character {position} (“{char}”) cannot appear")


def test_it_refuses_a_wrong_check_character():
    problem = credit_code_problem("914403001922038217")
    assert problem == (
        "The check character (the 18th) of this unified social credit code should be 6, not 7: one of the "
        "characters is probably mistyped."
    )
    # a transposition of two characters is caught too
    assert not credit_code_is_valid("914403001922083216")


def test_it_computes_check_characters_per_gb_32100():
    assert check_character("91110000802100433") == "B"
    assert check_character("91440300192203821") == "6"
    assert check_character("00000000000000000") == "0"


def test_it_explains_in_chinese_when_the_interface_is_chinese():
    with translation.override("zh-hans"):
        problem = credit_code_problem("123")
    assert "18" in problem and "3" in problem
