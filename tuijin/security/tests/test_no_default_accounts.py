"""No superuser outside development, no demo account outside demo mode (system checks), and the demo loader
refuses to run unless demo mode is on."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tuijin.core.demo_data import PASSWORD as DEMO_PASSWORD
from tuijin.org.models import User
from tuijin.security.checks import check_accounts


def ids(**kwargs) -> set[str]:
    return {p.id for p in check_accounts(None, databases=["default"], **kwargs)}


def test_it_refuses_a_superuser_without_debug(db):
    User.objects.create_superuser("root", password="Root-pass-2021")
    with override_settings(DEBUG=False):
        assert "tuijin.E101" in ids()
    with override_settings(DEBUG=True):
        assert "tuijin.E101" not in ids()


def test_it_refuses_demo_accounts_with_the_demo_password_outside_demo_mode(db):
    User.objects.create_user("kjc", password=DEMO_PASSWORD)
    with override_settings(DEMO_MODE=False):
        problems = check_accounts(None, databases=["default"])
        assert [p.id for p in problems] == ["tuijin.E102"] and "kjc" in problems[0].msg
    with override_settings(DEMO_MODE=True):
        assert ids() == set()


def test_it_accepts_a_real_administrator_called_sysadmin(sysadmin):
    with override_settings(DEMO_MODE=False, DEBUG=False):
        assert ids() == set()


def test_it_looks_into_the_database_only_when_asked(db):
    User.objects.create_superuser("root", password="Root-pass-2021")
    with override_settings(DEBUG=False):
        assert check_accounts(None) == []


def test_it_refuses_to_load_the_demo_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE=1"):
        call_command("load-demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_it_gives_the_demo_supervisor_and_administrators_an_authenticator(db, settings):
    from tuijin.conftest import make_user
    from tuijin.org.models import Role
    from tuijin.security.demo import give_demo_authenticators
    from tuijin.security.models import TOTPDevice

    settings.DEMO_MODE = True
    for login, role in (("supervisor", Role.SUPERVISOR), ("auditor", Role.AUDITOR), ("leader", Role.LEADER)):
        make_user(login, role)
    assert give_demo_authenticators() == 2
    assert give_demo_authenticators() == 0
    assert set(TOTPDevice.objects.values_list("user__username", flat=True)) == {"supervisor", "auditor"}
