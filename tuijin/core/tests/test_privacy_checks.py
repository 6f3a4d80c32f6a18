"""A deployment without field keys, or with bad ones, is refused at start with a hint how to make them."""

import pytest

from tuijin.core import privacy
from tuijin.core.checks import check_personal_data, check_personal_data_policies


def problems(**kwargs):
    return {p.id: p for p in check_personal_data(None, **kwargs)}


def test_it_accepts_the_test_keys():
    assert problems() == {}


@pytest.mark.parametrize("keys", ["", "   "])
def test_it_requires_field_keys_and_says_how_to_generate_one(settings, keys):
    settings.FIELD_KEYS = keys
    found = problems()
    assert "tuijin.E010" in found
    assert "python -m tuijin.lib.crypto_keys k1" in found["tuijin.E010"].hint


@pytest.mark.parametrize(
    "keys", ["k1", "k1:short", "k1:MDEyMzQ1Njc4OWFiY2RlZg==,k1:MDEyMzQ1Njc4OWFiY2RlZg==", "k 1:MDEy"]
)
def test_it_refuses_malformed_field_keys(settings, keys):
    settings.FIELD_KEYS = keys
    found = problems()
    assert "tuijin.E011" in found and "FIELD_KEYS is malformed" in found["tuijin.E011"].msg


@pytest.mark.parametrize("index_key", ["", "too-short"])
def test_it_requires_an_index_key_of_at_least_16_characters(settings, index_key):
    settings.FIELD_INDEX_KEY = index_key
    found = problems()
    assert "tuijin.E012" in found
    assert "python -m tuijin.lib.crypto_keys --index" in found["tuijin.E012"].hint


@pytest.mark.parametrize("days", [0, -5, "1095"])
def test_it_refuses_a_retention_period_that_is_not_a_positive_number_of_days(settings, days):
    settings.PERSONAL_DATA_RETENTION_DAYS = days
    assert "tuijin.E013" in problems()


@pytest.mark.urls("tuijin.core.tests.urls_privacy")
def test_it_asks_for_a_policy_for_every_sealed_field(monkeypatch):
    assert not [p for p in check_personal_data_policies(None) if p.id == "tuijin.W010"]
    monkeypatch.setattr(privacy._discovered(), "fields", {
        k: v for k, v in privacy._discovered().fields.items() if k != "org.user.phone"
    })  # fmt: skip
    found = [p for p in check_personal_data_policies(None) if p.id == "tuijin.W011"]
    assert any(
        "org.User.phone holds personal data" in p.msg and "tuijin/org/privacy.py" in p.hint for p in found
    )
    assert not any("org.Liaison.phone " in p.msg for p in found)


@pytest.mark.urls("tuijin.core.tests.urls_without_privacy")
def test_it_warns_when_the_reveal_route_is_not_mounted():
    assert "tuijin.W010" in {p.id for p in check_personal_data_policies(None)}
