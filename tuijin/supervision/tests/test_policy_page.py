"""The supervision office sets a plan's reminder and order rules; nobody else can."""

import pytest
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.core.models import AuditEvent
from tuijin.supervision.models import Policy
from tuijin.supervision.orders import default_workdays, policy_for

VALID = {"remind_workdays_before": 5, "blue_response_workdays": 7, "orange_response_workdays": 4,
         "red_response_workdays": 2, "suggest_order_after_red_days": 2, "auto_escalate": "on"}  # fmt: skip


@pytest.mark.django_db
def test_it_lets_the_supervisor_set_the_rules_that_orders_then_follow(client, plan, sup):
    client.login(username="sup", password=PASSWORD)
    assert client.post(reverse("plan_policy", args=[plan.code]), VALID).status_code == 302
    policy = policy_for(plan)
    assert policy.blue_response_workdays == 7
    assert default_workdays(policy, "blue") == 7
    assert AuditEvent.objects.filter(action="supervision.policy").exists()


@pytest.mark.django_db
def test_it_refuses_a_zero_response_time_and_saves_nothing(client, plan, sup):
    client.login(username="sup", password=PASSWORD)
    response = client.post(reverse("plan_policy", args=[plan.code]), {**VALID, "red_response_workdays": 0})
    assert response.status_code == 400
    assert not Policy.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "alice", "charlie", "auditor"])
def test_it_keeps_the_rules_from_everyone_else(client, plan, who, request):
    request.getfixturevalue(who)
    client.login(username=who, password=PASSWORD)
    assert client.get(reverse("plan_policy", args=[plan.code])).status_code == 403
    assert client.post(reverse("plan_policy", args=[plan.code]), VALID).status_code == 403
    assert not Policy.objects.exists()
