"""Passwords: at least 8 characters of 3 of the 4 classes, not a common password, not one of the last 5, and
every way of setting a password keeps the history and the date."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from tuijin.org import services as org_services
from tuijin.org.models import User
from tuijin.security import services
from tuijin.security.models import PasswordHistory
from tuijin.security.validators import character_classes


def problems(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1@xyz", "at least 8 characters"),
        ("abcdefgh12", "Use at least 3 of these"),
        ("ABCDEFGH!!", "Use at least 3 of these"),
        ("Password1", "too common"),
    ],
)
def test_it_refuses_short_simple_and_common_passwords(db, password, fragment):
    assert any(fragment in p for p in problems(password)), problems(password)


@pytest.mark.parametrize("password", ["Zhengzhou2021", "zhengzhou-2021", "ZHENGZHOU_2021", "郑州zz2021ok"])
def test_it_accepts_eight_characters_of_three_classes(db, password):
    assert problems(password) == []


def test_it_counts_chinese_characters_as_symbols():
    assert character_classes("郑州abc12") == 3
    assert character_classes("Aa1!") == 4


def test_it_follows_the_policy_the_secadmin_sets(secadmin, alice):
    services.update_policy(actor=secadmin, password_min_length=12, password_min_classes=4)
    assert any("at least 12 characters" in p for p in problems("Zhengzhou2!"))
    assert any("Use at least 4" in p for p in problems("Zhengzhou2021xx"))
    assert problems("Zhengzhou-2021") == []


def test_it_refuses_the_current_password_and_the_last_five(alice):
    passwords = [f"Zhengzhou-{year}" for year in range(2020, 2026)]
    for password in passwords:
        services.change_password(actor=alice, user=alice, password=password)
    assert PasswordHistory.objects.filter(user=alice).count() == 6
    for old in passwords[-5:]:
        assert any("among your last 5 passwords" in p for p in problems(old, alice)), old
    assert problems(passwords[0], alice) == []  # six changes ago: allowed again


def test_it_keeps_the_history_when_a_password_is_set_anywhere(db):
    user = User(username="dave")
    user.set_password("Zhengzhou-2021")
    user.save()
    assert user.password_changed_at is not None
    user.set_password("Zhengzhou-2022")
    user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 2
    assert any("among your last" in p for p in problems("Zhengzhou-2021", user))


def test_it_does_not_count_a_rehash_of_the_same_password_as_a_change(alice):
    services.change_password(actor=alice, user=alice, password="Zhengzhou-2021")
    changed = alice.password_changed_at
    alice.set_password("Zhengzhou-2021")  # what Django does when it upgrades the hasher on sign-in
    alice.save(update_fields=["password"])
    assert PasswordHistory.objects.filter(user=alice).count() == 1
    assert User.objects.get(pk=alice.pk).password_changed_at == changed


def test_it_keeps_no_history_when_turned_off(secadmin, alice):
    services.update_policy(actor=secadmin, password_history=0)
    assert problems("Tuijin-test-2021", alice) == []


@pytest.mark.parametrize("n", range(20))
def test_it_generates_passwords_that_meet_the_strictest_policy(secadmin, n):
    services.update_policy(actor=secadmin, password_min_length=16, password_min_classes=4)
    assert problems(org_services.generate_password()) == []


def test_it_records_the_change_date_used_for_expiry(alice):
    alice.password_changed_at = timezone.now() - datetime.timedelta(days=100)
    alice.save(update_fields=["password_changed_at"])
    services.change_password(actor=alice, user=alice, password="Zhengzhou-2021")
    alice.refresh_from_db()
    assert timezone.now() - alice.password_changed_at < datetime.timedelta(minutes=1)
