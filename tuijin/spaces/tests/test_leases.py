"""Allocation and leases: the head of the queue first (others only with a recorded reason), rent from the policy
(apartments a share of the market rent by category; offices a yearly subsidy on a capped area), check-in and
check-out against the furnishing list, 30 days' notice, yearly renewal within the term, arrears, reminders."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tuijin.core.models import AuditEvent

from .. import services
from ..models import Application, Lease, Space
from .conftest import login, queue_up, submit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("category", "rent"), [("A", "0.00"), ("B", "0.00"), ("C", "1920.00"), ("young", "1200.00")]
)
def test_apartment_rent_is_a_share_of_the_market_rent_by_category(apartment_policy, category, rent):
    assert apartment_policy.monthly_rent(
        category=category, market_rent=Decimal(2400), area=Decimal(75)
    ) == Decimal(rent)


def test_office_rent_is_subsidised_by_lease_year_on_a_capped_area(office_policy):
    office_policy.area_cap = Decimal(150)
    rent = [office_policy.monthly_rent(category="tech_sme", market_rent=Decimal(10000), area=Decimal(200),
                                       lease_year=year) for year in (1, 2, 3, 4)]  # fmt: skip
    # year 1: 100 % on 150 of 200 m² → 2,500 left; years 2–3: 50 % → 6,250; year 4: no subsidy
    assert rent == [Decimal("2500.00"), Decimal("6250.00"), Decimal("6250.00"), Decimal("10000.00")]


def test_allocating_lets_the_space_and_computes_the_lease(client, ann_queued, flat, manager):
    login(client, manager)
    response = client.post(reverse("spaces_allocate", args=[ann_queued.code]),
                           {"space": flat.code, "start": "2026-06-01"})  # fmt: skip
    lease = Lease.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "spaces_lease_detail", args=[lease.code]
    )
    assert (lease.start, lease.end, lease.term_ends) == (datetime.date(2026, 6, 1), datetime.date(2027, 5, 31),
                                                         datetime.date(2029, 5, 31))  # fmt: skip
    assert (
        lease.monthly_rent == Decimal("1920.00") and "80%" in lease.rent_rule
    )  # in the language of the request
    flat.refresh_from_db()
    ann_queued.refresh_from_db()
    assert flat.status == Space.Status.RESERVED and ann_queued.state == Application.State.ALLOCATED
    assert AuditEvent.objects.filter(action="spaces.lease.allocate").count() == 1


def test_out_of_turn_needs_a_reason_which_is_recorded(ann_queued, ben, apartment_policy, flat, manager):
    young = queue_up(submit(ben, apartment_policy, category="young", n=2, items=["master"]), manager)
    with pytest.raises(services.SpacesError):
        services.allocate(actor=manager, application=young, space=flat, start=TODAY)
    lease = services.allocate(
        actor=manager, application=young, space=flat, start=TODAY, reason="C类人才选择办公楼附近房源"
    )
    assert lease.out_of_turn_reason == "C类人才选择办公楼附近房源"


def test_a_manager_allocates_only_in_their_buildings_and_the_kind_applied_for(ann_queued, office_space, other_manager,
                                                                                flat):  # fmt: skip
    with pytest.raises(services.SpacesError, match="manage"):
        services.allocate(actor=other_manager, application=ann_queued, space=flat, start=TODAY)
    with pytest.raises(services.SpacesError):
        services.allocate(
            actor=flat.building.managers.first(), application=ann_queued, space=office_space, start=TODAY
        )
    assert not Lease.objects.exists()


def test_check_in_and_out_against_the_furnishing_list(client, lease, manager):
    login(client, manager)
    client.post(
        reverse("spaces_lease_check_in", args=[lease.code]), {"item_0": "on", "item_1": "on", "item_2": "on"}
    )
    lease.refresh_from_db()
    assert lease.state == Lease.State.ACTIVE and lease.check_in_checklist["items"] == {
        "双人床": True, "空调": True, "洗衣机": True}  # fmt: skip
    assert Space.objects.get(pk=lease.space_id).status == Space.Status.OCCUPIED
    client.post(reverse("spaces_lease_check_out", args=[lease.code]),
                {"item_0": "on", "item_2": "on", "note": "空调遥控器丢失"})  # fmt: skip
    lease.refresh_from_db()
    assert lease.state == Lease.State.ENDED and lease.check_out_checklist["items"]["空调"] is False
    assert Space.objects.get(pk=lease.space_id).status == Space.Status.MAINTENANCE


def test_notice_must_be_thirty_days_ahead_and_the_tenant_may_give_it(client, lease, manager, ann):
    services.check_in(actor=manager, lease=lease, present={})
    login(client, ann)
    url = reverse("spaces_lease_notice", args=[lease.code])
    client.post(url, {"move_out_on": "2026-06-10"})
    lease.refresh_from_db()
    assert lease.state == Lease.State.ACTIVE
    client.post(url, {"move_out_on": "2026-06-19"})
    lease.refresh_from_db()
    assert lease.state == Lease.State.NOTICE and lease.move_out_on == datetime.date(2026, 6, 19)


def test_renewal_needs_requalification_and_stops_at_the_longest_term(lease, manager):
    services.check_in(actor=manager, lease=lease, present={})
    with pytest.raises(services.SpacesError):
        services.renew(actor=manager, lease=lease, requalified=False)
    services.renew(actor=manager, lease=lease, requalified=True)
    services.renew(actor=manager, lease=lease, requalified=True)
    lease.refresh_from_db()
    assert lease.end == lease.term_ends == datetime.date(2029, 5, 19) and lease.renewals == 2
    with pytest.raises(services.SpacesError, match="longest term"):
        services.renew(actor=manager, lease=lease, requalified=True)


def test_arrears_are_the_rent_due_less_what_was_paid(lease, manager):
    Lease.objects.filter(pk=lease.pk).update(start=datetime.date(2026, 3, 1))
    lease.refresh_from_db()
    assert services.rent_due(lease, TODAY) == Decimal("5760.00")  # March, April, May at 1,920
    services.record_payment(actor=manager, lease=lease, amount=Decimal("3840"), paid_on=TODAY)
    assert services.arrears(lease, TODAY) == Decimal("1920.00")


def test_renewal_reminders_go_once_before_the_end(lease, manager, ann):
    services.check_in(actor=manager, lease=lease, present={})
    assert services.send_renewal_reminders(today=TODAY) == 0
    near = lease.end - datetime.timedelta(days=59)
    assert services.send_renewal_reminders(today=near) == 1
    assert services.send_renewal_reminders(today=near + datetime.timedelta(days=1)) == 0
    assert ann.notifications.filter(key__startswith="spaces:renewal:").count() == 1
    assert manager.notifications.filter(key__startswith="spaces:renewal:").count() == 1


def test_the_lease_page_shows_rent_and_arrears_to_tenant_and_manager(client, lease, ann, manager):
    for user in (ann, manager):
        page = login(client, user).get(reverse("spaces_lease_detail", args=[lease.code])).content.decode()
        assert "1920.00" in page and 'data-testid="arrears"' in page
    assert timezone.localdate() == TODAY
