"""Who may see the units page, what it shows, and that its cost does not grow with the number of units."""

import pytest
from django.urls import reverse
from django.utils import translation

from tuijin.org.models import Liaison, Unit, UnitAlias, UnitKind

URL = reverse("unit_list")


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English source strings, whatever translations are compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def make_units(n: int, parent: Unit) -> None:
    for i in range(n):
        unit = Unit.objects.create(
            name=f"测试单位{i:03d}", kind=UnitKind.SECTOR if i % 2 else UnitKind.DISTRICT, parent=parent
        )
        UnitAlias.objects.create(unit=unit, name=f"测试别名{i:03d}")
        Liaison.objects.create(unit=unit, name=f"联络员{i}", position="科长", phone="13812345678")


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "leader", "auditor", "secadmin"])
def test_it_forbids_the_units_page_to_everyone_but_supervisor_and_sysadmin(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("unit_create")).status_code == 403
    assert client.get(reverse("unit_import")).status_code == 403


@pytest.mark.parametrize("who", ["sup", "sysadmin"])
def test_it_shows_the_units_page_to_supervisor_and_sysadmin(client, who, request, unit_a):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    assert "中原科技城管委会" in response.content.decode()


def test_it_groups_units_by_kind_with_parent_aliases_and_a_masked_liaison_phone(client, sup, unit_a):
    child = Unit.objects.create(name="科技城孵化中心", kind=UnitKind.OTHER, parent=unit_a)
    UnitAlias.objects.create(unit=unit_a, name="科技城")
    Liaison.objects.create(unit=unit_a, name="王联络", position="综合科科长", phone="13812345678")
    client.force_login(sup)
    html = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    assert html.index("Sector management committee") < html.index("Other")
    assert "科技城孵化中心" in html and child.parent.name in html
    assert "科技城</span>" in html
    assert "王联络" in html and "综合科科长" in html
    assert "138****5678" in html and "13812345678" not in html


def test_it_filters_by_kind_and_by_alias_returning_only_the_rows_to_htmx(client, sup, unit_a, unit_b):
    UnitAlias.objects.create(unit=unit_b, name="科技局")
    client.force_login(sup)
    response = client.get(URL, {"q": "科技局"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "市科技局" in html and "中原科技城管委会" not in html
    assert "<nav" not in html  # only the partial, not the page
    html = client.get(URL, {"kind": UnitKind.SECTOR}).content.decode()
    assert "中原科技城管委会" in html and "市科技局" not in html


def test_it_hides_inactive_units_unless_asked(client, sup, unit_a):
    Unit.objects.create(name="已撤销单位", is_active=False)
    client.force_login(sup)
    assert "已撤销单位" not in client.get(URL).content.decode()
    assert "已撤销单位" in client.get(URL, {"status": "inactive"}).content.decode()


def test_it_lists_5_and_30_units_with_the_same_number_of_queries(
    client, sup, unit_a, django_assert_num_queries
):
    client.force_login(sup)
    make_units(5, unit_a)
    with django_assert_num_queries(6):  # session, user, roles, units, aliases, unread bell
        assert client.get(URL).status_code == 200
    Unit.objects.filter(name__startswith="测试单位").delete()
    make_units(30, unit_a)
    with django_assert_num_queries(6):  # session, user, roles, units, aliases, unread bell
        response = client.get(URL)
    assert "测试单位029" in response.content.decode()
