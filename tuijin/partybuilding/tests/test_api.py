"""The 双报到 API: needs a member can see and claim, logging service, the member's own records. 401 without a
token, 403 for roles that never claim or log, 404 for needs out of sight, 409 when the state refuses, 422 per
invalid field."""

import datetime
import json

import pytest
from django.conf import settings

from tuijin.org.models import ApiToken

from ..models import Claim, ServiceRecord
from ..services_service import claim_need, decide_record, submit_record

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tuijin.partybuilding.tests.api_urls")]
BASE = "/api/test/party"


class Api:
    def __init__(self, client, user=None):
        self.client = client
        self.headers = {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=en"}
        if user is not None:
            _token, key = ApiToken.issue(user)
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"

    def get(self, path, **params):
        return self.client.get(BASE + path, params, **self.headers)

    def post(self, path, body=None):
        return self.client.post(
            BASE + path, json.dumps(body or {}), content_type="application/json", **self.headers
        )


def test_it_refuses_requests_without_a_token(client, need):
    api = Api(client)
    assert api.get("/needs").status_code == 401
    assert api.post(f"/needs/{need.code}/claim").status_code == 401
    assert api.post("/records", {}).status_code == 401
    assert api.get("/records/mine").status_code == 401


def test_it_lists_the_needs_a_member_can_claim(client, registration, need, alice):
    claim_need(actor=alice, need=need)
    body = Api(client, alice).get("/needs").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == str(need.code) and item["claimed_by_me"] is True and item["places_left"] == 1
    assert item["community"] == "金水区丰产路街道文化路社区" and item["state"] == "open"


@pytest.mark.parametrize(
    ("who", "count"), [("charlie", 0), ("dora", 1), ("erin", 0), ("sup", 1), ("leader", 1)]
)
def test_it_scopes_the_needs_list(client, need, who, count, request):
    assert Api(client, request.getfixturevalue(who)).get("/needs").json()["count"] == count


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin"])
def test_it_closes_the_api_to_the_three_administrators(client, need, who, request):
    api = Api(client, request.getfixturevalue(who))
    assert api.get("/needs").status_code == 403
    assert api.get("/records/mine").status_code == 403
    assert api.post("/records", {}).status_code == 403


def test_it_claims_a_need_once(client, registration, need, alice):
    api = Api(client, alice)
    response = api.post(f"/needs/{need.code}/claim")
    assert response.status_code == 200 and response.json()["claimed_by_me"] is True
    again = api.post(f"/needs/{need.code}/claim")
    assert again.status_code == 409 and "already" in again.json()["detail"]
    assert Claim.objects.filter(need=need, member=alice).count() == 1


def test_it_answers_404_for_needs_out_of_sight_and_403_for_non_members(client, need, charlie, dora, leader):
    assert Api(client, charlie).post(f"/needs/{need.code}/claim").status_code == 404
    assert Api(client, dora).post(f"/needs/{need.code}/claim").status_code == 403
    assert Api(client, leader).post(f"/needs/{need.code}/claim").status_code == 403
    assert Api(client, dora).post("/needs/00000000-0000-0000-0000-000000000000/claim").status_code == 404


def test_it_logs_service_and_lists_my_records(client, registration, need, alice, dora):
    api = Api(client, alice)
    api.post(f"/needs/{need.code}/claim")
    response = api.post("/records", {"need": str(need.code), "served_on": "2026-05-20", "hours": "2.5",
                                     "activity": "为独居老人打扫卫生"})  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted" and body["need"] == str(need.code) and body["hours"] == "2.5"
    record = ServiceRecord.objects.get(code=body["id"])
    decide_record(actor=dora, service=record, confirm=True)
    mine = api.get("/records/mine").json()
    assert mine["count"] == 1 and mine["items"][0]["state"] == "confirmed"


def test_it_names_each_invalid_field(client, alice_member, alice, community):
    response = Api(client, alice).post("/records", {"community": str(community.code), "served_on": "2026-05-30",
                                                    "hours": "1.2", "activity": ""})  # fmt: skip
    assert response.status_code == 422
    fields = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert fields == {("body", "served_on"), ("body", "hours"), ("body", "activity")}
    assert not ServiceRecord.objects.exists()


def test_it_answers_409_when_the_day_is_full(client, alice_member, alice, community):
    submit_record(
        actor=alice, community=community, served_on=datetime.date(2026, 5, 19), hours=23, activity="值守"
    )
    response = Api(client, alice).post("/records", {"community": str(community.code), "served_on": "2026-05-19",
                                                    "hours": "2", "activity": "再值守"})  # fmt: skip
    assert response.status_code == 409 and "24" in response.json()["detail"]


def test_it_refuses_service_for_dora_and_non_json(client, community, dora, alice_member, alice):
    assert Api(client, dora).post("/records", {"community": str(community.code)}).status_code == 403
    api = Api(client, alice)
    response = api.client.post(BASE + "/records", "[1]", content_type="application/json", **api.headers)
    assert response.status_code == 400
