"""三员分立: the system administrator runs accounts, the security administrator roles, permissions and the
security policy, the auditor reads the audit log — none can do another's work, and none sees business data."""

import pytest
from django.urls import reverse

from tuijin.org.models import Role

ADMINS = ["sysadmin", "secadmin", "auditor"]


def get(client, name, *args):
    return client.get(reverse(name, args=args))


def post(client, name, *args, data=None):
    return client.post(reverse(name, args=args), data or {})


# Each administrator's own work, and who may do it.
DUTIES = {
    "sysadmin": [
        lambda c, u: get(c, "user_create"),
        lambda c, u: post(c, "user_set_active", u.code, data={"active": "0"}),
        lambda c, u: post(c, "user_reset_password", u.code),
    ],
    "secadmin": [
        lambda c, u: post(c, "user_roles", u.code, data={"action": "add", "role": Role.LEADER}),
        lambda c, u: get(c, "security_policy"),
        lambda c, u: post(c, "security_user_unlock", u.code),
        lambda c, u: post(c, "security_user_two_factor_reset", u.code),
    ],
    "auditor": [lambda c, u: get(c, "audit_log")],
}


@pytest.mark.parametrize("who", ADMINS)
@pytest.mark.parametrize("duty_of", ADMINS)
def test_it_lets_each_administrator_do_only_their_own_work(client, request, who, duty_of, bob):
    client.force_login(request.getfixturevalue(who))
    for action in DUTIES[duty_of]:
        status = action(client, bob).status_code
        if who == duty_of:
            assert status in (200, 302), (who, duty_of, status)
        else:
            assert status == 403, (who, duty_of, status)


# A representative page of every capability that holds business data.
BUSINESS_PAGES = [
    ("plan_detail", "plan"),
    ("task_detail", "task"),
    ("warning_board", None),
    ("order_list", None),
    ("evidence_checks", None),
    ("assessment_home", None),
    ("cockpit", None),
    ("cockpit_data", None),
    ("reviews_round_list", None),
    ("party_home", None),
]


@pytest.mark.parametrize("who", ADMINS)
@pytest.mark.parametrize(("name", "arg"), BUSINESS_PAGES)
def test_it_shows_no_business_data_to_the_administrators(client, request, who, name, arg, task):
    client.force_login(request.getfixturevalue(who))
    args = [request.getfixturevalue(arg).code] if arg else []
    response = client.get(reverse(name, args=args))
    assert response.status_code in (403, 404), (who, name, response.status_code)


PLAN_FILTER_LEAK = pytest.mark.xfail(
    strict=True,
    reason="tasks.forms.TaskFilterForm offers every plan's name; task_list should limit the plan choices to "
    "plans with tasks visible to the user (lead's fix in tuijin/tasks/views.py)",
)


@pytest.mark.parametrize("who", ADMINS)
@pytest.mark.parametrize("name", ["home", "plan_list", pytest.param("task_list", marks=PLAN_FILTER_LEAK)])
def test_it_lists_no_tasks_or_plans_to_the_administrators(client, request, who, name, task):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(name))
    assert response.status_code in (200, 403)
    html = response.content.decode()
    assert task.title not in html and task.plan.name not in html


@pytest.mark.parametrize("who", ADMINS)
def test_it_gives_the_administrators_no_task_through_the_api(client, request, who, task):
    from tuijin.org.models import ApiToken

    _token, key = ApiToken.issue(request.getfixturevalue(who))
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/tasks", headers=headers).json()["count"] == 0
    assert client.get("/api/v1/plans", headers=headers).json() == []
