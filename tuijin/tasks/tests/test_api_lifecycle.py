"""A task's life through the API: acknowledge, report, request closure with evidence, close, return, extend."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuijin.core.models import AuditEvent
from tuijin.tasks.models import Evidence, ExtensionRequest, TaskState, TaskStatus

from .test_api_support import Api, tiny_png


@pytest.fixture(autouse=True)
def early_march(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC))


def png(name="site.png", colour="red"):
    return SimpleUploadedFile(name, tiny_png(colour), content_type="image/png")


def test_it_takes_a_task_from_assignment_to_closure(client, alice, sup, task):
    alice_api, sup_api = Api(client, alice), Api(client, sup)
    url = f"/tasks/{task.code}"

    response = alice_api.post(f"{url}/acknowledge")
    assert response.status_code == 200
    assert response.json()["state"] == "in_progress"

    response = alice_api.post(f"{url}/reports", {"text": "孵化基地主体结构封顶", "progress": 40})
    assert response.status_code == 201
    report = response.json()
    assert (report["progress"], report["unit"], report["author"]) == (40, "中原科技城管委会", "张科技")
    detail = alice_api.get(url).json()
    assert detail["progress"] == 40
    assert detail["latest_report"]["id"] == report["id"]

    response = alice_api.post_form(f"{url}/request-closure", {"note": "孵化基地已建成", "files": [png()]})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closure_requested"
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.original_name, evidence.task) == ("photo", "site.png", task)

    response = sup_api.post(f"{url}/close", {"note": "现场核实"})
    assert response.status_code == 200
    detail = response.json()
    assert (detail["state"], detail["status"], detail["progress"]) == ("closed", "closed", 100)
    assert detail["closed_at"]
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-4:] == ["task.acknowledge", "report.create", "task.request_closure", "task.close"]


def test_it_reports_with_photos_in_one_multipart_request(client, alice, task):
    api = Api(client, alice)
    api.post(f"/tasks/{task.code}/acknowledge")
    response = api.post_form(
        f"/tasks/{task.code}/reports",
        {"text": "完成地基", "progress": "20", "value": "1.5", "files": [png("a.png"), png("b.png", "blue")]},
    )
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["value"] == "1.50"
    assert sorted(e["name"] for e in report["evidence"]) == ["a.png", "b.png"]
    assert all(e["kind"] == "photo" and not e["reused"] for e in report["evidence"])


def test_it_lets_the_office_return_a_closure_request_with_a_reason(client, alice, sup, task):
    alice_api, sup_api = Api(client, alice), Api(client, sup)
    alice_api.post(f"/tasks/{task.code}/acknowledge")
    alice_api.post_form(f"/tasks/{task.code}/request-closure", {"note": "已建成", "files": [png()]})

    response = sup_api.post(f"/tasks/{task.code}/return", {"reason": "缺少竣工验收材料"})

    assert response.status_code == 200
    assert response.json()["state"] == "in_progress"
    assert task.events.filter(kind="returned", note="缺少竣工验收材料").exists()


def test_it_asks_for_closure_with_a_note_alone_only_when_evidence_exists(client, alice, task):
    api = Api(client, alice)
    api.post(f"/tasks/{task.code}/acknowledge")

    response = api.post(f"/tasks/{task.code}/request-closure", {"note": "已建成"})
    assert response.status_code == 409
    assert "evidence" in response.json()["detail"]

    api.post_form(f"/tasks/{task.code}/reports", {"text": "完工", "progress": "100", "files": [png()]})
    response = api.post(f"/tasks/{task.code}/request-closure", {"note": "已建成"})
    assert response.status_code == 200
    assert response.json()["state"] == "closure_requested"


def test_it_records_an_extension_requested_before_the_deadline_and_keeps_the_original(
    client, alice, sup, task
):
    alice_api, sup_api = Api(client, alice), Api(client, sup)
    alice_api.post(f"/tasks/{task.code}/acknowledge")

    response = alice_api.post(
        f"/tasks/{task.code}/extensions", {"new_deadline": "2027-03-31", "reason": "征地延迟"}
    )
    assert response.status_code == 200, response.content
    [pending] = response.json()["extensions"]
    assert (pending["state"], pending["old_deadline"], pending["new_deadline"]) == (
        "pending", "2026-12-31", "2027-03-31",
    )  # fmt: skip
    assert "request_extension" not in response.json()["allowed_actions"]
    assert "decide_extension" in sup_api.get(f"/tasks/{task.code}").json()["allowed_actions"]

    response = sup_api.post(f"/extensions/{pending['id']}/decision", {"approve": True, "note": "同意"})
    assert response.status_code == 200, response.content
    detail = response.json()
    assert (detail["deadline"], detail["original_deadline"]) == ("2027-03-31", "2026-12-31")
    assert detail["extensions"][0]["state"] == "approved"

    again = alice_api.post(
        f"/tasks/{task.code}/extensions", {"new_deadline": "2027-06-30", "reason": "再延期"}
    )
    ext = again.json()["extensions"][0]
    response = sup_api.post(f"/extensions/{ext['id']}/decision", {"approve": True})
    assert response.json()["original_deadline"] == "2026-12-31", "the first deadline is kept"
    assert sup_api.post(f"/extensions/{ext['id']}/decision", {"approve": False}).status_code == 409


def test_it_keeps_the_deadline_when_an_extension_is_rejected(client, alice, sup, task):
    Api(client, alice).post(f"/tasks/{task.code}/acknowledge")
    Api(client, alice).post(
        f"/tasks/{task.code}/extensions", {"new_deadline": "2027-03-31", "reason": "征地延迟"}
    )
    extension = ExtensionRequest.objects.get()

    response = Api(client, sup).post(
        f"/extensions/{extension.pk}/decision", {"approve": False, "note": "不同意"}
    )

    assert response.status_code == 200
    assert (response.json()["deadline"], response.json()["original_deadline"]) == ("2026-12-31", None)
    extension.refresh_from_db()
    assert extension.state == ExtensionRequest.State.REJECTED


def test_it_refuses_an_extension_once_the_deadline_has_passed(client, alice, task, time_machine):
    Api(client, alice).post(f"/tasks/{task.code}/acknowledge")
    time_machine.move_to(datetime.datetime(2027, 1, 5, 10, 0, tzinfo=datetime.UTC))

    response = Api(client, alice).post(
        f"/tasks/{task.code}/extensions", {"new_deadline": "2027-03-31", "reason": "来不及"}
    )

    assert response.status_code == 409
    assert "before the deadline" in response.json()["detail"]
    assert not ExtensionRequest.objects.exists()


def test_it_shows_the_task_in_full(client, alice, task):
    detail = Api(client, alice).get(f"/tasks/{task.code}").json()
    assert detail["id"] == str(task.code)
    assert detail["plan"] == "2026年中原科技城建设重点任务清单"
    assert detail["plan_id"] == str(task.plan.code)
    assert (detail["lead_units"], detail["supporting_units"]) == (["中原科技城管委会"], ["市科技局"])
    assert (detail["target"], detail["leader"], detail["source_kind"]) == (
        "孵化面积10万平方米",
        "周副市长",
        "deployment",
    )
    assert (detail["limit_text"], detail["deadline"]) == ("年底前", "2026-12-31")
    assert detail["state"] == TaskState.ASSIGNED
    assert detail["status"] == TaskStatus.WARNING, "no progress in March on a task due at the end of the year"
    assert detail["status_reason"]
    assert detail["milestones"] == []
    assert detail["latest_report"] is None
