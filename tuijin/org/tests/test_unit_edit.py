"""Creating and editing units, their aliases and liaison officers: validation, cycles, audit."""

import pytest
from django.urls import reverse
from django.utils import translation

from tuijin.core.models import AuditEvent
from tuijin.org.models import Liaison, Unit, UnitAlias, UnitKind


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English source strings, whatever translations are compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def form_data(**overrides):
    return {"name": "市发展和改革委员会", "short_name": "市发改委", "kind": UnitKind.DEPARTMENT, "parent": "",
            "sort_order": "0", "aliases": ""} | overrides  # fmt: skip


def test_it_creates_a_unit_with_aliases_split_on_commas_and_dun_marks(client, sup):
    client.force_login(sup)
    response = client.post(
        reverse("unit_create"), form_data(aliases="市发改委、发改委, 市发展改革委，发改委")
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="市发展和改革委员会")
    assert sorted(unit.aliases.values_list("name", flat=True)) == ["发改委", "市发展改革委", "市发改委"]
    event = AuditEvent.objects.get(action="unit.create")
    assert event.actor == sup and event.after["aliases"] == ["发改委", "市发展改革委", "市发改委"]


def test_it_forbids_unit_writes_to_unit_users(client, alice, unit_a):
    client.force_login(alice)
    assert client.post(reverse("unit_create"), form_data()).status_code == 403
    assert client.post(reverse("unit_edit", args=[unit_a.code]), form_data()).status_code == 403
    assert client.post(reverse("unit_set_active", args=[unit_a.code]), {"active": "0"}).status_code == 403
    assert client.post(reverse("unit_liaison", args=[unit_a.code]), {"name": "x"}).status_code == 403
    assert not AuditEvent.objects.changes().exists()


def test_it_requires_a_name_and_rejects_a_duplicate_name(client, sup, unit_b):
    client.force_login(sup)
    response = client.post(reverse("unit_create"), form_data(name=""))
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = client.post(reverse("unit_create"), form_data(name="市科技局"))
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Unit.objects.filter(name="市科技局").count() == 1


def test_it_rejects_an_alias_another_unit_already_has(client, sup, unit_b):
    UnitAlias.objects.create(unit=unit_b, name="科技局")
    client.force_login(sup)
    response = client.post(reverse("unit_create"), form_data(aliases="科技局"))
    errors = response.context["form"].errors["aliases"]
    assert errors == ["“科技局” is already an alias of 市科技局."]
    assert not Unit.objects.filter(name="市发展和改革委员会").exists()


def test_it_rejects_an_alias_that_is_another_units_name(client, sup, unit_b):
    client.force_login(sup)
    response = client.post(reverse("unit_create"), form_data(aliases="市科技局"))
    assert response.context["form"].errors["aliases"] == ["“市科技局” is the name of another unit."]


def test_it_rejects_a_name_that_is_another_units_alias(client, sup, unit_b):
    UnitAlias.objects.create(unit=unit_b, name="科技局")
    client.force_login(sup)
    response = client.post(reverse("unit_create"), form_data(name="科技局"))
    assert "already an alias of 市科技局" in response.context["form"].errors["name"][0]


def test_it_keeps_a_units_own_aliases_when_editing_and_drops_an_alias_equal_to_its_name(client, sup, unit_b):
    UnitAlias.objects.create(unit=unit_b, name="科技局")
    client.force_login(sup)
    data = form_data(name="市科技局", kind=UnitKind.DEPARTMENT, aliases="科技局、市科技局、市科学技术局")
    assert client.post(reverse("unit_edit", args=[unit_b.code]), data).status_code == 302
    assert sorted(unit_b.aliases.values_list("name", flat=True)) == ["市科学技术局", "科技局"]
    event = AuditEvent.objects.get(action="unit.update")
    assert event.before["aliases"] == ["科技局"] and event.after["aliases"] == ["市科学技术局", "科技局"]


def test_it_prevents_a_unit_from_becoming_its_own_ancestor(client, sup, unit_a):
    child = Unit.objects.create(name="科技城孵化中心", parent=unit_a)
    grandchild = Unit.objects.create(name="孵化中心一部", parent=child)
    client.force_login(sup)
    data = form_data(name=unit_a.name, kind=unit_a.kind, parent=grandchild.pk)
    response = client.post(reverse("unit_edit", args=[unit_a.code]), data)
    assert response.status_code == 200
    assert "loop" in response.context["form"].errors["parent"][0]
    unit_a.refresh_from_db()
    assert unit_a.parent is None


def test_it_does_not_offer_a_unit_as_its_own_parent(client, sup, unit_a):
    client.force_login(sup)
    response = client.post(
        reverse("unit_edit", args=[unit_a.code]), form_data(name=unit_a.name, parent=unit_a.pk)
    )
    assert "parent" in response.context["form"].errors


def test_it_deactivates_and_reactivates_a_unit_with_audit_rows(client, sysadmin, unit_a):
    client.force_login(sysadmin)
    client.post(reverse("unit_set_active", args=[unit_a.code]), {"active": "0"})
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    client.post(reverse("unit_set_active", args=[unit_a.code]), {"active": "1"})
    unit_a.refresh_from_db()
    assert unit_a.is_active
    assert list(AuditEvent.objects.changes().order_by("seq").values_list("action", flat=True)) == [
        "unit.deactivate", "unit.activate",
    ]  # fmt: skip


def test_it_only_deactivates_with_a_post(client, sup, unit_a):
    client.force_login(sup)
    assert client.get(reverse("unit_set_active", args=[unit_a.code])).status_code == 405


def test_it_sets_a_liaison_officer_with_a_normalised_mobile_and_audits_it_masked(client, sup, unit_a, alice):
    client.force_login(sup)
    data = {"name": "王联络", "position": "综合科科长", "phone": "+86 138-1234-5678", "office_phone": "0371-67181234",
            "user": alice.pk}  # fmt: skip
    assert client.post(reverse("unit_liaison", args=[unit_a.code]), data).status_code == 302
    liaison = Liaison.objects.get(unit=unit_a)
    assert (liaison.phone, liaison.user) == ("13812345678", alice)
    event = AuditEvent.objects.get(action="liaison.set")
    assert event.after["phone"] == "138****5678" and "13812345678" not in str(event.after)


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "138123456789", "0371-6718123", ""])
def test_it_rejects_a_liaison_mobile_that_is_not_an_11_digit_chinese_mobile(client, sup, unit_a, phone):
    client.force_login(sup)
    response = client.post(reverse("unit_liaison", args=[unit_a.code]), {"name": "王联络", "phone": phone})
    assert response.status_code == 200 and "phone" in response.context["form"].errors
    assert not Liaison.objects.exists()


def test_it_replaces_and_removes_the_liaison_officer(client, sup, unit_a):
    Liaison.objects.create(unit=unit_a, name="旧联络员", phone="13900001111")
    client.force_login(sup)
    client.post(reverse("unit_liaison", args=[unit_a.code]), {"name": "新联络员", "phone": "13812345678"})
    assert Liaison.objects.get(unit=unit_a).name == "新联络员"
    client.post(reverse("unit_liaison", args=[unit_a.code]), {"action": "remove"})
    assert not Liaison.objects.exists()
    actions = list(AuditEvent.objects.changes().order_by("seq").values_list("action", flat=True))
    assert actions == ["liaison.set", "liaison.remove"]
    assert AuditEvent.objects.get(action="liaison.set").before["name"] == "旧联络员"
