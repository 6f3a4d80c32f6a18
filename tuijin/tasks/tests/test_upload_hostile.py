"""Hostile files sent as progress evidence are refused by their content, with a message naming the file and the
problem, and nothing is saved: no report, no evidence row, no file on disk."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.tasks.models import Evidence, Report

from . import hostile_files as hostile
from .test_api_support import Api

pytestmark = pytest.mark.django_db

HOSTILE = {
    "svg renamed .jpg": ("工地.jpg", hostile.svg, "web page, an SVG drawing or an XML file"),
    "html renamed .pdf": ("报告.pdf", hostile.html, "web page, an SVG drawing or an XML file"),
    "program renamed .pdf": ("报告.pdf", hostile.program, "program or a script"),
    "jpeg that is also a page": ("现场.jpg", hostile.polyglot_jpeg, "hides web-page or script code"),
    "zip bomb .xlsx": ("台账.xlsx", hostile.zip_bomb_xlsx, "looks like a zip bomb"),
    "word file with a macro": ("方案.docm", lambda: hostile.with_macro(hostile.docx(), "word"), "macros (VBA)"),
    "excel file with a macro renamed .xlsx": (
        "台账.xlsx", lambda: hostile.with_macro(hostile.xlsx(), "xl"), "macros (VBA)"
    ),
    "pdf running javascript": ("通知.pdf", hostile.pdf_with_javascript, "JavaScript actions"),
    "pdf hiding javascript in an escaped name": ("通知.pdf", hostile.pdf_with_escaped_javascript, "JavaScript"),
    "pdf launching a program from an object stream": (
        "通知.pdf", hostile.pdf_with_launch_in_object_stream, "Launch actions"
    ),
    "png claiming 900 million pixels": ("航拍.png", hostile.huge_pixels_png, "more than 64 million pixels"),
}  # fmt: skip


@pytest.fixture
def reporting(client, task, alice, settings):
    settings.LANGUAGE_CODE = "en"  # assertions read the English source strings
    client.post(reverse("login"), {"username": alice.username, "password": PASSWORD})
    client.post(reverse("task_action", args=[task.code, "acknowledge"]))
    return client


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def post_report(client, task, *uploads):
    return client.post(
        reverse("report_create", args=[task.code]),
        {"text": "桩基施工完成", "progress": 30, "files": list(uploads)},
    )


@pytest.mark.parametrize("case", HOSTILE)
def test_it_refuses_a_hostile_file_with_its_reason_and_saves_nothing(reporting, task, case):
    name, make, reason = HOSTILE[case]
    before = stored_files()
    good = SimpleUploadedFile("ok.jpg", hostile.jpeg(), content_type="image/jpeg")
    response = post_report(reporting, task, good, SimpleUploadedFile(name, make(), content_type="image/jpeg"))
    assert response.status_code == 400
    page = response.content.decode()
    assert name in page
    assert reason in page
    assert Report.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert stored_files() == before


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(reporting, task, settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    big = SimpleUploadedFile(
        "航拍.jpg", hostile.jpeg() + b"\x00" * (3 * 1024 * 1024), content_type="image/jpeg"
    )
    response = post_report(reporting, task, big)
    assert response.status_code == 400
    assert "航拍.jpg" in response.content.decode()
    assert "2 MB" in response.content.decode()
    assert Evidence.objects.count() == 0 and Report.objects.count() == 0


def test_it_refuses_the_same_files_through_the_api(client, task, alice):
    api = Api(client, alice)
    api.post(f"/tasks/{task.code}/acknowledge")
    response = api.post_form(
        f"/tasks/{task.code}/reports",
        {"text": "进展", "progress": "10", "files": [SimpleUploadedFile("现场.jpg", hostile.svg())]},
    )
    assert response.status_code == 422
    assert "现场.jpg" in response.json()["detail"][0]["msg"]
    assert "SVG" in response.json()["detail"][0]["msg"]
    assert Evidence.objects.count() == 0 and Report.objects.count() == 0


def test_it_refuses_hostile_attachments_on_the_task_page(reporting, task):
    response = reporting.post(
        reverse("task_action", args=[task.code, "attach"]),
        {"files": [SimpleUploadedFile("说明.pdf", hostile.html())]},
    )
    assert response.status_code == 400
    assert "说明.pdf" in response.content.decode()
    assert Evidence.objects.count() == 0
