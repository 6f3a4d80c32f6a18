"""A notice is created once per key and person, for the right people, and queued for their channels."""

from unittest import mock

import pytest
from django.db import IntegrityError

from tuijin.conftest import make_user
from tuijin.notifications import services
from tuijin.notifications.models import Channel, Delivery, Notification
from tuijin.org.models import Liaison, Role

from .conftest import WECOM, set_preference


@pytest.mark.django_db
def test_it_never_creates_the_same_notice_twice(alice, robot, django_capture_on_commit_callbacks):
    set_preference(alice, wecom_webhook=WECOM)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(
            user=alice, key="remind:task:1:2026-06-27", kind="reminder", title="请报送进展"
        )
        second = services.notify(
            user=alice, key="remind:task:1:2026-06-27", kind="reminder", title="请报送进展"
        )
    assert first is not None and second is None
    assert Notification.objects.filter(user=alice).count() == 1
    assert Delivery.objects.count() == 1
    assert len(robot.calls) == 1


@pytest.mark.django_db
def test_it_returns_nothing_when_a_concurrent_run_created_the_notice_first(alice):
    with mock.patch.object(Notification.objects, "get_or_create", side_effect=IntegrityError):
        assert services.notify(user=alice, key="k", kind="reminder", title="t") is None


@pytest.mark.django_db
def test_it_keeps_the_notice_in_the_inbox_only_without_preferences(alice):
    notice = services.notify(user=alice, key="k", kind="reminder", title="t")
    assert notice.read_at is None
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_it_queues_one_delivery_per_enabled_channel(alice):
    alice.email = "alice@example.org"
    alice.save()
    set_preference(alice, email=True, wecom_webhook=WECOM, mode="digest")
    notice = services.notify(user=alice, key="k", kind="reminder", title="t")
    assert sorted(notice.deliveries.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.WECOM]
    assert set(notice.deliveries.values_list("state", flat=True)) == {Delivery.State.PENDING}


@pytest.mark.django_db
def test_it_skips_email_without_an_address(alice):
    set_preference(alice, email=True)
    services.notify(user=alice, key="k", kind="reminder", title="t")
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_it_notifies_the_units_users_and_liaison_officers_once_each(alice, bob, charlie, unit_a, unit_b):
    liaison_user = make_user("liaison", Role.INVESTMENT, None)
    Liaison.objects.create(unit=unit_a, user=liaison_user, name="联络员")
    Liaison.objects.create(unit=unit_b, user=bob, name="刘配合")  # bob is both a unit user and the liaison
    retired = make_user("retired", Role.UNIT, unit_a)
    retired.is_active = False
    retired.save()
    created = services.notify_units(units=[unit_a, unit_b], key="order:7", kind="order", title="督办单")
    assert sorted(n.user.username for n in created) == ["alice", "bob", "liaison"]
    again = services.notify_units(units=[unit_a.pk, unit_b.pk], key="order:7", kind="order", title="督办单")
    assert again == []
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_it_notifies_only_the_roles_asked_for(alice, unit_a):
    investor = make_user("investor", Role.INVESTMENT, unit_a)
    created = services.notify_units(units=[unit_a], key="k", kind="k", title="t", roles=(Role.INVESTMENT,))
    assert [n.user for n in created] == [investor]


@pytest.mark.django_db
def test_it_notifies_every_supervisor(sup, alice, leader):
    other = make_user("sup2", Role.SUPERVISOR, None)
    created = services.notify_supervisors(key="closure:1", kind="closure", title="申请办结")
    assert sorted(n.user.username for n in created) == sorted([sup.username, other.username])
