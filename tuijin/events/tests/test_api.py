"""The events API: programmes with countdown and readiness, activities with readiness, the run sheet as JSON and
signing off a checklist item — with the pages' rules for every role."""

import pytest

from tuijin.core.models import AuditEvent
from tuijin.events import checklist, preparation
from tuijin.tasks.tests.test_api_support import Api

from .conftest import PHONE

pytestmark = pytest.mark.urls("tuijin.events.tests.urls_api")


class EventsApi(Api):
    def get(self, path: str, **params):
        return self.client.get("/api/v1-events/events" + path, params, **self.headers)

    def post(self, path: str, body: dict | None = None):
        import json

        return self.client.post("/api/v1-events/events" + path, json.dumps(body or {}),
                                content_type="application/json", **self.headers)  # fmt: skip


@pytest.fixture
def world(sup, ceremony, opening, template, item):
    preparation.apply_template(actor=sup, activity=ceremony, template=template)
    return ceremony.programme


@pytest.mark.django_db
def test_it_refuses_requests_without_a_token(client, world):
    assert EventsApi(client).get("/programmes").status_code == 401


@pytest.mark.django_db
def test_it_lists_programmes_with_countdown_and_readiness(client, sup, world):
    body = EventsApi(client, sup).get("/programmes").json()
    assert len(body) == 1
    programme = body[0]
    assert programme["id"] == str(world.code) and programme["plan"] == str(world.plan.code)
    assert programme["readiness"] == {"signed": 0, "items": 5, "percent": 0}
    assert [(c["title"], c["days"], c["hours"], c["kind"]) for c in programme["countdowns"]] == [
        ("开幕式", 26, 9, "first"), ("拜祖大典", 29, 23, "main"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_it_gives_a_programme_with_activities_and_tasks_by_category(client, sup, alice, world, ceremony):
    checklist.sign_off(actor=alice, item=ceremony.checklist.get(title="应急预案"))
    body = EventsApi(client, sup).get(f"/programmes/{world.code}").json()
    assert body["tasks"]["total"] == 6 and body["tasks_by_category"]["安全"]["total"] == 1
    main = next(a for a in body["activities"] if a["is_main"])
    assert main["readiness"] == {"signed": 1, "items": 5, "percent": 20}
    assert main["contact_phone"] == PHONE and main["start_time"] == "09:30"
    disclosure = AuditEvent.objects.get(action="personal_data.export")  # the disclosure is logged
    assert disclosure.after["full"] is True
    assert main["supporting_units"] == ["市科技局"]
    listed = EventsApi(client, sup).get(f"/programmes/{world.code}/activities").json()
    assert [a["title"] for a in listed] == ["开幕式", "拜祖大典"]


@pytest.mark.django_db
def test_it_masks_contacts_and_scopes_tasks_for_units(client, bob, world, ceremony):
    body = EventsApi(client, bob).get(f"/programmes/{world.code}").json()
    main = next(a for a in body["activities"] if a["is_main"])
    assert main["contact_phone"] == "138****5678"
    assert not AuditEvent.objects.filter(action="personal_data.export").exists()
    assert body["tasks"]["total"] == 0  # the generated tasks are alice's unit's
    activity = EventsApi(client, bob).get(f"/activities/{ceremony.code}").json()
    assert activity["preparation_tasks"] == [] and len(activity["checklist"]) == 5


@pytest.mark.django_db
def test_it_gives_the_run_sheet_of_a_day(client, alice, world):
    body = EventsApi(client, alice).get(f"/programmes/{world.code}/run-sheet", date="2026-04-19").json()
    assert body["date"] == "2026-04-19" and body["days"] == ["2026-04-15", "2026-04-19"]
    assert [(r["time"], r["title"], r["contact"]) for r in body["rows"]] == [
        ("09:30—11:00", "拜祖大典", "王晓明 138****5678")
    ]
    assert EventsApi(client, alice).get(f"/programmes/{world.code}/run-sheet").json()["date"] == "2026-04-15"
    assert EventsApi(client, alice).get(f"/programmes/{world.code}/run-sheet", date="x").status_code == 422


@pytest.mark.django_db
def test_it_lets_the_responsible_unit_sign_off_through_the_api(client, alice, bob, world, ceremony, item):
    assert EventsApi(client, bob).post(f"/checklist/{item.code}/sign-off").status_code == 403
    nul = EventsApi(client, alice).post(f"/checklist/{item.code}/sign-off", {"note": "已验收\x00"})
    assert nul.status_code == 400  # NUL refused for every request (core NulCharacterMiddleware), nothing signed
    response = EventsApi(client, alice).post(f"/checklist/{item.code}/sign-off", {"note": "已验收"})
    assert response.status_code == 200
    assert response.json()["signed_by"] == "张科技" and response.json()["note"] == "已验收"
    assert EventsApi(client, alice).post(f"/checklist/{item.code}/sign-off").status_code == 409
    waiting = ceremony.checklist.get(title="场地验收", task__isnull=False)
    response = EventsApi(client, alice).post(f"/checklist/{waiting.code}/sign-off")
    assert response.status_code == 409 and waiting.task.title in response.json()["detail"]


@pytest.mark.django_db
def test_it_hides_the_programme_from_an_outsider(client, charlie, world, ceremony, item):
    api = EventsApi(client, charlie)
    assert api.get("/programmes").json() == []
    assert api.get(f"/programmes/{world.code}").status_code == 404
    assert api.get(f"/activities/{ceremony.code}").status_code == 404
    assert api.get(f"/programmes/{world.code}/run-sheet").status_code == 404
    assert api.post(f"/checklist/{item.code}/sign-off").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin"])
def test_it_refuses_the_three_administrators(client, world, ceremony, item, who, request):
    api = EventsApi(client, request.getfixturevalue(who))
    for path in ("/programmes", f"/programmes/{world.code}", f"/activities/{ceremony.code}",
                 f"/programmes/{world.code}/activities", f"/programmes/{world.code}/run-sheet"):  # fmt: skip
        assert api.get(path).status_code == 403, path
    assert api.post(f"/checklist/{item.code}/sign-off").status_code == 403


@pytest.mark.django_db
def test_it_lets_the_leader_read_but_not_sign(client, leader, world, item):
    api = EventsApi(client, leader)
    assert api.get(f"/programmes/{world.code}").status_code == 200
    assert api.post(f"/checklist/{item.code}/sign-off").status_code == 403
