"""A party member registers where they live: skills, preferred posts, availability; the home address and phone
are sealed at rest and masked for everyone but the member and their community; the community accepts."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from tuijin.core import privacy
from tuijin.core.models import AuditEvent

from .. import services
from ..models import MemberRegistration, Post, RegistrationState
from .conftest import login

ADDRESS = "金水区文化路街道花园小区3号楼2单元501"


def form_data(community, unit, **kwargs):
    post = Post.objects.get(name="法律咨询与援助")
    return {"unit": unit.pk, "community": str(community.code), "address": ADDRESS, "phone": "13712345678",
            "skills": "法律咨询", "posts": [post.pk], "availability": "weekends"} | kwargs  # fmt: skip


@pytest.mark.django_db
def test_it_offers_the_eight_volunteer_posts_of_practice():
    assert list(Post.objects.values_list("name", flat=True)) == [
        "组织建设", "法律咨询与援助", "助困扶残与就业援助", "社区治理", "健康医疗", "文化体育", "安全宣传与治安巡逻", "其他",
    ]  # fmt: skip


@pytest.mark.django_db
def test_it_seals_the_address_at_rest_and_keeps_it_out_of_the_audit_log(client, alice, unit_a, community):
    login(client, alice)
    response = client.post(reverse("party_member_register"), form_data(community, unit_a))
    reg = MemberRegistration.objects.get()
    assert response["Location"] == reverse("party_member_detail", args=[reg.code])
    assert reg.address == ADDRESS and [p.name for p in reg.posts.all()] == ["法律咨询与援助"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT address, phone FROM partybuilding_memberregistration")
        stored = cursor.fetchone()
    assert ADDRESS not in stored[0] and "13712345678" not in stored[1]
    audit = AuditEvent.objects.get(action="party.member.register")
    assert audit.after["address"] == "金水区文化路****" and audit.after["phone"] == "137****5678"
    assert ADDRESS not in str(audit.after)


@pytest.mark.django_db
def test_it_shows_the_address_to_the_member_and_masks_it_for_others(
    client, alice_member, alice, dora, sup, leader, bob
):
    url = reverse("party_member_detail", args=[alice_member.code])
    login(client, alice)
    page = client.get(url).content.decode()
    assert ADDRESS in page and "13712345678" in page
    client.logout()
    for who in (dora, sup, leader):
        login(client, who)
        page = client.get(url).content.decode()
        assert ADDRESS not in page and "金水区文化路****" in page and "137****5678" in page
        client.logout()
    login(client, bob)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_it_lets_only_the_community_show_the_address_in_full_and_logs_it(
    alice_member, dora, erin, sup, leader
):
    assert privacy.reveal(actor=dora, obj=alice_member, name="address") == ADDRESS
    row = AuditEvent.objects.get(action="personal_data.reveal")
    assert row.actor == dora and ADDRESS not in str(row.after)
    for who in (erin, sup, leader):
        with pytest.raises(PermissionDenied):
            privacy.reveal(actor=who, obj=alice_member, name="phone")


@pytest.mark.django_db
def test_it_lets_the_community_accept_and_the_member_withdraw(client, alice, unit_a, community, dora):
    reg = services.register_member(actor=alice, unit=unit_a, community=community, address=ADDRESS,
                                   availability="weekends")  # fmt: skip
    login(client, dora)
    assert (
        'data-testid="accept"' in client.get(reverse("party_member_detail", args=[reg.code])).content.decode()
    )
    client.post(reverse("party_member_decide", args=[reg.code]), {"accept": "1"})
    reg.refresh_from_db()
    assert reg.state == RegistrationState.ACCEPTED
    assert alice.notifications.filter(kind="party.member").count() == 1
    client.logout()
    login(client, alice)
    client.post(reverse("party_member_withdraw", args=[reg.code]))
    reg.refresh_from_db()
    assert reg.state == RegistrationState.WITHDRAWN
    assert [e.kind for e in reg.events.all()] == ["submitted", "accepted", "withdrawn"]
    # withdrawn: a new registration is possible
    assert client.get(reverse("party_member_register")).status_code == 200


@pytest.mark.django_db
def test_it_keeps_one_active_registration_per_member(alice_member, alice, unit_a, other_community, client):
    with pytest.raises(services.PartyError, match="already registered"):
        services.register_member(actor=alice, unit=unit_a, community=other_community, address="x",
                                 availability="flexible")  # fmt: skip
    login(client, alice)
    response = client.get(reverse("party_member_register"))
    assert response["Location"] == reverse("party_member_detail", args=[alice_member.code])


@pytest.mark.django_db
def test_it_returns_with_a_reason_and_takes_the_corrected_registration(
    client, alice, unit_a, community, dora
):
    reg = services.register_member(actor=alice, unit=unit_a, community=community, address="不详",
                                   availability="weekends")  # fmt: skip
    services.decide_member_registration(actor=dora, registration=reg, accept=False, reason="请填写详细住址")
    login(client, alice)
    page = client.get(reverse("party_member_detail", args=[reg.code])).content.decode()
    assert "请填写详细住址" in page and 'data-testid="edit"' in page
    data = form_data(community, unit_a)
    del data["unit"], data["community"]
    client.post(reverse("party_member_edit", args=[reg.code]), data)
    reg.refresh_from_db()
    assert (reg.state, reg.address) == (RegistrationState.SUBMITTED, ADDRESS)


@pytest.mark.django_db
def test_it_does_not_let_community_staff_register_as_members(client, dora, community):
    login(client, dora)
    assert client.get(reverse("party_member_register")).status_code == 403
    assert client.get(reverse("party_registration_create")).status_code == 403
