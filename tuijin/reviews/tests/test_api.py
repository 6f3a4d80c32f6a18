"""The reviews API: rounds the caller may see, published results only, and a rater's ballot sheet returned
once. Bearer tokens as for the rest of the API; 401 without one."""

import json

import pytest

from tuijin.org.models import ApiToken
from tuijin.reviews import services
from tuijin.reviews.models import Participation, Tally

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tuijin.reviews.tests.api_urls")]
BASE = "/reviews-api"


class Api:
    def __init__(self, client, user=None):
        self.client = client
        self.headers = {"HTTP_COOKIE": "django_language=en"}
        if user is not None:
            _token, key = ApiToken.issue(user)
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"

    def get(self, path):
        return self.client.get(BASE + path, **self.headers)

    def post(self, path, body):
        return self.client.post(
            BASE + path, json.dumps(body), content_type="application/json", **self.headers
        )


def sheet(review, *labels):
    return {"choices": [{"subject": str(s.code), "option": x}
                        for s, x in zip(review.subjects.all(), labels, strict=True)]}  # fmt: skip


def test_it_needs_a_token(client, open_review):
    assert Api(client).get("/reviews").status_code == 401
    assert (
        Api(client).post(f"/reviews/{open_review.code}/ballot", sheet(open_review, "好", "好")).status_code
        == 401
    )


def test_it_lists_the_rounds_each_caller_may_see(
    client, open_review, sup, rita, otto, alice, leader, auditor
):
    assert [r["title"] for r in Api(client, sup).get("/reviews").json()] == [open_review.title]
    mine = Api(client, rita).get("/reviews").json()
    assert [(r["my_group"], r["voted"], r["status"]) for r in mine] == [("领导班子成员", False, "open")]
    assert Api(client, otto).get("/reviews").json() == []
    assert Api(client, alice).get("/reviews").json() == []  # not published yet
    assert Api(client, leader).get("/reviews").json() == []
    assert Api(client, auditor).get("/reviews").status_code == 403


def test_it_answers_results_of_published_rounds_only(client, open_review, sup, alice, charlie, leader, rita):
    path = f"/reviews/{open_review.code}/results"
    assert Api(client, sup).get(path).status_code == 404
    services.close_review(actor=sup, review=open_review)
    assert Api(client, sup).get(path).status_code == 404
    services.publish_review(actor=sup, review=open_review)
    body = Api(client, alice).get(path).json()
    assert [g["name"] for g in body["groups"]] == ["领导班子成员", "党组织书记", "党员代表", "群众代表"]
    assert [o["label"] for o in body["options"]] == ["好", "较好", "一般", "差"]
    assert {s["organisation"] for s in body["subjects"]} == {
        "中共中原科技城管委会机关委员会",
        "中共郑州市科学技术局机关委员会",
    }
    assert body["subjects"][0]["groups"][0]["counts"] == {"好": 0, "较好": 0, "一般": 0, "差": 0}
    assert Api(client, leader).get(path).status_code == 200
    assert Api(client, charlie).get(path).status_code == 404
    assert Api(client, rita).get(path).status_code == 403


def test_it_takes_a_raters_ballot_once(client, open_review, rita):
    api = Api(client, rita)
    got = api.get(f"/reviews/{open_review.code}/ballot").json()
    assert (got["group"], got["open"], got["voted"]) == ("领导班子成员", True, False)
    assert [s["organisation"] for s in got["subjects"]] == [
        "中共中原科技城管委会机关委员会",
        "中共郑州市科学技术局机关委员会",
    ]
    first = api.post(f"/reviews/{open_review.code}/ballot", sheet(open_review, "好", "一般"))
    assert first.status_code == 201, first.content
    assert set(first.json()) == {"detail"}, "the answer says nothing of the choices"
    again = api.post(f"/reviews/{open_review.code}/ballot", sheet(open_review, "差", "差"))
    assert again.status_code == 409
    assert sum(Tally.objects.values_list("count", flat=True)) == 2
    assert api.get(f"/reviews/{open_review.code}/ballot").json()["voted"] is True


def test_it_explains_a_bad_ballot(client, open_review, rita):
    api = Api(client, rita)
    path = f"/reviews/{open_review.code}/ballot"
    code = str(open_review.subjects.first().code)
    assert api.post(path, {"choices": [{"subject": code, "option": "好"}]}).status_code == 422
    assert (
        api.post(
            path, {"choices": [{"subject": code, "option": "好"}, {"subject": code, "option": "好"}]}
        ).status_code
        == 422
    )
    wrong = api.post(path, sheet(open_review, "好", "优秀"))
    assert wrong.status_code == 422 and "优秀" in wrong.json()["detail"]
    assert api.post(path, {"choices": "好"}).status_code == 422
    assert not Participation.objects.exists()


def test_it_refuses_ballots_from_outside_the_round(client, open_review, sup, otto, alice, auditor):
    body = sheet(open_review, "好", "好")
    path = f"/reviews/{open_review.code}/ballot"
    assert Api(client, otto).post(path, body).status_code == 404
    assert Api(client, alice).post(path, body).status_code == 403
    assert Api(client, sup).post(path, body).status_code == 403
    assert Api(client, auditor).post(path, body).status_code == 403
    assert not Tally.objects.filter(count__gt=0).exists()


def test_it_refuses_ballots_once_voting_has_closed(client, open_review, sup, rob):
    services.close_review(actor=sup, review=open_review)
    response = Api(client, rob).post(f"/reviews/{open_review.code}/ballot", sheet(open_review, "好", "好"))
    assert response.status_code == 409
