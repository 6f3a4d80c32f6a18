"""Who may read and write what through the API: 401 without a valid token, 404 for tasks out of sight,
403 for roles that can never act, 409 when the state does not allow it now."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuijin.org.models import ApiToken
from tuijin.tasks import services
from tuijin.tasks.models import Report, TaskState

from .test_api_support import Api, tiny_png


@pytest.fixture(autouse=True)
def early_march(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC))


@pytest.fixture
def other_task(plan, sup, unit_c):
    """A task only charlie's unit leads."""
    return services.create_task(actor=sup, plan=plan, number="2", title="引进头部企业", lead_units=[unit_c])


def writes(task, extension_id=0):
    """Every write endpoint with a body that would be valid."""
    code = task.code
    return [
        (f"/tasks/{code}/reports", {"text": "完成主体结构", "progress": 40}),
        (f"/tasks/{code}/acknowledge", {}),
        (f"/tasks/{code}/request-closure", {"note": "已建成"}),
        (f"/tasks/{code}/close", {"note": "核实无误"}),
        (f"/tasks/{code}/return", {"reason": "佐证材料不足"}),
        (f"/tasks/{code}/extensions", {"new_deadline": "2027-03-31", "reason": "受天气影响"}),
        (f"/extensions/{extension_id}/decision", {"approve": True}),
    ]


@pytest.fixture
def extension(task, alice):
    services.acknowledge(actor=alice, task=task)
    return services.request_extension(
        actor=alice, task=task, new_deadline=datetime.date(2027, 3, 31), reason="受天气影响"
    )


def test_it_refuses_requests_without_a_token(client, task):
    api = Api(client)
    assert api.get("/tasks").status_code == 401
    assert api.get("/plans").status_code == 401
    assert api.get(f"/tasks/{task.code}").status_code == 401
    assert api.post(f"/tasks/{task.code}/acknowledge").status_code == 401


def test_it_refuses_a_made_up_token(client, task):
    response = Api(client, key="tj_not-a-real-token").get("/tasks")
    assert response.status_code == 401


def test_it_refuses_a_revoked_token(client, alice, task):
    token, key = ApiToken.issue(alice)
    assert Api(client, key=key).get("/tasks").status_code == 200
    token.revoked = True
    token.save()
    assert Api(client, key=key).get("/tasks").status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(client, alice, task):
    api = Api(client, alice)
    alice.is_active = False
    alice.save()
    assert api.get("/tasks").status_code == 401


def test_it_shows_alice_only_the_tasks_her_unit_leads_or_supports(
    client, alice, plan, sup, unit_a, task, other_task
):
    supported = services.create_task(
        actor=sup, plan=plan, number="3", title="建设人才公寓", lead_units=[other_task.lead_units[0]],
        supporting_units=[unit_a],
    )  # fmt: skip
    ids = {item["id"] for item in Api(client, alice).get("/tasks").json()["items"]}
    assert ids == {str(task.code), str(supported.code)}


def test_it_shows_bob_the_task_his_unit_supports(client, bob, task, other_task):
    ids = [item["id"] for item in Api(client, bob).get("/tasks").json()["items"]]
    assert ids == [str(task.code)]


def test_it_shows_charlie_nothing_of_alices_task(client, charlie, task):
    api = Api(client, charlie)
    assert api.get("/tasks").json() == {"items": [], "count": 0}
    assert api.get(f"/tasks/{task.code}").status_code == 404


def test_it_answers_404_not_403_to_charlie_for_every_write_on_alices_task(client, charlie, task, extension):
    api = Api(client, charlie)
    for path, body in writes(task, extension.pk):
        response = api.post(path, body)
        assert response.status_code == 404, path
    assert Report.objects.count() == 0


def test_it_answers_404_for_a_task_that_does_not_exist(client, sup, task):
    api = Api(client, sup)
    assert api.get("/tasks/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api.post("/extensions/999/decision", {"approve": True}).status_code == 404


def test_it_never_uses_the_primary_key_as_the_id(client, sup, task):
    assert Api(client, sup).get(f"/tasks/{task.pk}").status_code == 422


def test_it_lets_bob_report_on_the_task_his_unit_supports(client, bob, task):
    response = Api(client, bob).post(
        f"/tasks/{task.code}/reports", {"text": "配合完成政策研究", "progress": 30}
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert (report.author, report.unit.name) == (bob, "市科技局")
    task.refresh_from_db()
    assert task.progress == 0, "a supporting unit's figure is not the task's"


def test_it_forbids_bob_to_acknowledge_or_request_closure(client, bob, task):
    api = Api(client, bob)
    assert api.post(f"/tasks/{task.code}/acknowledge").status_code == 403
    response = api.post_form(
        f"/tasks/{task.code}/request-closure",
        {"note": "已建成", "files": [SimpleUploadedFile("site.png", tiny_png(), "image/png")]},
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the lead unit of this task can do this."}
    task.refresh_from_db()
    assert task.state == TaskState.ASSIGNED
    assert not task.evidence.exists()


def test_it_lets_the_leader_read_everything(client, leader, task, other_task):
    api = Api(client, leader)
    assert api.get("/tasks").json()["count"] == 2
    detail = api.get(f"/tasks/{task.code}").json()
    assert detail["allowed_actions"] == []


def test_it_forbids_the_leader_every_write(client, leader, task, extension):
    api = Api(client, leader)
    for path, body in writes(task, extension.pk):
        response = api.post(path, body)
        assert response.status_code == 403, path
        assert response.json()["detail"]
    task.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS
    assert task.deadline == datetime.date(2026, 12, 31)


def test_it_forbids_the_office_to_act_for_a_unit(client, sup, task):
    api = Api(client, sup)
    assert api.post(f"/tasks/{task.code}/acknowledge").status_code == 403
    assert api.post(f"/tasks/{task.code}/reports", {"text": "代报", "progress": 10}).status_code == 403


def test_it_answers_409_when_the_state_does_not_allow_it_now(client, alice, sup, task):
    alice_api, sup_api = Api(client, alice), Api(client, sup)
    response = alice_api.post(f"/tasks/{task.code}/reports", {"text": "尚未签收", "progress": 10})
    assert response.status_code == 409
    assert response.json() == {"detail": "You cannot do this on task 1 now."}
    assert sup_api.post(f"/tasks/{task.code}/close").status_code == 409
    assert sup_api.post(f"/tasks/{task.code}/return", {"reason": "不符合要求"}).status_code == 409
    assert alice_api.post(f"/tasks/{task.code}/acknowledge").status_code == 200
    assert alice_api.post(f"/tasks/{task.code}/acknowledge").status_code == 409


def test_it_tells_each_caller_what_they_may_do_now(client, alice, bob, sup, task):
    def actions(user):
        return Api(client, user).get(f"/tasks/{task.code}").json()["allowed_actions"]

    assert actions(alice) == ["acknowledge", "request_extension"]
    assert actions(bob) == ["report"]
    assert actions(sup) == ["edit"]
