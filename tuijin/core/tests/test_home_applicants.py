"""Outside applicants land on their own portal, and the navigation does not offer them the task engine."""

import pytest
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.investment.models import Enterprise
from tuijin.org.models import Role
from tuijin.servicedesk.models import EnterpriseAccount


@pytest.mark.django_db
def test_it_sends_a_talent_to_the_housing_portal_and_an_enterprise_to_its_requests(client):
    talent = make_user("talent", Role.APPLICANT, None)
    client.force_login(talent)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("spaces_portal")
    page = client.get(reverse("spaces_portal")).content.decode()
    assert f'href="{reverse("task_list")}"' not in page and f'href="{reverse("plan_list")}"' not in page

    firm = make_user("firm", Role.APPLICANT, None)
    EnterpriseAccount.objects.create(
        user=firm, enterprise=Enterprise.objects.create(name="华瀚云计算科技有限公司")
    )
    client.force_login(firm)
    assert client.get(reverse("home"))["Location"] == reverse("servicedesk_portal")


@pytest.mark.django_db
def test_it_keeps_staff_on_the_dashboard(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f'href="{reverse("task_list")}"' in response.content.decode()
