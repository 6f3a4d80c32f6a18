"""The inventory: a space manager adds buildings (and who manages them) and spaces, edits them, adds photos
(checked by content, served only to those who may see the space); a let space's status follows its lease."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tuijin.core.models import AuditEvent

from ..models import Building, Space
from .conftest import login

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_manager_adds_a_building_and_becomes_its_manager(client, manager, other_manager, unit_a, unit_b):
    login(client, manager)
    url = reverse("spaces_building_create")
    page = client.get(url).content.decode()
    assert unit_b.name not in page  # only sectors
    response = client.post(url, {"name": "白沙人才公寓", "address": "白沙科学谷1号", "sector": unit_a.pk,
                                 "operator": "运营公司", "managers": [manager.pk, other_manager.pk]})  # fmt: skip
    assert response.status_code == 302
    building = Building.objects.get(name="白沙人才公寓")
    assert set(building.managers.all()) == {manager, other_manager}
    assert AuditEvent.objects.filter(action="spaces.building.save").count() == 1
    assert client.get(reverse("spaces_building_list")).status_code == 200


def test_a_manager_adds_and_edits_spaces_of_their_buildings_only(client, manager, building, other_building):
    login(client, manager)
    data = {"building": building.pk, "kind": "apartment", "label": "2-101", "rooms": 2, "desks": 0, "area": "80",
            "market_rent": "2600", "status": "available", "furnishing_text": "双人床\n空调、冰箱"}  # fmt: skip
    assert client.post(reverse("spaces_space_create"), data).status_code == 302
    space = Space.objects.get(label="2-101")
    assert space.furnishing == ["双人床", "空调", "冰箱"] and space.area == Decimal(80)
    response = client.post(
        reverse("spaces_space_create"), {**data, "building": other_building.pk, "label": "x"}
    )
    assert response.status_code == 200 and not Space.objects.filter(label="x").exists()
    bad = client.post(reverse("spaces_space_create"), {**data, "label": "2-102", "area": "0"})
    assert 'data-field="area"' in bad.content.decode()
    client.post(reverse("spaces_space_edit", args=[space.code]), {**data, "status": "maintenance"})
    space.refresh_from_db()
    assert space.status == "maintenance"


def test_a_let_space_keeps_the_status_of_its_lease(client, manager, lease, building):
    login(client, manager)
    space = lease.space
    data = {"building": building.pk, "kind": "apartment", "label": space.label, "rooms": 2, "desks": 0,
            "area": "75", "market_rent": "2400", "status": "available", "furnishing_text": "床"}  # fmt: skip
    response = client.post(reverse("spaces_space_edit", args=[space.code]), data)
    assert response.status_code == 200 and 'data-field="status"' in response.content.decode()
    space.refresh_from_db()
    assert space.status == Space.Status.RESERVED


def test_photos_are_checked_and_served_to_those_who_may_see_the_space(client, manager, flat, sup, alice):
    login(client, manager)
    url = reverse("spaces_space_photo_add", args=[flat.code])
    client.post(url, {"photo": SimpleUploadedFile("a.html", b"<html><script>x</script></html>")})
    assert not flat.photos.exists()
    client.post(url, {"photo": SimpleUploadedFile("room.jpg", jpeg())})
    photo = flat.photos.get()
    response = client.get(reverse("spaces_photo", args=[photo.code]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert login(client, sup).get(reverse("spaces_photo", args=[photo.code])).status_code == 200
    assert login(client, alice).get(reverse("spaces_photo", args=[photo.code])).status_code == 404
