"""A community publishes needs; members of registered units (or registered there themselves) claim them, never
beyond the places; the community marks them done or cancels them."""

import datetime

import pytest
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.core.models import AuditEvent
from tuijin.org.models import Role

from .. import services
from ..models import Claim, Need
from ..services_service import (
    cancel_need,
    claim_need,
    complete_need,
    publish_need,
    update_need,
    withdraw_claim,
)
from .conftest import login


@pytest.fixture
def colleague(unit_a):
    """Another member of unit_a, not registered anywhere himself: he serves through his unit's registration."""
    return make_user("alan", Role.UNIT, unit_a, "王同事")


@pytest.mark.django_db
def test_it_lets_members_of_a_registered_unit_claim(registration, need, colleague):
    claim = claim_need(actor=colleague, need=need)
    need.refresh_from_db()
    assert need.claimed == 1 and claim.unit.name == "中原科技城管委会"
    assert AuditEvent.objects.filter(action="party.need.claim").count() == 1


@pytest.mark.django_db
def test_it_lets_a_member_registered_there_claim_without_the_unit(alice_member, need, alice):
    claim_need(actor=alice, need=need)
    assert Claim.objects.filter(need=need, member=alice).exists()


@pytest.mark.django_db
def test_it_refuses_members_not_registered_with_the_community(need, charlie, alice):
    for member in (charlie, alice):  # alice's unit has not registered yet, nor has she
        with pytest.raises(services.PartyError, match="Register with this community"):
            claim_need(actor=member, need=need)


@pytest.mark.django_db
def test_it_refuses_a_claim_by_community_staff_and_by_the_office(need, dora, sup):
    for who in (dora, sup):
        with pytest.raises(services.PartyError):
            claim_need(actor=who, need=need)


@pytest.mark.django_db
def test_it_never_gives_more_places_than_there_are(registration, need, alice, colleague, unit_a):
    third = make_user("amy", Role.UNIT, unit_a, "李第三")
    claim_need(actor=alice, need=need)
    claim_need(actor=colleague, need=need)
    with pytest.raises(services.PartyError, match="All places"):
        claim_need(actor=third, need=need)
    need.refresh_from_db()
    assert need.claimed == 2 == need.claims.count()


@pytest.mark.django_db
def test_it_counts_places_in_the_database_not_in_a_stale_copy(registration, need, alice, colleague):
    """Two requests read the need with one place left; the second one's UPDATE finds none and refuses."""
    need.places = 1
    need.save()
    stale = Need.objects.get(pk=need.pk)
    claim_need(actor=alice, need=need)
    assert stale.claimed == 0  # what the second request read before the first one wrote
    with pytest.raises(services.PartyError, match="All places"):
        claim_need(actor=colleague, need=stale)
    assert Need.objects.get(pk=need.pk).claimed == 1


@pytest.mark.django_db
def test_it_refuses_a_second_claim_by_the_same_member(registration, need, alice):
    claim_need(actor=alice, need=need)
    with pytest.raises(services.PartyError, match="already"):
        claim_need(actor=alice, need=need)
    need.refresh_from_db()
    assert need.claimed == 1


@pytest.mark.django_db
def test_it_gives_the_place_back_when_a_claim_is_withdrawn(registration, need, alice):
    claim_need(actor=alice, need=need)
    withdraw_claim(actor=alice, need=need)
    need.refresh_from_db()
    assert need.claimed == 0
    claim_need(actor=alice, need=need)  # and the member may claim again
    assert need.claims.count() == 2 and need.claims.filter(withdrawn_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_it_refuses_claims_on_past_done_or_cancelled_needs(registration, need, alice, dora, community):
    past = publish_need(actor=dora, community=community, kind="wish", title="旧需求", needed_on=datetime.date(2026, 5, 21),
                        places=1)  # fmt: skip
    Need.objects.filter(pk=past.pk).update(needed_on=datetime.date(2026, 5, 1))
    past.refresh_from_db()
    with pytest.raises(services.PartyError, match="passed"):
        claim_need(actor=alice, need=past)
    complete_need(actor=dora, need=need)
    with pytest.raises(services.PartyError, match="no longer open"):
        claim_need(actor=alice, need=need)


@pytest.mark.django_db
def test_it_tells_claimers_when_the_need_is_done_or_cancelled(registration, need, alice, dora):
    claim_need(actor=alice, need=need)
    with pytest.raises(services.PartyError):
        cancel_need(actor=dora, need=need, reason="")
    cancel_need(actor=dora, need=need, reason="天气原因取消")
    need.refresh_from_db()
    assert need.state == Need.State.CANCELLED
    assert alice.notifications.filter(kind="party.need", level="yellow").count() == 1


@pytest.mark.django_db
def test_it_keeps_at_least_the_places_taken_when_edited(registration, need, alice, dora, erin):
    claim_need(actor=alice, need=need)
    with pytest.raises(services.PartyError, match="taken already"):
        update_need(
            actor=dora, need=need, kind="service", title=need.title, needed_on=need.needed_on, places=0
        )
    with pytest.raises(services.PartyError):
        update_need(actor=erin, need=need, kind="service", title="x", needed_on=need.needed_on, places=3)
    update_need(
        actor=dora, need=need, kind="service", title="打扫卫生（扩招）", needed_on=need.needed_on, places=3
    )
    need.refresh_from_db()
    assert (need.places, need.claimed) == (3, 1)


@pytest.mark.django_db
def test_it_publishes_claims_and_completes_on_the_pages(client, registration, alice, dora, community):
    login(client, dora)
    response = client.post(reverse("party_need_create"), {"kind": "wish", "title": "为困难儿童购买书包",
                                                          "needed_on": "2026-06-01", "places": "0"})  # fmt: skip
    assert response.status_code == 400 and 'data-field="places"' in response.content.decode()
    client.post(reverse("party_need_create"), {"kind": "wish", "title": "为困难儿童购买书包", "needed_on": "2026-06-01",
                                               "places": "1"})  # fmt: skip
    need = Need.objects.get()
    assert need.community == community and need.published_by == dora
    client.logout()
    login(client, alice)
    page = client.get(reverse("party_need_list")).content.decode()
    assert f'data-testid="claim-{need.code}"' in page
    client.post(reverse("party_need_action", args=[need.code, "claim"]))
    page = client.get(reverse("party_need_detail", args=[need.code])).content.decode()
    assert 'data-testid="claimed-badge"' in page and 'data-testid="log-service"' in page
    assert 'data-testid="claims"' not in page  # members do not see who else claimed
    client.logout()
    login(client, dora)
    page = client.get(reverse("party_need_detail", args=[need.code])).content.decode()
    assert "张科技" in page
    client.post(reverse("party_need_action", args=[need.code, "done"]), {"note": "已送达"})
    need.refresh_from_db()
    assert (need.state, need.done_note) == (Need.State.DONE, "已送达")


@pytest.mark.django_db
def test_it_hides_other_communities_needs(client, need, erin, charlie, registration):
    for who in (erin, charlie):
        login(client, who)
        assert client.get(reverse("party_need_detail", args=[need.code])).status_code == 404
        assert need.title not in client.get(reverse("party_need_list")).content.decode()
        client.logout()


@pytest.mark.django_db
def test_it_shows_a_member_how_to_register_when_they_are_not(client, need, charlie):
    login(client, charlie)
    page = client.get(reverse("party_need_list")).content.decode()
    assert reverse("party_member_register") in page
