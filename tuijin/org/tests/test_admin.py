"""The Django admin pages for the org models open, and API token hashes cannot be edited there."""

import pytest
from django.contrib import admin
from django.urls import path, reverse

from tuijin.org.models import ApiToken, Liaison, Membership, Unit, User

# The project does not mount the admin (yet); this module is its own URLconf so the registrations are tested.
urlpatterns = [path("admin/", admin.site.urls)]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="Root-pass-2021")


@pytest.mark.parametrize("model", [Unit, User, Membership, Liaison, ApiToken])
def test_it_opens_the_admin_list_and_change_pages(client, superuser, alice, model):
    ApiToken.issue(alice)
    Liaison.objects.create(unit=alice.memberships.get().unit, name="王联络", phone="13812345678")
    client.force_login(superuser)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    obj = model.objects.first()
    assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200


def test_it_shows_token_hashes_read_only_and_issues_no_tokens_in_the_admin(client, superuser, alice):
    token, _key = ApiToken.issue(alice)
    client.force_login(superuser)
    html = client.get(reverse("admin:org_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash in html and 'name="key_hash"' not in html
    assert client.get(reverse("admin:org_apitoken_add")).status_code == 403
