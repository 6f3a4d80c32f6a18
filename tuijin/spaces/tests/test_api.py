"""The spaces API, scoped like the pages: 401 without a token; 403 for roles with no business here; an applicant
lists and reads only their own applications (another's answers 404) with their own ID number in full; a manager
sees every application with ID numbers masked, reviews and allocates through the same services (audited)."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tuijin.core.models import AuditEvent
from tuijin.lib.masking import mask_id_number
from tuijin.org.models import ApiToken

from ..models import Application, Lease
from .conftest import PDF, id_number

pytestmark = pytest.mark.django_db
BASE = "/api/v1/spaces"


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


def test_it_refuses_requests_without_a_token(client):
    for path in ("/spaces", "/applications", "/leases", "/dashboard"):
        assert Api(client).get(path).status_code == 401


@pytest.mark.parametrize("who", ["alice", "charlie", "auditor", "sysadmin", "secadmin"])
def test_it_refuses_roles_without_business_here(client, who, request, ann_application, lease):
    api = Api(client, request.getfixturevalue(who))
    for path in (
        "/spaces",
        "/applications",
        "/leases",
        "/dashboard",
        f"/applications/{ann_application.code}",
    ):
        assert api.get(path).status_code == 403, path


def test_an_applicant_reads_only_their_own(client, ann, ben, ann_application, lease):
    mine = Api(client, ann).get("/applications").json()
    assert mine["count"] == 1 and mine["items"][0]["id_number"] == id_number(1)
    theirs = Api(client, ben)
    assert theirs.get("/applications").json()["count"] == 0
    assert theirs.get(f"/applications/{ann_application.code}").status_code == 404
    assert theirs.get(f"/leases/{lease.code}").status_code == 404
    assert theirs.get("/spaces").status_code == 403
    assert Api(client, ann).get(f"/leases/{lease.code}").json()["monthly_rent"] == "1920.00"


def test_a_manager_sees_every_application_masked_with_its_queue_reason(client, manager, ann_queued):
    api = Api(client, manager)
    item = api.get("/applications").json()["items"][0]
    assert item["id_number"] == mask_id_number(id_number(1))
    detail = api.get(f"/applications/{ann_queued.code}").json()
    assert detail["queue_position"] == 1 and "without scoring" in detail["queue_reason"]


def test_supervisors_read_the_aggregates(client, sup, lease):
    body = Api(client, sup).get("/dashboard").json()
    assert body["occupancy"]["building"][0]["reserved"] == 1
    assert Api(client, sup).get("/applications").status_code == 403


def test_an_applicant_applies_with_documents(client, ann, apartment_policy):
    api = Api(client, ann)
    data = {"category": "C", "name": "安申请", "id_number": id_number(9), "phone": "13812345678",
            "employer": "超聚变", "consent": "true"}  # fmt: skip
    for index, _t in enumerate(apartment_policy.required_documents):
        data[f"document_{index}"] = SimpleUploadedFile(f"d{index}.pdf", PDF)
    response = client.post(f"{BASE}/apply/apartment", data, **api.headers)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "submitted" and Application.objects.get().documents.count() == 4
    again = client.post(f"{BASE}/apply/apartment", {**data, "document_0": SimpleUploadedFile("d.pdf", PDF)},
                        **api.headers)  # fmt: skip
    assert again.status_code == 422  # the other files were read already; the form names the missing ones
    bad = client.post(f"{BASE}/apply/apartment", {"category": "C", "id_number": "123"}, **api.headers)
    assert bad.status_code == 422
    fields = {e["loc"][-1] for e in bad.json()["detail"]}
    assert {"id_number", "name", "phone", "document_0"} <= fields


def test_a_manager_reviews_and_allocates(client, manager, ann_application, flat):
    api = Api(client, manager)
    first = api.post(f"/applications/{ann_application.code}/review/first", {"approve": True})
    assert first.status_code == 200, first.content
    assert first.json()["state"] == ("first_passed")
    assert (
        api.post(f"/applications/{ann_application.code}/review/first", {"approve": True}).status_code == 409
    )
    refused = api.post(f"/applications/{ann_application.code}/review/second", {"approve": False})
    assert refused.status_code == 422  # a refusal needs a note
    api.post(f"/applications/{ann_application.code}/review/second", {"approve": True})
    from .. import services

    ann_application.refresh_from_db()
    services.finish_publicity(today=ann_application.publicity_ends + datetime.timedelta(days=1))
    response = api.post(f"/applications/{ann_application.code}/allocate", {"space": str(flat.code),
                                                                           "start": "2026-06-01"})  # fmt: skip
    assert response.status_code == 201 and response.json()["space"] == str(flat.code)
    assert Lease.objects.count() == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "spaces.application.review_first",
        "spaces.application.review_second",
        "spaces.lease.allocate",
    } <= actions


def test_an_applicant_cannot_review_or_allocate(client, ann, ann_application, flat):
    api = Api(client, ann)
    assert (
        api.post(f"/applications/{ann_application.code}/review/first", {"approve": True}).status_code == 403
    )
    assert api.post(f"/applications/{ann_application.code}/allocate", {"space": str(flat.code),
                                                                      "start": "2026-06-01"}).status_code == 403  # fmt: skip


def test_check_in_and_notice_through_the_api(client, manager, ann, ben, lease):
    assert (
        Api(client, ben).post(f"/leases/{lease.code}/notice", {"move_out_on": "2026-07-01"}).status_code
        == 404
    )
    done = Api(client, manager).post(f"/leases/{lease.code}/check-in", {"item_0": True, "item_1": False,
                                                                        "item_2": True, "note": "空调遥控器缺失"})  # fmt: skip
    assert done.status_code == 200 and done.json()["state"] == "active"
    lease.refresh_from_db()
    assert lease.check_in_checklist["items"] == {"双人床": True, "空调": False, "洗衣机": True}
    too_soon = Api(client, ann).post(f"/leases/{lease.code}/notice", {"move_out_on": "2026-06-01"})
    assert too_soon.status_code == 409 and "30 days" in too_soon.json()["detail"]
    ok = Api(client, ann).post(f"/leases/{lease.code}/notice", {"move_out_on": "2026-07-01"})
    assert ok.status_code == 200 and ok.json()["move_out_on"] == "2026-07-01"
