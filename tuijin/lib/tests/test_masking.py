"""Personal data is shown masked the way Chinese government systems show it."""

import pytest

from tuijin.lib.masking import mask_bank_card, mask_email, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("0371-67181234", "0371-****1234"),
        ("010-12345678", "010-****5678"),
        ("0371-6718123", "0371-***8123"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_it_masks_mobiles_and_office_lines(phone, masked):
    assert mask_phone(phone) == masked


def test_it_masks_an_id_number_keeping_the_region_start_and_the_last_four():
    assert mask_id_number("410105199001011234") == "410***********1234"
    assert mask_id_number("41010519900101123X") == "410***********123X"
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张**"),
        ("张科技", "张**"),
        ("欧阳修远", "欧阳**"),
        ("司马光", "司马**"),
        ("欧阳", "欧**"),  # nothing left to hide after a compound surname: keep only the first character
        ("买买提·艾力", "买**"),
        ("Alice Smith", "A**"),
        ("", ""),
    ],
)
def test_it_masks_a_name_keeping_the_surname_and_hiding_the_length(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("zhangsan@zzkjc.gov.cn", "z***@zzkjc.gov.cn"),
        ("a@b.cn", "a***@b.cn"),
        ("not-an-email", "n***"),
        ("", ""),
    ],
)
def test_it_masks_an_email_keeping_the_first_character_and_the_domain(email, masked):
    assert mask_email(email) == masked


@pytest.mark.parametrize(
    ("card", "masked"),
    [
        ("6222021234567891234", "6222 **** **** *** 1234"),
        ("6222 0212 3456 7890", "6222 **** **** 7890"),
        ("62220212345678901234", "6222 **** **** **** 1234"),
        ("1234", "****"),
    ],
)
def test_it_masks_a_bank_card_keeping_the_first_and_last_four_digits(card, masked):
    assert mask_bank_card(card) == masked
