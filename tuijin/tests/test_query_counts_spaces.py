"""The spaces pages and API (人才公寓 / 拎包办公) cost the same number of queries with few or many rows: the
dashboard and its export, the inventory, a space with its photos and past leases, the buildings, the policies,
the applications, an application with its documents and review steps, the queue, allocating, the leases, a lease
with its payments, the applicants' portal, and the API's lists and details."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tuijin.conftest import make_user
from tuijin.org.models import ApiToken, Role, Unit, UnitKind
from tuijin.spaces import services
from tuijin.spaces.models import (
    Application,
    ApplicationDocument,
    Building,
    Lease,
    Space,
    SpaceKind,
    SpacePhoto,
)
from tuijin.spaces.tests import conftest as cast
from tuijin.spaces.tests.conftest import queue_up, submit

# the spaces cast (tuijin/spaces/tests/conftest.py), on 20 May 2026
may_2026, policies, apartment_policy, office_policy = (
    cast.may_2026,
    cast.policies,
    cast.apartment_policy,
    cast.office_policy,
)
manager, building, flat, ann = cast.manager, cast.building, cast.flat, cast.ann

pytestmark = pytest.mark.django_db

BASE = "/api/v1/spaces"


def queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(captured)


class World:
    """A growing spaces world around `flat` (1-201) and ann's application (a young talent, queued; let to her on
    `let_to_ann`).

    Each round of `grow` adds a sector with a building (two managers, three spaces, two photos); an applicant at each
    step — submitted, first review passed, queued ahead of ann, not approved, allocated with a lease and rent paid,
    in publicity (queued by the next round); a photo of flat and a past tenant of it (an ended lease); and a
    document of ann's application. Each round of `grow_ann` adds ann's own rows: a payment on her lease, and an
    application withdrawn, one not approved and one waiting in the queue."""

    def __init__(self, manager, policy, building, flat, ann):
        self.manager, self.policy, self.building, self.flat, self.ann = manager, policy, building, flat, ann
        self.n = 0
        self.ann_application = queue_up(submit(ann, policy, category="young", n=1, items=[]), manager)
        self.ann_lease: Lease | None = None

    def _applicant(self, tag: str, category: str = "C"):
        self.n += 1
        user = make_user(f"{tag}{self.n}", Role.APPLICANT, None, f"申请人{self.n}")
        return user, submit(user, self.policy, category=category, n=100 + self.n)

    def _space(self, building: Building, label: str, kind=SpaceKind.APARTMENT) -> Space:
        return Space.objects.create(building=building, kind=kind, label=label, area=Decimal(60),
                                    market_rent=Decimal(2000), furnishing=["床", "空调"])  # fmt: skip

    def _let(self, application: Application, space: Space) -> Lease:
        lease = services.allocate(actor=self.manager, application=application, space=space,
                                  start=timezone.localdate() - datetime.timedelta(days=90), reason="测试")  # fmt: skip
        services.check_in(actor=self.manager, lease=lease, present=dict.fromkeys(space.furnishing, True))
        return lease

    def grow(self, n: int) -> None:
        for _i in range(n):
            sector = Unit.objects.create(name=f"测试板块{Unit.objects.count()}", kind=UnitKind.SECTOR)
            other = Building.objects.create(name=f"测试公寓{sector.pk}", address="测试路1号", sector=sector)
            other.managers.add(self.manager, make_user(f"op{sector.pk}", Role.SPACE_MANAGER, None, "运营"))
            for j in range(2):
                SpacePhoto.objects.create(space=self._space(other, f"{j}-1"), file="spaces/photos/x/a.jpg",
                                          original_name="a.jpg", sha256="0" * 64, uploaded_by=self.manager)  # fmt: skip
            self._space(other, "9-9", kind=SpaceKind.OFFICE)
            self._applicant("sub")
            _u, first = self._applicant("first")
            services.review(actor=self.manager, application=first, step="first", approve=True)
            _u, queued = self._applicant("queued")  # category C: housed before ann (young, scored)
            queue_up(queued, self.manager)
            _u, rejected = self._applicant("rej")
            services.review(
                actor=self.manager, application=rejected, step="first", approve=False, note="材料不全"
            )
            _u, allocated = self._applicant("alloc")
            lease = self._let(queue_up(allocated, self.manager), self._space(other, "1-9"))
            services.record_payment(actor=self.manager, lease=lease, amount=Decimal(500),
                                    paid_on=timezone.localdate())  # fmt: skip
            # flat: one more photo and one more past tenant
            SpacePhoto.objects.create(space=self.flat, file="spaces/photos/x/b.jpg", original_name="b.jpg",
                                      sha256="0" * 64, uploaded_by=self.manager)  # fmt: skip
            _u, past = self._applicant("past")
            old = self._let(queue_up(past, self.manager), self.flat)
            services.check_out(
                actor=self.manager, lease=old, present=dict.fromkeys(self.flat.furnishing, True)
            )
            _u, publicity = self._applicant("pub")  # (the next queue_up ends its publicity)
            services.review(actor=self.manager, application=publicity, step="first", approve=True)
            services.review(actor=self.manager, application=publicity, step="second", approve=True)
            # ann's application: one more document
            ApplicationDocument.objects.create(application=self.ann_application, title="补充材料", original_name="b.pdf",
                                               file="spaces/documents/x/b.pdf", kind="pdf", sha256="0" * 64)  # fmt: skip

    def let_to_ann(self) -> Lease:
        self.ann_lease = self._let(self.ann_application, self._space(self.building, "8-1"))
        return self.ann_lease

    def grow_ann(self, n: int) -> None:
        for i in range(n):
            services.record_payment(actor=self.manager, lease=self.ann_lease, amount=Decimal(100 + i),
                                    paid_on=timezone.localdate())  # fmt: skip
            self.n += 1
            withdrawn = submit(self.ann, self.policy, category="C", n=500 + self.n)
            services.withdraw(actor=self.ann, application=withdrawn)
            self.n += 1
            rejected = submit(self.ann, self.policy, category="C", n=500 + self.n)
            services.review(
                actor=self.manager, application=rejected, step="first", approve=False, note="不符合"
            )
            self.n += 1
            queue_up(submit(self.ann, self.policy, category="C", n=500 + self.n), self.manager)


@pytest.fixture
def world(manager, apartment_policy, office_policy, building, flat, ann):
    return World(manager, apartment_policy, building, flat, ann)


def measure(client, urls: dict[str, str], **headers) -> dict[str, int]:
    return {name: queries(client, url, **headers) for name, url in urls.items()}


def shown(client, url: str, marker: str) -> int:
    """How many times `marker` is on the page: the rows it lists."""
    return client.get(url).content.decode().count(marker)


def staff_urls(world: World) -> dict[str, str]:
    return {
        "home": reverse("spaces_home"),
        "dashboard_xlsx": reverse("spaces_dashboard_xlsx"),
        "space_list": reverse("spaces_space_list"),
        "space_list_building": reverse("spaces_space_list")
        + f"?building={world.building.code}&kind=apartment",
        "space_detail": reverse("spaces_space_detail", args=[world.flat.code]),
        "building_list": reverse("spaces_building_list"),
        "policy_list": reverse("spaces_policy_list"),
    }


def manager_urls(world: World) -> dict[str, str]:
    return {
        **staff_urls(world),
        "application_list": reverse("spaces_application_list"),
        "application_list_open": reverse("spaces_application_list") + "?state=open&kind=apartment",
        "application_detail": reverse("spaces_application", args=[world.ann_application.code]),
        "queue": reverse("spaces_queue", args=["apartment"]),
        "allocate": reverse("spaces_allocate", args=[world.ann_application.code]),
        "lease_list": reverse("spaces_lease_list"),
        "lease_list_active": reverse("spaces_lease_list") + "?state=active",
    }


# Pinned: a change that adds a query to a page shows here (and must still not grow with rows). A page that writes
# an audit row (the managers' export) takes the audit chain's lock first on PostgreSQL: one query more there.
AUDITED = int(connection.vendor == "postgresql")
READER_PAGES = {"home": 11, "dashboard_xlsx": 7, "space_list": 7, "space_list_building": 7, "space_detail": 6,
                "building_list": 7, "policy_list": 5}  # fmt: skip
MANAGER_PAGES = {"home": 12, "dashboard_xlsx": 13 + AUDITED, "space_list": 8, "space_list_building": 8,
                 "space_detail": 8, "building_list": 8, "policy_list": 6, "application_list": 7,
                 "application_list_open": 7, "application_detail": 9, "queue": 7, "allocate": 9, "lease_list": 7,
                 "lease_list_active": 7}  # fmt: skip


@pytest.mark.parametrize("who", ["manager", "sup", "leader"])
def test_it_shows_the_staff_pages_with_the_same_queries_for_few_or_many(client, world, who, request):
    urls = manager_urls(world) if who == "manager" else staff_urls(world)
    world.grow(1)
    client.force_login(request.getfixturevalue(who))
    few = measure(client, urls)
    world.grow(4)
    assert measure(client, urls) == few == (MANAGER_PAGES if who == "manager" else READER_PAGES)
    # the pages did show more rows
    assert shown(client, urls["space_detail"], 'src="/spaces/photos/') == 5
    assert shown(client, urls["building_list"], "?building=") == 6
    if who == "manager":
        assert shown(client, urls["queue"], "/allocate/") == 10  # ann, young talent, last
        assert shown(client, urls["application_detail"], 'data-testid="document"') == (
            len(world.policy.required_documents) + 5
        )


TENANT_PAGES = {
    "ann": {"portal": 9, "application_detail": 7, "lease_detail": 6},
    "manager": {"home": 12, "application_detail": 8, "lease_detail": 8},
}


def test_it_shows_the_tenant_pages_with_the_same_queries_for_few_or_many(client, world, manager, ann):
    lease = world.let_to_ann()
    world.grow(1)
    world.grow_ann(1)
    detail = {"application_detail": reverse("spaces_application", args=[world.ann_application.code]),
              "lease_detail": reverse("spaces_lease_detail", args=[lease.code])}  # fmt: skip
    urls = {
        "ann": {"portal": reverse("spaces_portal"), **detail},
        "manager": {"home": reverse("spaces_home"), **detail},
    }

    def counts():
        result = {}
        for who, user in (("ann", ann), ("manager", manager)):
            client.force_login(user)
            result[who] = measure(client, urls[who])
        return result

    few = counts()
    world.grow(3)
    world.grow_ann(4)
    assert counts() == few == TENANT_PAGES
    assert len(client.get(detail["lease_detail"]).context["payments"]) == 5  # as the manager sees it
    client.force_login(ann)
    assert shown(client, urls["ann"]["portal"], 'data-testid="my-application"') == 1 + 3 * 5


class Api:
    def __init__(self, client, user, warm: str):
        _token, key = ApiToken.issue(user)
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        client.get(BASE + warm, **self.headers)  # opens this minute's rate window (one UPDATE afterwards)

    def measure(self, paths: dict[str, str]) -> dict[str, int]:
        return {name: queries(self.client, BASE + path, **self.headers) for name, path in paths.items()}


API = {
    "manager": {"spaces": 6, "spaces_kind": 6, "dashboard": 9, "applications": 6, "applications_queued": 6,
                "application": 5, "leases": 6, "lease": 5},
    "sup": {"spaces": 5, "dashboard": 8},
    "ann": {"applications": 5, "application": 4, "leases": 5, "lease": 4},
}  # fmt: skip


def test_it_answers_the_api_with_the_same_queries_for_few_or_many(client, world, manager, sup, ann):
    lease = world.let_to_ann()
    world.grow(1)
    world.grow_ann(1)
    application = world.ann_application
    paths = {
        "manager": {
            "spaces": "/spaces", "spaces_kind": "/spaces?kind=apartment&status=available", "dashboard": "/dashboard",
            "applications": "/applications", "applications_queued": "/applications?state=queued",
            "application": f"/applications/{application.code}", "leases": "/leases", "lease": f"/leases/{lease.code}",
        },
        "sup": {"spaces": "/spaces", "dashboard": "/dashboard"},
        "ann": {"applications": "/applications", "application": f"/applications/{application.code}",
                "leases": "/leases", "lease": f"/leases/{lease.code}"},
    }  # fmt: skip
    apis = {"manager": Api(client, manager, "/dashboard"), "sup": Api(client, sup, "/dashboard"),
            "ann": Api(client, ann, "/leases")}  # fmt: skip
    few = {who: api.measure(paths[who]) for who, api in apis.items()}
    world.grow(3)
    world.grow_ann(3)
    assert {who: api.measure(paths[who]) for who, api in apis.items()} == few == API


# ——— lists that grow with data are shown a page at a time ———


def test_it_shows_buildings_the_queue_and_ones_own_applications_a_page_at_a_time(
    client, world, manager, ann, monkeypatch
):
    from tuijin.spaces import views, views_portal

    world.let_to_ann()
    world.grow(3)
    world.grow_ann(1)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views_portal, "PORTAL_PAGE_SIZE", 2)
    client.force_login(manager)
    buildings = client.get(reverse("spaces_building_list"))
    assert buildings.content.decode().count("?building=") == 2
    assert buildings.context["page"].paginator.count == 4
    queue = client.get(reverse("spaces_queue", args=["apartment"]) + "?page=2")
    assert [s.position for _a, s in queue.context["rows"]] == [3, 4]  # ranked within the whole queue
    assert 'class="pagination' in queue.content.decode()
    client.force_login(ann)
    portal = client.get(reverse("spaces_portal"))
    assert portal.content.decode().count('data-testid="my-application"') == 2
    assert portal.context["page"].paginator.count == 4
