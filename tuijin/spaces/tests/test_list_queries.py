"""List pages run the same number of queries whatever the number of rows (pinned)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tuijin.conftest import make_user
from tuijin.org.models import Role

from .. import services
from ..models import Space, SpaceKind
from .conftest import login, queue_up, submit

pytestmark = pytest.mark.django_db


def grow(manager, policy, building, start: int, count: int) -> None:
    """`count` more applicants, spaces and leases."""
    for i in range(start, start + count):
        user = make_user(f"grow{i}", Role.APPLICANT, None, f"申请人{i}")
        application = queue_up(submit(user, policy, category="C", n=100 + i), manager)
        space = Space.objects.create(building=building, kind=SpaceKind.APARTMENT, label=f"9-{i}", area=50,
                                     market_rent=2000, furnishing=["床"])  # fmt: skip
        if i % 2:
            services.allocate(actor=manager, application=application, space=space, start=timezone.localdate(),
                              reason="测试")  # fmt: skip
    submit(make_user(f"open{start}", Role.APPLICANT, None), policy, category="young", n=300 + start)


def counts(client, urls) -> list[int]:
    result = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        result.append(len(ctx.captured_queries))
    return result


PINNED = {
    "spaces_home": 12,
    "spaces_space_list": 8,
    "spaces_application_list": 7,
    "spaces_lease_list": 7,
    "spaces_queue": 7,
}


def test_manager_list_pages_do_not_grow_with_rows(client, manager, apartment_policy, building):
    login(client, manager)
    names = list(PINNED)
    urls = [reverse(n, args=["apartment"]) if n == "spaces_queue" else reverse(n) for n in names]
    grow(manager, apartment_policy, building, 0, 2)
    small = counts(client, urls)
    grow(manager, apartment_policy, building, 2, 6)
    large = counts(client, urls)
    assert small == large, dict(zip(names, zip(small, large, strict=True), strict=True))
    assert dict(zip(names, large, strict=True)) == PINNED


def test_the_portal_does_not_grow_with_applications(
    client, ann, apartment_policy, manager, django_assert_num_queries
):
    login(client, ann)
    submit(ann, apartment_policy, category="C", n=1)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("spaces_portal"))
    for i in range(2, 5):
        queue_up(submit(ann, apartment_policy, category="C", n=i), manager)
    with django_assert_num_queries(len(first.captured_queries) + 1):  # + the queue, read once for all
        assert client.get(reverse("spaces_portal")).status_code == 200
