"""Each person sets their own channels; robot addresses are checked; a test message shows how it went."""

import pytest
from django.core import mail
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.core.models import AuditEvent
from tuijin.notifications.models import Preference

from .conftest import DINGTALK, WECOM, set_preference

FORM = {
    "email_address": "",
    "wecom_webhook": "",
    "dingtalk_webhook": "",
    "mode": "immediate",
    "digest_hour": "8",
}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_it_shows_the_preferences_without_saving_anything(client, alice):
    response = login(client, alice).get(reverse("notification_preferences"))
    assert response.status_code == 200
    assert not Preference.objects.exists()


@pytest.mark.django_db
def test_it_saves_the_channels_and_audits_them_without_the_robot_keys(client, alice):
    login(client, alice)
    response = client.post(
        reverse("notification_preferences"),
        FORM | {"email": "on", "email_address": "zhang@example.gov.cn", "wecom_webhook": WECOM,
                "dingtalk_webhook": DINGTALK, "mode": "digest", "digest_hour": "7"},
    )  # fmt: skip
    assert response.status_code == 302
    pref = Preference.objects.get(user=alice)
    assert (pref.email, pref.email_address, pref.wecom_webhook, pref.dingtalk_webhook, pref.mode, pref.digest_hour) == (
        True, "zhang@example.gov.cn", WECOM, DINGTALK, "digest", 7,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="notification.preferences")
    assert event.actor == alice and event.before is None
    assert event.after["wecom_webhook"] == "qyapi.weixin.qq.com/…1234"
    assert "wecom-key" not in str(event.after) and "ding-token" not in str(event.after)
    client.post(reverse("notification_preferences"), FORM)
    second = AuditEvent.objects.filter(action="notification.preferences").first()
    assert second.before["mode"] == "digest" and second.after["mode"] == "immediate"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("wecom_webhook", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1", "qyapi.weixin.qq.com"),
        ("wecom_webhook", "https://example.com/cgi-bin/webhook/send?key=1", "qyapi.weixin.qq.com"),
        ("wecom_webhook", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "key="),
        ("dingtalk_webhook", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1", "oapi.dingtalk.com"),
        ("dingtalk_webhook", "https://oapi.dingtalk.com/robot/send", "access_token="),
        ("dingtalk_webhook", "not a url", ""),
    ],
)
def test_it_explains_a_wrong_robot_address_and_saves_nothing(client, alice, field, value, expected):
    login(client, alice)
    response = client.post(reverse("notification_preferences"), FORM | {field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and expected in errors[field][0]
    assert f'data-field="{field}"' in response.content.decode()
    assert not Preference.objects.exists()


@pytest.mark.django_db
def test_it_asks_for_an_address_when_email_is_on(client, alice):
    login(client, alice)
    response = client.post(reverse("notification_preferences"), FORM | {"email": "on"})
    assert "email_address" in response.context["form"].errors
    alice.email = "alice@example.org"
    alice.save()
    assert client.post(reverse("notification_preferences"), FORM | {"email": "on"}).status_code == 302


@pytest.mark.django_db
def test_it_sends_a_test_message_to_the_saved_robot(client, alice, robot):
    set_preference(alice, wecom_webhook=WECOM)
    login(client, alice)
    response = client.post(reverse("notification_test", args=["wecom"]), HTTP_HX_REQUEST="true")
    assert 'data-testid="test-sent"' in response.content.decode()
    ((url, payload),) = robot.calls
    assert url == WECOM and payload["msgtype"] == "markdown"
    assert AuditEvent.objects.get(action="notification.test").after == {
        "channel": "wecom",
        "sent": True,
        "error": "",
    }


@pytest.mark.django_db
def test_it_shows_why_a_test_message_failed(client, alice, robot):
    set_preference(alice, dingtalk_webhook=DINGTALK)
    robot.failure = "oapi.dingtalk.com refused the message: error 310000 keywords not in content"
    login(client, alice)
    response = client.post(reverse("notification_test", args=["dingtalk"]), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-testid="test-failed"' in page and "310000 keywords not in content" in page
    response = client.post(reverse("notification_test", args=["dingtalk"]), follow=True)
    assert "310000" in response.content.decode()


@pytest.mark.django_db
def test_it_says_a_channel_is_not_set_up_yet(client, alice, robot):
    login(client, alice)
    page = client.post(reverse("notification_test", args=["wecom"]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="test-failed"' in page
    assert robot.calls == []
    assert client.post(reverse("notification_test", args=["fax"])).status_code == 404


@pytest.mark.django_db
def test_it_sends_a_test_email_to_the_account_address(client, alice):
    alice.email = "alice@example.org"
    alice.save()
    login(client, alice)
    response = client.post(reverse("notification_test", args=["email"]), follow=True)
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
