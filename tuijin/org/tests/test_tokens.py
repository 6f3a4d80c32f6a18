"""Personal API tokens: issued once, listed by prefix, revoked; each write audited; the `token` command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tuijin.core.models import AuditEvent
from tuijin.org.api import BearerToken
from tuijin.org.models import ApiToken

URL = reverse("token_list")


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English source strings, whatever translations are compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def authenticates(key: str, rf) -> object:
    return BearerToken().authenticate(rf.get("/api/v1/"), key)


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    assert client.get(URL)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "leader", "auditor", "sysadmin"])
def test_it_lets_any_signed_in_user_issue_a_token_shown_once(client, who, request, rf):
    person = request.getfixturevalue(who)
    client.force_login(person)
    response = client.post(URL, {"action": "issue"})
    key = response.context["key"]
    assert key in response.content.decode() and "no-store" in response["Cache-Control"]
    assert authenticates(key, rf) == person
    assert key not in client.get(URL).content.decode()  # never shown again
    event = AuditEvent.objects.get(action="token.issue")
    assert event.actor == person and key not in str(event.after)


def test_it_lists_only_my_tokens_by_prefix(client, alice, bob):
    mine, _key = ApiToken.issue(alice)
    theirs, _key = ApiToken.issue(bob)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert mine.prefix in html and theirs.prefix not in html


def test_it_revokes_my_token_which_then_stops_working(client, alice, rf):
    token, key = ApiToken.issue(alice)
    client.force_login(alice)
    client.post(URL, {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked and authenticates(key, rf) is None
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()


def test_it_does_not_let_me_revoke_someone_elses_token(client, alice, bob):
    token, _key = ApiToken.issue(bob)
    client.force_login(alice)
    assert client.post(URL, {"action": "revoke", "token": token.pk}).status_code == 404
    assert client.post(URL, {"action": "revoke", "token": "x"}).status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_it_prints_only_a_working_key_from_the_token_command(alice, rf):
    out = io.StringIO()
    call_command("token", "alice", stdout=out)
    key = out.getvalue().strip()
    assert "\n" not in key and key.startswith("tj_")
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    assert token.user == alice and authenticates(key, rf) == alice
    assert AuditEvent.objects.filter(action="token.issue", actor=None, actor_name="system").exists()


def test_it_refuses_a_token_for_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user is named 'nobody'"):
        call_command("token", "nobody", stdout=io.StringIO())
