"""Who may open what, for every role: anonymous visitors go to the login page; a unit sees its own registrations
and records; a community those registered with it; the office and leaders see everything (leaders change
nothing); the 三员 see nothing here. Out-of-scope objects answer 404, never 403 (no existence leak)."""

import datetime

import pytest
from django.urls import reverse

from ..services_service import submit_record
from .conftest import login

ROLES = ["anonymous", "alice", "charlie", "dora", "erin", "sup", "leader", "auditor", "sysadmin", "secadmin"]
THREE = {"auditor", "sysadmin", "secadmin"}


@pytest.fixture
def world(registration, alice_member, need, alice, community, other_community, dora, erin, unit_a):
    record = submit_record(actor=alice, community=community, served_on=datetime.date(2026, 5, 16), hours=2,
                           activity="义诊")  # fmt: skip
    return {
        "registration": registration,
        "member": alice_member,
        "need": need,
        "record": record,
        "unit": unit_a,
    }


def urls(world) -> dict[str, str]:
    return {
        "home": reverse("party_home"),
        "registrations": reverse("party_registration_list"),
        "members": reverse("party_member_list"),
        "needs": reverse("party_need_list"),
        "records": reverse("party_record_list"),
        "communities": reverse("party_community_list"),
        "practical": reverse("party_practical_list"),
        "registration": reverse("party_registration_detail", args=[world["registration"].code]),
        "member": reverse("party_member_detail", args=[world["member"].code]),
        "need": reverse("party_need_detail", args=[world["need"].code]),
        "feedback": reverse("party_feedback", args=[world["unit"].code, "2026-Q2"]),
        "feedback_index": reverse("party_feedback_index"),
        "summary": reverse("party_summary"),
        "community_new": reverse("party_community_create"),
        "posts": reverse("party_post_list"),
        "register_unit": reverse("party_registration_create"),
        "register_member": reverse("party_member_register"),
        "need_new": reverse("party_need_create"),
        "record_new": reverse("party_record_create"),
    }


ENTRY = ["home", "registrations", "members", "needs", "records", "communities", "practical"]
# status per page for: alice, charlie, dora (the community), erin (another), sup, leader
EXPECTED = {
    "registration": (200, 404, 200, 404, 200, 200),
    "member": (200, 404, 200, 404, 200, 200),
    "need": (200, 404, 200, 404, 200, 200),
    "feedback": (200, 404, 404, 404, 200, 200),
    "feedback_index": (200, 200, 403, 403, 200, 200),
    "summary": (403, 403, 403, 403, 200, 200),
    "community_new": (403, 403, 403, 403, 200, 403),
    "posts": (403, 403, 403, 403, 200, 403),
    "register_unit": (200, 200, 403, 403, 403, 403),
    "register_member": (302, 200, 403, 403, 403, 403),
    "need_new": (403, 403, 200, 200, 403, 403),
    "record_new": (200, 200, 403, 403, 403, 403),
}
PEOPLE = ["alice", "charlie", "dora", "erin", "sup", "leader"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_it_opens_each_page_to_each_role_as_it_should(client, world, who, request):
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    pages = urls(world)
    for name, url in pages.items():
        status = client.get(url).status_code
        if who == "anonymous":
            expected = 302
        elif who in THREE:
            expected = 403
        elif name in ENTRY:
            expected = 200
        else:
            expected = EXPECTED[name][PEOPLE.index(who)]
        assert status == expected, (who, name, status)
    if who == "anonymous":
        response = client.get(pages["home"])
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "sees"),
    [("alice", True), ("charlie", False), ("dora", True), ("erin", False), ("sup", True), ("leader", True)],
)
def test_it_lists_only_what_each_may_see(client, world, who, sees, request):
    login(client, request.getfixturevalue(who))
    checks = {
        "party_registration_list": f'data-registration="{world["registration"].code}"',
        "party_member_list": f'data-member-registration="{world["member"].code}"',
        "party_need_list": f'data-need="{world["need"].code}"',
        "party_record_list": f'data-record="{world["record"].code}"',
    }
    for name, marker in checks.items():
        assert (marker in client.get(reverse(name)).content.decode()) is sees, (who, name)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "sup", "erin", "charlie"])
def test_it_refuses_decisions_to_all_but_the_communitys_staff(client, world, who, request):
    login(client, request.getfixturevalue(who))
    registration, member, record, need = (
        world["registration"],
        world["member"],
        world["record"],
        world["need"],
    )
    posts = [
        reverse("party_registration_decide", args=[registration.code]),
        reverse("party_member_decide", args=[member.code]),
        reverse("party_record_decide", args=[record.code]),
        reverse("party_need_action", args=[need.code, "done"]),
        reverse("party_need_action", args=[need.code, "cancel"]),
    ]
    for url in posts:
        assert client.post(url, {"accept": "1", "confirm": "1", "reason": "x"}).status_code in (403, 404), url
    record.refresh_from_db()
    need.refresh_from_db()
    assert record.state == "submitted" and need.state == "open"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "sup", "dora"])
def test_it_lets_only_members_claim_and_log(client, world, who, request, community):
    login(client, request.getfixturevalue(who))
    need = world["need"]
    assert client.post(reverse("party_need_action", args=[need.code, "claim"])).status_code == 403
    response = client.post(reverse("party_record_create"), {"community": str(community.code),
                                                            "served_on": "2026-05-19", "hours": "2", "activity": "x"})  # fmt: skip
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.claimed == 0


@pytest.mark.django_db
def test_it_lets_nobody_change_anothers_registration(client, world, charlie, dora):
    member = world["member"]
    for who in (charlie, dora):
        login(client, who)
        assert client.post(reverse("party_member_withdraw", args=[member.code])).status_code in (403, 404)
        assert client.get(reverse("party_member_edit", args=[member.code])).status_code in (403, 404)
        client.logout()
    login(client, charlie)
    assert (
        client.get(reverse("party_registration_edit", args=[world["registration"].code])).status_code == 404
    )
