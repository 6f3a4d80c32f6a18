"""The security policy: only the security administrator edits it, within the limits of 等保 2.0, and every
change is audited with the values before and after."""

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.security.models import SecurityPolicy
from tuijin.security.policy import get_policy

URL = reverse("security_policy")


def form_data(**changes):
    data = {
        "password_min_length": 8, "password_min_classes": 3, "password_history": 5, "password_max_age_days": 90,
        "lockout_threshold": 5, "lockout_address_threshold": 5, "lockout_minutes": 30, "idle_minutes": 30,
        "two_factor_roles": ["supervisor", "sysadmin", "secadmin", "auditor"],
    }  # fmt: skip
    data.update(changes)
    return data


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    assert client.get(URL)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "sup", "leader", "sysadmin", "auditor"])
def test_it_forbids_the_policy_to_everyone_but_the_secadmin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(idle_minutes=5)).status_code == 403
    assert get_policy().idle_minutes == 30


def test_it_shows_the_defaults_from_settings(client, secadmin):
    client.force_login(secadmin)
    form = client.get(URL).context["form"]
    assert form["password_min_length"].value() == 8 and form["idle_minutes"].value() == 30
    assert set(form["two_factor_roles"].value()) == {"supervisor", "sysadmin", "secadmin", "auditor"}


def test_it_saves_a_change_and_audits_before_and_after(client, secadmin):
    client.force_login(secadmin)
    response = client.post(URL, form_data(idle_minutes=15, two_factor_roles=["supervisor", "leader"]))
    assert response["Location"] == URL
    policy = SecurityPolicy.objects.get()
    assert policy.idle_minutes == 15 and policy.updated_by == secadmin
    assert policy.two_factor_roles == ["auditor", "leader", "secadmin", "supervisor", "sysadmin"]
    assert get_policy().idle_minutes == 15
    event = AuditEvent.objects.get(action="security.policy_update")
    assert event.actor == secadmin
    assert event.before == {
        "idle_minutes": 30,
        "two_factor_roles": ["auditor", "secadmin", "supervisor", "sysadmin"],
    }
    assert event.after == {"idle_minutes": 15, "two_factor_roles": policy.two_factor_roles}


def test_it_writes_no_audit_row_when_nothing_changed(client, secadmin):
    client.force_login(secadmin)
    client.post(URL, form_data())
    assert not AuditEvent.objects.filter(action="security.policy_update").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("password_min_length", 6), ("password_min_classes", 2), ("lockout_threshold", 0), ("idle_minutes", 0),
     ("password_max_age_days", 1000), ("lockout_minutes", "")],
)  # fmt: skip
def test_it_refuses_values_below_the_standard_and_changes_nothing(client, secadmin, field, value):
    client.force_login(secadmin)
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert not SecurityPolicy.objects.exists()
    assert getattr(get_policy(), field) == form_data()[field]  # the policy in force is untouched


def test_it_lists_locked_names_and_addresses(client, secadmin):
    import datetime

    from django.utils import timezone

    from tuijin.security.models import LoginLock

    LoginLock.objects.create(
        kind="account", key="zhangsan", until=timezone.now() + datetime.timedelta(minutes=9)
    )
    LoginLock.objects.create(
        kind="address", key="10.2.3.4", until=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(secadmin)
    html = client.get(URL).content.decode()
    assert "zhangsan" in html and "10.2.3.4" not in html
