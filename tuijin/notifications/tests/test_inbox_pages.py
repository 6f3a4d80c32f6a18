"""The inbox shows each person their own notices only, newest first, and marks them read."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.core.models import AuditEvent
from tuijin.notifications import services
from tuijin.notifications.context_processors import unread
from tuijin.notifications.models import Notification

T0 = datetime.datetime(2026, 6, 27, 9, 0, tzinfo=datetime.UTC)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def notices(user, count, start=0):
    return [
        services.notify(user=user, key=f"k{n}", kind="reminder", title=f"通知{n}号",
                        now=T0 + datetime.timedelta(minutes=n))
        for n in range(start, start + count)
    ]  # fmt: skip


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, alice):
    notice = notices(alice, 1)[0]
    for url in (
        reverse("inbox"),
        reverse("notification_preferences"),
        reverse("notification_open", args=[notice.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("notification_read", args=[notice.pk]))
    assert response["Location"].startswith(reverse("login"))
    assert Notification.objects.get(pk=notice.pk).read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader", "alice", "bob", "auditor", "sysadmin", "secadmin"])
def test_it_shows_everyone_their_own_notices_only(client, who, request, alice, charlie):
    user = request.getfixturevalue(who)
    services.notify(user=user, key="mine", kind="reminder", title="我的通知")
    services.notify(
        user=charlie if user != charlie else alice, key="other", kind="reminder", title="别人的通知"
    )
    page = login(client, user).get(reverse("inbox")).content.decode()
    assert "我的通知" in page
    assert "别人的通知" not in page


@pytest.mark.django_db
def test_it_hides_another_persons_notice_behind_a_404(client, alice, charlie):
    theirs = notices(charlie, 1)[0]
    login(client, alice)
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.django_db
def test_it_lists_newest_first_with_unread_in_bold_and_filters_unread(client, alice):
    first, second = notices(alice, 2)
    services.mark_read(user=alice, ids=[first.pk])
    login(client, alice)
    page = client.get(reverse("inbox")).content.decode()
    assert page.index("通知1号") < page.index("通知0号")
    assert f'id="notice-{second.pk}" data-unread="1"' in page
    assert f'fw-semibold" id="notice-{second.pk}"' in page
    assert f'fw-semibold" id="notice-{first.pk}"' not in page
    unread_only = client.get(reverse("inbox"), {"show": "unread"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in unread_only
    assert "通知1号" in unread_only and "通知0号" not in unread_only


@pytest.mark.django_db
def test_it_marks_one_notice_read_and_audits_it(client, alice):
    first, second = notices(alice, 2)
    login(client, alice)
    response = client.post(reverse("notification_read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "unread-changed"
    assert f'id="notice-{first.pk}" data-unread="0"' in response.content.decode()
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Notification.objects.get(pk=second.pk).read_at is None
    event = AuditEvent.objects.get(action="notification.read")
    assert event.actor == alice
    assert event.after == {"read": 1, "ids": [first.pk]}


@pytest.mark.django_db
def test_it_marks_all_read(client, alice, bob):
    notices(alice, 3)
    notices(bob, 1)
    login(client, alice)
    response = client.post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert services.unread_count(alice) == 0
    assert services.unread_count(bob) == 1
    assert AuditEvent.objects.get(action="notification.read").after == {"read": 3, "ids": "all"}
    client.post(reverse("notifications_read_all"))  # nothing left to change, so nothing is logged
    assert AuditEvent.objects.filter(action="notification.read").count() == 1


@pytest.mark.django_db
def test_it_opens_a_notice_at_its_link_and_marks_it_read(client, alice, task):
    notice = services.notify(user=alice, key="k", kind="reminder", title="t", url=f"/tasks/{task.code}/")
    evil = services.notify(user=alice, key="k2", kind="reminder", title="t", url="https://evil.example.com/")
    login(client, alice)
    response = client.get(reverse("notification_open", args=[notice.pk]))
    assert response["Location"] == f"/tasks/{task.code}/"
    assert Notification.objects.get(pk=notice.pk).read_at is not None
    assert client.get(reverse("notification_open", args=[evil.pk]))["Location"] == reverse("inbox")


@pytest.mark.django_db
def test_it_counts_unread_notices_for_the_navbar_in_one_query(alice, django_assert_num_queries):
    notices(alice, 4)
    services.mark_read(user=alice, ids=[Notification.objects.filter(user=alice).first().pk])
    request = RequestFactory().get("/")
    request.user = alice
    context = unread(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 3
        assert str(context["unread_notifications"]) == "3"


@pytest.mark.django_db
def test_it_counts_nothing_for_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread(request) == {}


@pytest.mark.django_db
def test_it_lists_the_inbox_with_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    notices(alice, 3)
    login(client, alice)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("inbox")).status_code == 200
    notices(alice, 60, start=3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("inbox")).status_code == 200
    assert len(large) == len(small)
    with django_assert_max_num_queries(8):
        client.get(reverse("inbox"), {"show": "unread", "page": 2})
