"""Hostile task lists are refused at upload, by content, before anything is kept or unpacked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tuijin.conftest import PASSWORD
from tuijin.tasks.models import Plan

from . import hostile_files as hostile


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.IMPORT_TEMP_DIR = tmp_path / "imports"
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("清单.xlsx", hostile.zip_bomb_xlsx, "looks like a zip bomb"),
        ("清单.xlsm", lambda: hostile.with_macro(hostile.xlsx(), "xl"), "macros (VBA)"),
        ("清单.docx", lambda: hostile.with_macro(hostile.docx(), "word"), "macros (VBA)"),
        ("清单.csv", hostile.html, "web page, an SVG drawing or an XML file"),
        ("清单.xlsx", hostile.program, "program or a script"),
    ],
)
def test_it_refuses_a_hostile_list_and_keeps_nothing(client, sup, tmp_path, name, make, reason):
    client.login(username=sup.username, password=PASSWORD)
    response = client.post(
        "/plans/import/",
        {"plan_name": "2021年重点任务", "year": "2021", "file": SimpleUploadedFile(name, make())},
    )
    assert response.status_code == 400
    assert reason in response.context["form"].errors["file"][0]
    assert name in response.context["form"].errors["file"][0]
    assert not (tmp_path / "imports").exists() or not any((tmp_path / "imports").iterdir())
    assert not Plan.objects.exists()
