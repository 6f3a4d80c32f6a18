"""Invalid input answers 422 naming the field, in the caller's language, and creates nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuijin.tasks import services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Evidence, ExtensionRequest, Report, TaskState

from .test_api_support import Api, tiny_png


@pytest.fixture(autouse=True)
def early_march(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC))


@pytest.fixture
def acknowledged(task, alice):
    return services.acknowledge(actor=alice, task=task)


def errors(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    found: dict[str, list[str]] = {}
    for error in response.json()["detail"]:
        found.setdefault(".".join(str(part) for part in error["loc"]), []).append(error["msg"])
    return found


def test_it_refuses_progress_over_100(client, alice, acknowledged):
    response = Api(client, alice).post(
        f"/tasks/{acknowledged.code}/reports", {"text": "进展顺利", "progress": 150}
    )
    assert errors(response) == {"body.progress": ["Ensure this value is less than or equal to 100."]}
    assert not Report.objects.exists()


def test_it_refuses_an_empty_report_text(client, alice, acknowledged):
    response = Api(client, alice).post(f"/tasks/{acknowledged.code}/reports", {"text": "", "progress": 10})
    assert errors(response) == {"body.text": ["This field is required."]}
    assert not Report.objects.exists()


def test_it_speaks_chinese_to_a_chinese_caller(client, alice, acknowledged):
    api = Api(client, alice, language="zh-hans")
    response = api.post(f"/tasks/{acknowledged.code}/reports", {"text": "", "progress": 150})
    found = errors(response)
    assert found["body.text"] == ["这个字段是必填项。"]
    assert found["body.progress"] == ["确保该值小于或等于100。"]


def test_it_asks_for_a_percentage_or_a_value(client, alice, acknowledged):
    response = Api(client, alice).post(f"/tasks/{acknowledged.code}/reports", {"text": "进展顺利"})
    assert errors(response) == {"body": ["Give the percentage complete or the measured value."]}


def test_it_refuses_progress_that_goes_back(client, alice, acknowledged):
    api = Api(client, alice)
    assert (
        api.post(f"/tasks/{acknowledged.code}/reports", {"text": "完成一半", "progress": 50}).status_code
        == 201
    )
    response = api.post(f"/tasks/{acknowledged.code}/reports", {"text": "返工", "progress": 30})
    assert list(errors(response)) == ["body.progress"]
    assert Report.objects.count() == 1


def test_it_refuses_values_of_the_wrong_type(client, alice, acknowledged):
    api = Api(client, alice)
    response = api.post(f"/tasks/{acknowledged.code}/reports", {"text": ["a", "b"], "progress": "forty"})
    assert list(errors(response)) == ["body.text"]
    response = api.post(
        f"/tasks/{acknowledged.code}/reports", {"text": "进展", "progress": "forty", "value": -1}
    )
    assert sorted(errors(response)) == ["body.progress", "body.value"]
    assert not Report.objects.exists()


def test_it_refuses_a_file_that_is_not_what_it_claims(client, alice, acknowledged):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = Api(client, alice).post_form(
        f"/tasks/{acknowledged.code}/reports", {"text": "现场照片", "progress": "20", "files": [fake]}
    )
    found = errors(response)
    assert list(found) == ["body.files"]
    assert "photo.png" in found["body.files"][0]
    assert not Report.objects.exists()
    assert not Evidence.objects.exists()


def test_it_answers_400_to_a_body_that_is_not_json(client, alice, acknowledged):
    api = Api(client, alice)
    response = client.post(
        f"/api/v1/tasks/{acknowledged.code}/reports", "{text:", content_type="application/json", **api.headers
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}
    assert api.post(f"/tasks/{acknowledged.code}/reports", None).status_code == 422


def test_it_asks_for_a_note_when_requesting_closure(client, alice, acknowledged):
    response = Api(client, alice).post(f"/tasks/{acknowledged.code}/request-closure", {})
    assert list(errors(response)) == ["body.note"]
    acknowledged.refresh_from_db()
    assert acknowledged.state == TaskState.IN_PROGRESS


def test_it_asks_for_a_reason_when_returning(client, alice, sup, acknowledged):
    services.request_closure(
        actor=alice, task=acknowledged, note="已建成",
        files=[check_upload(SimpleUploadedFile("a.png", tiny_png(), "image/png"))],
    )  # fmt: skip
    response = Api(client, sup).post(f"/tasks/{acknowledged.code}/return", {"reason": ""})
    assert list(errors(response)) == ["body.reason"]
    acknowledged.refresh_from_db()
    assert acknowledged.state == TaskState.CLOSURE_REQUESTED


def test_it_checks_the_extension_fields(client, alice, acknowledged):
    api = Api(client, alice)
    response = api.post(
        f"/tasks/{acknowledged.code}/extensions", {"new_deadline": "next spring", "reason": ""}
    )
    assert sorted(errors(response)) == ["body.new_deadline", "body.reason"]
    response = api.post(
        f"/tasks/{acknowledged.code}/extensions", {"new_deadline": "2026-06-30", "reason": "提前"}
    )
    assert response.status_code == 409, "earlier than the current deadline"
    assert not ExtensionRequest.objects.exists()


def test_it_checks_the_decision(client, alice, sup, acknowledged):
    extension = services.request_extension(
        actor=alice, task=acknowledged, new_deadline=datetime.date(2027, 3, 31), reason="征地延迟"
    )
    response = Api(client, sup).post(f"/extensions/{extension.pk}/decision", {"approve": "maybe"})
    assert list(errors(response)) == ["body.approve"]
    extension.refresh_from_db()
    assert extension.state == ExtensionRequest.State.PENDING


def test_it_checks_list_filters(client, alice, task):
    api = Api(client, alice)
    assert api.get("/tasks", status="bogus").status_code == 422
    assert api.get("/tasks", plan="not-a-uuid").status_code == 422
    assert api.get("/tasks", updated_since="yesterday").status_code == 422
