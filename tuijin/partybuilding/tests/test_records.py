"""Members log service (date, hours in half hours up to 24, activity, a claimed need optionally); the community
confirms it or rejects it with a reason; only confirmed hours count."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent

from .. import services
from ..feedback import unit_quarter
from ..models import ServiceRecord
from ..services_service import claim_need, decide_record, hours_problem, submit_record
from .conftest import login

D = datetime.date


@pytest.mark.parametrize(
    ("hours", "ok"),
    [("0.5", True), ("2", True), ("24", True), ("0", False), ("-1", False), ("24.5", False), ("1.3", False),
     ("abc", False)],
)  # fmt: skip
def test_it_takes_hours_in_half_hours_up_to_24(hours, ok):
    assert (hours_problem(hours) == "") is ok


@pytest.mark.django_db
def test_it_records_service_in_a_registered_community(alice_member, alice, community):
    record = submit_record(actor=alice, community=community, served_on=D(2026, 5, 16), hours="2.5",
                           activity="社区普法宣传")  # fmt: skip
    assert (record.state, record.hours, record.unit.name) == ("submitted", Decimal("2.5"), "中原科技城管委会")
    assert AuditEvent.objects.filter(action="party.record.submit", object_id=str(record.pk)).exists()


@pytest.mark.django_db
def test_it_refuses_service_where_the_member_is_not_registered(alice_member, alice, other_community, charlie,
                                                               community):  # fmt: skip
    with pytest.raises(services.PartyError, match="Register with this community"):
        submit_record(actor=alice, community=other_community, served_on=D(2026, 5, 16), hours=2, activity="x")
    with pytest.raises(services.PartyError):
        submit_record(actor=charlie, community=community, served_on=D(2026, 5, 16), hours=2, activity="x")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "message"),
    [(D(2026, 5, 21), "future"), (D(2025, 12, 31), "no longer")],
)
def test_it_refuses_dates_in_the_future_and_before_last_quarter(alice_member, alice, community, day, message):
    with pytest.raises(services.PartyError, match=message):
        submit_record(actor=alice, community=community, served_on=day, hours=2, activity="x")
    submit_record(actor=alice, community=community, served_on=D(2026, 1, 1), hours=2, activity="上季度首日")


@pytest.mark.django_db
def test_it_keeps_a_members_day_within_24_hours(alice_member, alice, community):
    submit_record(actor=alice, community=community, served_on=D(2026, 5, 16), hours=20, activity="值守")
    with pytest.raises(services.PartyError, match="24"):
        submit_record(
            actor=alice, community=community, served_on=D(2026, 5, 16), hours="4.5", activity="再值守"
        )
    submit_record(actor=alice, community=community, served_on=D(2026, 5, 16), hours=4, activity="再值守")


@pytest.mark.django_db
def test_it_links_a_claimed_need_and_takes_its_community(registration, need, alice):
    with pytest.raises(services.PartyError, match="Claim the need"):
        submit_record(actor=alice, need=need, served_on=D(2026, 5, 20), hours=3, activity="打扫卫生")
    claim_need(actor=alice, need=need)
    record = submit_record(actor=alice, need=need, served_on=D(2026, 5, 20), hours=3, activity="打扫卫生")
    assert record.community == need.community and record.need == need


@pytest.mark.django_db
def test_it_counts_only_confirmed_hours(alice_member, alice, community, dora, erin, unit_a):
    confirmed = submit_record(
        actor=alice, community=community, served_on=D(2026, 4, 11), hours=2, activity="义诊"
    )
    rejected = submit_record(
        actor=alice, community=community, served_on=D(2026, 4, 18), hours=3, activity="巡逻"
    )
    submit_record(actor=alice, community=community, served_on=D(2026, 4, 25), hours=4, activity="待确认")
    with pytest.raises(services.PartyError):
        decide_record(actor=erin, service=confirmed, confirm=True)
    decide_record(actor=dora, service=confirmed, confirm=True)
    with pytest.raises(services.PartyError, match="Say why"):
        decide_record(actor=dora, service=rejected, confirm=False)
    decide_record(actor=dora, service=rejected, confirm=False, reason="当日无此活动")
    with pytest.raises(services.PartyError, match="already"):
        decide_record(actor=dora, service=rejected, confirm=True)
    assert unit_quarter(unit_a, "2026-Q2").hours == Decimal(2)
    assert alice.notifications.filter(kind="party.record").count() == 2


@pytest.mark.django_db
def test_it_logs_and_confirms_on_the_pages(client, alice_member, alice, dora, community):
    login(client, alice)
    response = client.post(reverse("party_record_create"), {"community": str(community.code), "served_on": "2026-05-19",
                                                            "hours": "1.3", "activity": "敬老"})  # fmt: skip
    assert response.status_code == 400 and 'data-field="hours"' in response.content.decode()
    response = client.post(reverse("party_record_create"), {"community": str(community.code), "served_on": "2026-05-19",
                                                            "hours": "1.5", "activity": "敬老"})  # fmt: skip
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    client.logout()
    login(client, dora)
    page = client.get(reverse("party_record_list") + "?state=submitted").content.decode()
    assert f'data-testid="confirm-{record.code}"' in page
    response = client.post(reverse("party_record_decide", args=[record.code]),
                           {"confirm": "1", "next": "https://evil.example/"})  # fmt: skip
    assert response["Location"] == reverse("party_record_list") + "?state=submitted"
    record.refresh_from_db()
    assert record.state == ServiceRecord.State.CONFIRMED and record.decided_by == dora


@pytest.mark.django_db
def test_it_keeps_records_within_their_circles(
    client, alice_member, alice, community, bob, erin, charlie, dora
):
    record = submit_record(
        actor=alice, community=community, served_on=D(2026, 5, 16), hours=2, activity="义诊"
    )
    for who, sees in ((alice, True), (dora, True), (erin, False), (charlie, False), (bob, False)):
        login(client, who)
        page = client.get(reverse("party_record_list")).content.decode()
        assert (f'data-record="{record.code}"' in page) is sees, who
        client.logout()
    login(client, erin)
    assert (
        client.post(reverse("party_record_decide", args=[record.code]), {"confirm": "1"}).status_code == 404
    )
