"""The office keeps the communities; each gets an account unit (kind "other") whose unit users are its staff.
The contact phone is sealed at rest and shown masked."""

import pytest
from django.db import connection
from django.urls import reverse

from tuijin.org.models import Unit, UnitKind

from .. import services
from ..access import scope_of
from ..models import Community, Post
from .conftest import login

FORM = {"name": "经八路社区", "street": "经八路街道", "district": "金水区", "address": "金水区经八路1号",
        "contact_name": "李主任", "contact_phone": "13988887777", "is_active": "on"}  # fmt: skip


@pytest.mark.django_db
def test_it_creates_a_community_with_its_account_unit(client, sup):
    login(client, sup)
    response = client.post(reverse("party_community_create"), FORM)
    assert response["Location"] == reverse("party_community_list")
    community = Community.objects.get()
    assert community.unit.kind == UnitKind.OTHER and community.unit.name == "金水区经八路街道经八路社区"
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM partybuilding_community")
        assert "13988887777" not in cursor.fetchone()[0]
    page = client.get(reverse("party_community_list")).content.decode()
    assert "139****7777" in page and "13988887777" not in page


@pytest.mark.django_db
def test_it_renames_the_account_unit_with_the_community(client, sup, community):
    login(client, sup)
    client.post(reverse("party_community_edit", args=[community.code]), FORM | {"name": "文化路北社区",
                                                                                "street": "丰产路街道"})  # fmt: skip
    community.refresh_from_db()
    assert Unit.objects.get(pk=community.unit_id).name == "金水区丰产路街道文化路北社区"


@pytest.mark.django_db
def test_it_refuses_a_name_taken_by_another_unit(client, sup, unit_b):
    login(client, sup)
    Unit.objects.create(name="金水区经八路街道经八路社区")
    response = client.post(reverse("party_community_create"), FORM)
    assert response.status_code == 400 and not Community.objects.exists()


@pytest.mark.django_db
def test_it_tells_staff_from_members(dora, alice, community, sup):
    assert scope_of(dora).communities == {community.pk} and not scope_of(dora).is_member
    assert scope_of(alice).is_member and not scope_of(alice).communities
    assert scope_of(sup).reads_all and scope_of(sup).is_supervisor


@pytest.mark.django_db
def test_it_keeps_the_post_list_with_the_office(client, sup, dora):
    with pytest.raises(services.PartyError):
        services.save_post(actor=dora, name="x")
    login(client, sup)
    client.post(reverse("party_post_list"), {"name": "应急救援", "sort_order": 90, "is_active": "on"})
    assert Post.objects.filter(name="应急救援", is_active=True).exists()
    post = Post.objects.get(name="其他")
    client.post(reverse("party_post_list"), {"post": post.pk, "name": "其他", "sort_order": 100})
    post.refresh_from_db()
    assert not post.is_active
    response = client.post(reverse("party_post_list"), {"name": "应急救援", "sort_order": 1})
    assert response.status_code == 400


@pytest.mark.django_db
def test_it_keeps_the_stored_phone_when_the_office_leaves_it_empty(client, sup, community):
    login(client, sup)
    page = client.get(reverse("party_community_edit", args=[community.code])).content.decode()
    assert "13812345678" not in page and "138****5678" in page  # withheld: the placeholder is masked
    client.post(reverse("party_community_edit", args=[community.code]), FORM | {"name": "文化路社区",
                "street": "丰产路街道", "contact_phone": ""})  # fmt: skip
    community.refresh_from_db()
    assert community.contact_phone == "13812345678"
