"""The service desk's pages and API (企业诉求) cost the same number of queries with few or many rows: the list
with each filter and its export, a unit's inbox, a request with its history, transfers, extensions, files and
call-backs, the categories and settings, the enterprise accounts, the forms that list enterprises, the enterprise
portal and its request page, and the API's lists and details."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tuijin.conftest import make_user
from tuijin.investment.models import Enterprise
from tuijin.org.models import ApiToken, Role
from tuijin.servicedesk import services
from tuijin.servicedesk.models import Category, ClockUnit, EnterpriseAccount, Satisfaction, ServiceRequest
from tuijin.servicedesk.tests import conftest as cast
from tuijin.tasks.evidence import check_upload

pytestmark = pytest.mark.django_db

enterprise, eva = cast.enterprise, cast.eva  # the service desk's cast (tuijin/servicedesk/tests/conftest.py)

BASE = "/api/v1/service-requests/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def june_2025(time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 10, 2, 0, tzinfo=datetime.UTC), tick=True)


def pdf(name: str = "材料.pdf"):
    return check_upload(SimpleUploadedFile(name, PDF))


def queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(captured)


def measure(client, urls: dict[str, str], **headers) -> dict[str, int]:
    return {name: queries(client, url, **headers) for name, url in urls.items()}


class Desk:
    """The story request (`story`, raised by eva for 华瀚云计算, handled by alice's unit_a) and the world around it.

    Each `grow(n)` goes n more times round the story request's loop — transferred to unit_b and back, acknowledged,
    extended, a file attached, replied, called back, rated unsatisfied and so reopened — and adds n of everything
    the lists show: categories, enterprises with an account, and requests in every state for unit_a and unit_b,
    with files and call-backs."""

    def __init__(self, sup, alice, eva, enterprise, unit_a, unit_b):
        self.sup, self.alice, self.eva, self.enterprise = sup, alice, eva, enterprise
        self.unit_a, self.unit_b = unit_a, unit_b
        self.category = Category.objects.create(name="审批服务", ack_limit=4, ack_unit=ClockUnit.HOURS, close_days=5,
                                                default_unit=unit_a)  # fmt: skip
        self.n = 0
        self.story = services.raise_request(actor=eva, category=self.category, enterprise=enterprise,
                                            title="用地指标落实", description="请协调。", files=[pdf()])  # fmt: skip

    def _raise(self, *, actor, enterprise, unit=None, category=None, now=None) -> ServiceRequest:
        self.n += 1
        return services.raise_request(actor=actor, category=category or self.category, enterprise=enterprise,
                                      unit=unit, title=f"诉求{self.n}", description="请协调。",
                                      files=[pdf(f"附件{self.n}.pdf")], now=now)  # fmt: skip

    def _story_round(self) -> None:
        story = self.story
        story = services.transfer(actor=self.sup, request=story, unit=self.unit_b, reason="职责不符")
        story = services.transfer(actor=self.sup, request=story, unit=self.unit_a, reason="退回原单位")
        story = services.acknowledge(actor=self.alice, request=story)
        extension = services.request_extension(actor=self.alice, request=story, days=3, reason="需现场核查")
        services.decide_extension(actor=self.sup, extension=extension, approve=True)
        story.refresh_from_db()
        services.attach(actor=self.alice, request=story, files=[pdf("核查记录.pdf")])
        story = services.reply(actor=self.alice, request=story, text="已协调落实。", files=[pdf("答复.pdf")])
        services.record_callback(actor=self.sup, request=story, called_on=timezone.localdate(),
                                 satisfaction=Satisfaction.BASIC, notes="基本满意")  # fmt: skip
        self.story = services.rate(actor=self.eva, request=story, satisfaction=Satisfaction.UNSATISFIED,
                                   comment="仍未落实")  # fmt: skip

    def grow(self, n: int) -> None:
        for _i in range(n):
            self._story_round()
            category = Category.objects.create(
                name=f"类别{Category.objects.count()}", default_unit=self.unit_b
            )
            firm = Enterprise.objects.create(name=f"测试企业{Enterprise.objects.count()}有限公司",
                                             name_key=f"测试企业{Enterprise.objects.count()}")  # fmt: skip
            speaker = make_user(f"firm{firm.pk}", Role.APPLICANT, None, "企业联系人")
            EnterpriseAccount.objects.create(user=speaker, enterprise=firm)
            # unit_a: one awaiting acknowledgement (raised a month ago and overdue), one in progress, one replied,
            # one closed and called back
            self._raise(
                actor=self.eva, enterprise=self.enterprise, now=timezone.now() - datetime.timedelta(days=30)
            )
            services.acknowledge(actor=self.alice, request=self._raise(actor=self.sup, enterprise=firm,
                                                                        unit=self.unit_a))  # fmt: skip
            services.reply(actor=self.alice, request=self._raise(actor=self.eva, enterprise=self.enterprise),
                           text="已答复。")  # fmt: skip
            closed = services.reply(actor=self.alice, request=self._raise(actor=self.eva, enterprise=self.enterprise),
                                    text="已办结。")  # fmt: skip
            closed = services.rate(actor=self.eva, request=closed, satisfaction=Satisfaction.SATISFIED)
            services.record_callback(actor=self.sup, request=closed, called_on=timezone.localdate(),
                                     satisfaction=Satisfaction.SATISFIED)  # fmt: skip
            # unit_b: one of another category and enterprise, raised a month ago and overdue
            self._raise(actor=speaker, enterprise=firm, category=category,
                        now=timezone.now() - datetime.timedelta(days=30))  # fmt: skip


@pytest.fixture
def desk(sup, alice, eva, enterprise, unit_a, unit_b):
    return Desk(sup, alice, eva, enterprise, unit_a, unit_b)


def staff_urls(desk: Desk) -> dict[str, str]:
    listing = reverse("servicedesk_list")
    return {
        "list": listing,
        "list_page_2": listing + "?page=2",
        "list_in_progress": listing + "?state=in_progress",
        "list_category_unit": listing + f"?category={desk.category.code}&unit={desk.unit_a.code}",
        "list_overdue": listing + "?overdue=on",
        "list_called_back": listing + "?callback=done",
        "list_not_called_back": listing + "?callback=none",
        "list_search": listing + "?q=诉求",
        "export": reverse("servicedesk_export"),
        "export_filtered": reverse("servicedesk_export") + "?state=closed&callback=done",
        "detail": reverse("servicedesk_detail", args=[desk.story.code]),
    }


# A page that writes an audit row (the export) takes the audit chain's lock first on PostgreSQL: one query more.
AUDITED = int(connection.vendor == "postgresql")
LISTS = {"list": 11, "list_page_2": 11, "list_in_progress": 11, "list_category_unit": 13, "list_overdue": 11,
         "list_called_back": 11, "list_not_called_back": 11, "list_search": 11, "export": 8 + AUDITED,
         "export_filtered": 8 + AUDITED}  # fmt: skip
# Pinned: a change that adds a query to a page shows here (and must still not grow with rows).
STAFF_PAGES = {
    "sup": {**LISTS, "detail": 13, "settings": 8, "accounts": 7, "create": 8},
    "leader": {**LISTS, "detail": 12},
    "alice": {**{name: n + 1 for name, n in LISTS.items() if not name.startswith("export")},
              "export": 8 + AUDITED, "export_filtered": 8 + AUDITED, "detail": 14, "inbox": 11, "create": 9},
}  # fmt: skip


@pytest.mark.parametrize("who", ["sup", "leader", "alice"])
def test_it_shows_the_staff_pages_with_the_same_queries_for_few_or_many(client, desk, who, request):
    urls = staff_urls(desk)
    if who == "alice":
        urls |= {"inbox": reverse("servicedesk_inbox"), "create": reverse("servicedesk_create")}
    if who == "sup":
        urls |= {"settings": reverse("servicedesk_settings"), "accounts": reverse("servicedesk_accounts"),
                 "create": reverse("servicedesk_create")}  # fmt: skip
    desk.grow(1)
    client.force_login(request.getfixturevalue(who))
    few = measure(client, urls)
    desk.grow(4)
    assert measure(client, urls) == few == STAFF_PAGES[who]
    # the pages did show more rows: the story's history, and overdue requests in the list
    detail = client.get(urls["detail"]).content.decode()
    assert detail.count('data-kind="transferred"') == 10 and detail.count('data-kind="callback"') == 5
    overdue = client.get(urls["list_overdue"]).context["page"].paginator.count
    assert overdue == (5 if who == "alice" else 10)


PORTAL = {"portal": 7, "portal_detail": 9, "portal_create": 7}


def test_it_shows_the_enterprise_portal_with_the_same_queries_for_few_or_many(client, desk, eva):
    urls = {
        "portal": reverse("servicedesk_portal"),
        "portal_detail": reverse("servicedesk_portal_detail", args=[desk.story.code]),
        "portal_create": reverse("servicedesk_portal_create"),
    }
    desk.grow(1)
    client.force_login(eva)
    few = measure(client, urls)
    desk.grow(4)
    assert measure(client, urls) == few == PORTAL
    assert client.get(urls["portal"]).context["page"].paginator.count == 1 + 3 * 5
    assert client.get(urls["portal_detail"]).content.decode().count("核查记录.pdf") >= 5


class Api:
    def __init__(self, client, user):
        _token, key = ApiToken.issue(user)
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        client.get(f"{BASE}categories", **self.headers)  # opens this minute's rate window (one UPDATE after)

    def measure(self, paths: dict[str, str]) -> dict[str, int]:
        return {name: queries(self.client, BASE + path, **self.headers) for name, path in paths.items()}


API_LISTS = {"requests": 5, "open": 5, "overdue": 5, "unit_category": 5, "categories": 4, "request": 5}
API = {"sup": API_LISTS, "alice": API_LISTS, "eva": {"requests": 7, "request": 7, "categories": 5}}


def test_it_answers_the_api_with_the_same_queries_for_few_or_many(client, desk, sup, alice, eva, unit_a):
    story = f"{desk.story.code}"
    lists = {"requests": "", "open": "?state=reopened", "overdue": "?overdue=true",
             "unit_category": f"?unit={unit_a.code}&category={desk.category.code}", "categories": "categories"}  # fmt: skip
    paths = {"sup": {**lists, "request": story}, "alice": {**lists, "request": story},
             "eva": {"requests": "", "request": story, "categories": "categories"}}  # fmt: skip
    apis = {"sup": Api(client, sup), "alice": Api(client, alice), "eva": Api(client, eva)}
    desk.grow(1)
    few = {who: api.measure(paths[who]) for who, api in apis.items()}
    desk.grow(4)
    assert {who: api.measure(paths[who]) for who, api in apis.items()} == few == API
    events = client.get(BASE + story, **apis["sup"].headers).json()["events"]
    assert sum(e["kind"] == "transferred" for e in events) == 10


# ——— lists that grow with data are shown a page at a time ———


def test_it_shows_the_inbox_the_portal_and_the_accounts_a_page_at_a_time(
    client, desk, sup, alice, eva, monkeypatch
):
    from tuijin.servicedesk import views, views_admin, views_portal

    desk.grow(3)
    for module in (views, views_admin, views_portal):
        monkeypatch.setattr(module, "PAGE_SIZE", 2)
    client.force_login(alice)
    inbox = client.get(reverse("servicedesk_inbox") + "?waiting_page=2")
    waiting, handling = inbox.context["waiting"], inbox.context["handling"]
    # waiting: eva's three and the reopened story
    assert (waiting.number, len(waiting), waiting.paginator.count) == (2, 2, 4)
    assert (handling.number, len(handling), handling.paginator.count) == (1, 2, 3)
    page = inbox.content.decode()
    assert "handling_page=2" in page and "waiting_page=1" in page  # each list keeps the other's page
    client.force_login(eva)
    portal = client.get(reverse("servicedesk_portal"))
    assert portal.content.decode().count("data-request=") == 2
    assert portal.context["page"].paginator.count == 10
    client.force_login(sup)
    accounts = client.get(reverse("servicedesk_accounts"))
    assert len(accounts.context["links"]) == 2 and accounts.context["page"].paginator.count == 4
