"""The demo: categories, an enterprise portal login, and requests in every state, overdue and reopened among them."""

import pytest
from django.test import override_settings

from tuijin.core import demo
from tuijin.servicedesk.models import Category, EnterpriseAccount, ServiceRequest, State


@pytest.mark.django_db
def test_it_builds_requests_in_every_state():
    with override_settings(DEMO_MODE=True):
        demo.load_demo()
    assert Category.objects.count() == 6
    account = EnterpriseAccount.objects.select_related("user").get(user__username="qiye")
    assert account.user.check_password("Tuijin@2026")
    requests = ServiceRequest.objects.all()
    assert 15 <= requests.count() <= 20
    assert set(requests.values_list("state", flat=True)) == set(State.values)
    assert requests.overdue().exists()
    assert requests.filter(reopen_count__gt=0, state=State.REOPENED).exists()
    assert requests.filter(reopen_count__gt=0, state=State.CLOSED).exists()
    assert requests.filter(callbacks__isnull=False).distinct().count() >= 3
    assert requests.filter(extensions__approved__isnull=True).exists()
    assert requests.filter(enterprise=account.enterprise).count() >= 3
    # every step is in the history
    for req in requests:
        assert req.events.filter(kind="raised").exists()
