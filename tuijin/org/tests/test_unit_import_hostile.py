"""Hostile unit lists are refused by content before openpyxl unpacks anything; no unit is created."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tuijin.org.models import Unit
from tuijin.tasks.tests import hostile_files as hostile


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("units.xlsx", lambda: hostile.zip_bomb_xlsx(unpacked_mb=300), "looks like a zip bomb"),
        ("units.xlsx", lambda: hostile.with_macro(hostile.xlsx(), "xl"), "macros (VBA)"),
        ("units.csv", hostile.svg, "web page, an SVG drawing or an XML file"),
    ],
)
def test_it_refuses_a_hostile_unit_list(client, sup, name, make, reason):
    client.force_login(sup)
    before = Unit.objects.count()
    response = client.post(
        reverse("unit_import"), {"action": "preview", "file": SimpleUploadedFile(name, make())}
    )
    assert reason in response.context["form"].errors["file"][0]
    assert Unit.objects.count() == before
