"""Sessions end after 30 minutes without activity (the secadmin sets the minutes); requests a page makes by
itself, such as the notification bell polling, do not count as activity."""

import datetime

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse

from tuijin.security.middleware import background

NOW = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


@background
def poll(request):
    return HttpResponse("3")


urlpatterns = [path("poll/", poll), path("", include("tuijin.urls"))]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def signed_in(client, clock, alice):
    client.force_login(alice)
    return client


def minutes(clock, n):
    clock.move_to(NOW + datetime.timedelta(minutes=n))


def test_it_keeps_an_active_session(signed_in, clock):
    for m in (20, 40, 60):
        minutes(clock, m)
        assert signed_in.get("/tasks/").status_code == 200


def test_it_signs_out_after_thirty_idle_minutes_and_says_so(signed_in, clock):
    minutes(clock, 31)
    response = signed_in.get("/tasks/?status=overdue")
    assert response["Location"] == reverse("login") + "?next=%2Ftasks%2F%3Fstatus%3Doverdue"
    html = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in html
    assert signed_in.get("/tasks/")["Location"].startswith(reverse("login"))


def test_it_tells_htmx_to_go_to_the_sign_in_page(signed_in, clock):
    minutes(clock, 31)
    response = signed_in.get("/tasks/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("login")


@override_settings(ROOT_URLCONF=__name__)
def test_it_does_not_count_polling_as_activity(signed_in, clock):
    minutes(clock, 10)
    assert signed_in.get("/poll/").status_code == 200
    minutes(clock, 20)
    assert signed_in.get("/tasks/", headers={"Tuijin-Poll": "1"}).status_code == 200
    minutes(clock, 31)
    assert signed_in.get("/poll/").status_code == 302


def test_it_follows_the_idle_minutes_the_secadmin_sets(client, clock, secadmin, alice):
    from tuijin.security import services

    services.update_policy(actor=secadmin, idle_minutes=5)
    client.force_login(alice)
    minutes(clock, 4)
    assert client.get("/tasks/").status_code == 200
    minutes(clock, 10)
    response = client.get("/tasks/")
    assert response.status_code == 302
    assert "after 5 minutes" in client.get(response["Location"]).content.decode()


def test_it_writes_the_session_at_most_once_a_minute(signed_in, clock):
    from django.contrib.sessions.models import Session

    def stamp():
        return Session.objects.get(pk=signed_in.session.session_key).get_decoded()["security.activity"]

    first = stamp()
    clock.move_to(NOW + datetime.timedelta(seconds=30))
    signed_in.get("/tasks/")
    assert stamp() == first
    clock.move_to(NOW + datetime.timedelta(seconds=70))
    signed_in.get("/tasks/")
    assert stamp() == first + 70
