"""Who may use which page: anonymous visitors are sent to sign in; unit users, investment officers, raters and the
三员 are refused everywhere; supervisors and leaders read the inventory and the aggregates; a space manager keeps
their own buildings and reviews every application; an applicant sees only their own — pages and document URLs."""

import pytest
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.org.models import Role

from .conftest import login

pytestmark = pytest.mark.django_db

READ_PAGES = ["spaces_home", "spaces_space_list", "spaces_policy_list", "spaces_dashboard_xlsx"]
MANAGER_PAGES = ["spaces_application_list", "spaces_lease_list", "spaces_space_create"]


@pytest.fixture
def investment(db):
    return make_user("inv", Role.INVESTMENT, None)


@pytest.fixture
def rater(db):
    return make_user("rater", Role.RATER, None)


@pytest.mark.parametrize(
    "who", ["alice", "bob", "charlie", "investment", "rater", "auditor", "sysadmin", "secadmin"]
)
def test_it_refuses_everyone_without_business_here(client, who, request, lease, ann_application):
    user = request.getfixturevalue(who)
    login(client, user)
    urls = [reverse(name) for name in READ_PAGES + MANAGER_PAGES + ["spaces_portal"]]
    urls += [reverse("spaces_application", args=[ann_application.code]),
             reverse("spaces_space_detail", args=[lease.space.code]),
             reverse("spaces_lease_detail", args=[lease.code]),
             reverse("spaces_document", args=[ann_application.documents.first().code]),
             reverse("spaces_queue", args=["apartment"]), reverse("spaces_apply", args=["apartment"])]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code in (403, 404), url


def test_it_sends_anonymous_visitors_to_sign_in(client, ann_application):
    for url in [reverse("spaces_home"), reverse("spaces_portal"),
                reverse("spaces_application", args=[ann_application.code])]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["sup", "leader"])
def test_readers_see_inventory_and_aggregates_but_no_applicant(client, who, request, lease, ann_application):
    login(client, request.getfixturevalue(who))
    for name in READ_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("spaces_space_detail", args=[lease.space.code])).status_code == 200
    for url in [reverse("spaces_application_list"), reverse("spaces_application", args=[ann_application.code]),
                reverse("spaces_lease_detail", args=[lease.code]), reverse("spaces_space_create"),
                reverse("spaces_document", args=[ann_application.documents.first().code])]:  # fmt: skip
        assert client.get(url).status_code in (403, 404), url


def test_a_manager_keeps_only_their_buildings_but_reviews_every_application(
    client, other_manager, other_building, lease, ann_application
):
    login(client, other_manager)
    assert client.get(reverse("spaces_space_detail", args=[lease.space.code])).status_code == 404
    assert client.get(reverse("spaces_space_edit", args=[lease.space.code])).status_code == 404
    assert client.get(reverse("spaces_lease_detail", args=[lease.code])).status_code == 404
    assert client.get(reverse("spaces_application", args=[ann_application.code])).status_code == 200
    listing = client.get(reverse("spaces_space_list")).content.decode()
    assert lease.space.label not in listing


def test_an_applicant_sees_only_their_own(client, ann, ben, ann_application, lease):
    login(client, ben)
    assert client.get(reverse("spaces_portal")).status_code == 200
    assert client.get(reverse("spaces_application", args=[ann_application.code])).status_code == 404
    assert (
        client.get(reverse("spaces_document", args=[ann_application.documents.first().code])).status_code
        == 404
    )
    assert client.get(reverse("spaces_lease_detail", args=[lease.code])).status_code == 404
    assert client.get(reverse("spaces_home")).status_code == 302  # on to the portal
    for name in READ_PAGES[1:] + MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    login(client, ann)
    assert client.get(reverse("spaces_application", args=[ann_application.code])).status_code == 200
    document = client.get(reverse("spaces_document", args=[ann_application.documents.first().code]))
    assert document.status_code == 200 and document["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("spaces_lease_detail", args=[lease.code])).status_code == 200


def test_the_tenant_sees_the_photos_of_their_space_only(client, ann, ben, lease, manager):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tuijin.tasks.evidence import check_upload

    from .. import services

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "JPEG")
    photo = services.add_photo(actor=manager, space=lease.space,
                               checked=check_upload(SimpleUploadedFile("p.jpg", buffer.getvalue())))  # fmt: skip
    url = reverse("spaces_photo", args=[photo.code])
    assert login(client, ann).get(url).status_code == 200
    assert login(client, ben).get(url).status_code == 404
