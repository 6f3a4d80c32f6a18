"""Who sees which page: an enterprise only its own requests, a unit those routed to it, supervisors all, leaders
read, the 三员 nothing; anonymous visitors are sent to sign in. Query counts on the list pages stay flat."""

import pytest
from django.urls import reverse

from .conftest import at


@pytest.fixture
def req(raise_for):
    return raise_for(at(2021, 9, 30, 10, 0), title="光电产线环评审批")


@pytest.fixture
def elsewhere(raise_for, unit_b, other_enterprise):
    return raise_for(at(2021, 9, 30, 11, 0), unit=unit_b, ent=other_enterprise, title="金融岛落户奖励")


def titles(response):
    assert response.status_code == 200, response.status_code
    return sorted(r.title for r in response.context["page"].object_list)


def test_it_sends_anonymous_visitors_to_sign_in(client, req):
    for url in (reverse("servicedesk_list"), reverse("servicedesk_detail", args=[req.code]),
                reverse("servicedesk_portal"), reverse("servicedesk_inbox")):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["sup", "leader"])
def test_it_shows_every_request_to_supervisors_and_leaders(request, client, req, elsewhere, who):
    client.force_login(request.getfixturevalue(who))
    assert titles(client.get(reverse("servicedesk_list"))) == ["光电产线环评审批", "金融岛落户奖励"]
    assert client.get(reverse("servicedesk_detail", args=[elsewhere.code])).status_code == 200


def test_it_shows_a_unit_only_what_is_routed_to_it(client, req, elsewhere, alice, charlie):
    client.force_login(alice)
    assert titles(client.get(reverse("servicedesk_list"))) == ["光电产线环评审批"]
    assert client.get(reverse("servicedesk_detail", args=[req.code])).status_code == 200
    assert client.get(reverse("servicedesk_detail", args=[elsewhere.code])).status_code == 404
    inbox = client.get(reverse("servicedesk_inbox"))
    assert [r.title for r in inbox.context["waiting"]] == ["光电产线环评审批"]
    client.force_login(charlie)
    assert titles(client.get(reverse("servicedesk_list"))) == []
    assert client.get(reverse("servicedesk_detail", args=[req.code])).status_code == 404


def test_it_shows_an_enterprise_only_its_own_requests(client, req, elsewhere, eva, oscar):
    client.force_login(eva)
    portal = client.get(reverse("servicedesk_portal"))
    assert [r.title for r in portal.context["requests"]] == ["光电产线环评审批"]
    assert client.get(reverse("servicedesk_portal_detail", args=[req.code])).status_code == 200
    assert client.get(reverse("servicedesk_portal_detail", args=[elsewhere.code])).status_code == 404
    assert client.get(reverse("servicedesk_list")).status_code == 403
    # the staff page of its own request leads to the portal page
    assert client.get(reverse("servicedesk_detail", args=[req.code]))["Location"].endswith(
        reverse("servicedesk_portal_detail", args=[req.code])
    )
    client.force_login(oscar)
    assert client.get(reverse("servicedesk_portal_detail", args=[req.code])).status_code == 404


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin"])
def test_it_shows_the_three_administrators_nothing(request, client, req, who):
    client.force_login(request.getfixturevalue(who))
    for name, args in [("servicedesk_list", []), ("servicedesk_inbox", []), ("servicedesk_detail", [req.code]),
                       ("servicedesk_export", []), ("servicedesk_settings", []), ("servicedesk_portal", []),
                       ("servicedesk_create", []), ("servicedesk_import", [])]:  # fmt: skip
        assert client.get(reverse(name, args=args)).status_code in (403, 404), name


def test_it_keeps_settings_and_import_for_the_office(client, alice, leader, sup):
    for user, status in ((alice, 403), (leader, 403), (sup, 200)):
        client.force_login(user)
        assert client.get(reverse("servicedesk_settings")).status_code == status
        assert client.get(reverse("servicedesk_import")).status_code == status


def test_it_lets_leaders_read_but_not_act(client, req, leader):
    client.force_login(leader)
    assert client.get(reverse("servicedesk_create")).status_code == 403
    response = client.post(reverse("servicedesk_action", args=[req.code, "acknowledge"]))
    assert response.status_code == 403


def test_it_keeps_the_list_query_count_flat(client, sup, raise_for, django_assert_max_num_queries):
    client.force_login(sup)
    for n in range(3):
        raise_for(at(2021, 9, 30, 10, n), title=f"事项{n}")
    url = reverse("servicedesk_list")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(3, 25):
        raise_for(at(2021, 9, 30, 11, n), title=f"事项{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_it_keeps_the_inbox_and_portal_query_counts_flat(
    client, alice, eva, raise_for, django_assert_max_num_queries
):
    raise_for(at(2021, 9, 30, 10, 0))
    counts = {}
    for user, name in ((alice, "servicedesk_inbox"), (eva, "servicedesk_portal")):
        client.force_login(user)
        client.get(reverse(name))
        with django_assert_max_num_queries(25) as few:
            client.get(reverse(name))
        counts[name] = len(few.captured_queries)
    for n in range(12):
        raise_for(at(2021, 9, 30, 11, n), title=f"事项{n}")
    for user, name in ((alice, "servicedesk_inbox"), (eva, "servicedesk_portal")):
        client.force_login(user)
        with django_assert_max_num_queries(counts[name]):
            client.get(reverse(name))
