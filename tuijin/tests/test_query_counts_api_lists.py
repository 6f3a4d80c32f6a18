"""The API's lists and details outside tasks and investment (tuijin/tasks/tests/test_api_list.py and
test_query_counts_investment.py have those) cost the same number of queries with few or many rows: community needs
and one's own service records (双报到), review rounds (述职评议), event programmes, their activities, an activity
with its checklist and the run sheet."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuijin.conftest import make_user
from tuijin.events import checklist, preparation
from tuijin.events import services as events
from tuijin.org.models import ApiToken, Role, Unit, UnitKind
from tuijin.partybuilding import services as party
from tuijin.partybuilding.models import Post
from tuijin.partybuilding.services_service import claim_need, decide_record, publish_need, submit_record
from tuijin.reviews import services as reviews
from tuijin.tasks.models import Plan

D = datetime.date
BASE = "/api/v1"


@pytest.fixture(autouse=True)
def spring(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 20, 2, 0, tzinfo=datetime.UTC), tick=False)


class Api:
    def __init__(self, client, user):
        _token, key = ApiToken.issue(user)
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        client.get(f"{BASE}/plans", **self.headers)  # opens this minute's rate window (one UPDATE afterwards)

    def queries(self, path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(BASE + path, **self.headers)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return len(captured)


# ——— 双报到 ———


@pytest.fixture
def community(sup):
    return party.save_community(
        actor=sup, name="文化路社区", street="丰产路街道", district="金水区", address="金水区文化路12号",
        contact_name="王主任", contact_phone="13812345678",
    )  # fmt: skip


@pytest.fixture
def dora(community):
    return make_user("dora", Role.UNIT, community.unit, "社区刘书记")


def grow_party(n: int, sup, dora, community):
    """n more units registered with the community, each with a member who claimed a need and served twice; the
    first member ("member0") serves again each time, so that their own records grow too."""
    posts = list(Post.objects.all()[:2])
    start = Unit.objects.filter(name__startswith="测试单位").count()
    for i in range(start, start + n):
        unit = Unit.objects.create(name=f"测试单位{i}", kind=UnitKind.DEPARTMENT)
        member = make_user(f"member{i}", Role.UNIT, unit, f"党员{i}")
        registration = party.submit_registration(
            actor=member, unit=unit, community=community, registered_on=D(2026, 3, 1), contact_name="联系人",
            contact_phone="13600000000", commitments="共建",
        )  # fmt: skip
        party.decide_registration(actor=dora, registration=registration, accept=True)
        party.register_member(actor=member, unit=unit, community=community, address="某小区",
                              availability="weekends", posts=posts, registered_on=D(2026, 3, 1))  # fmt: skip
        need = publish_need(actor=dora, community=community, kind="wish", title=f"心愿{i}", needed_on=D(2026, 6, 1),
                            places=2)  # fmt: skip
        claim_need(actor=member, need=need)
        for who in {member, member.__class__.objects.get(username="member0")}:
            record = submit_record(actor=who, community=community, served_on=D(2026, 3, 2), hours=2, activity="服务")
            decide_record(actor=dora, service=record, confirm=True)


@pytest.mark.django_db
def test_it_lists_needs_and_own_records_with_the_same_queries_for_few_or_many(client, sup, dora, community):
    grow_party(2, sup, dora, community)
    member = make_user("reader", Role.UNIT, Unit.objects.get(name="测试单位0"), "读者")
    paths = ["/party/needs", "/party/records/mine"]
    counts = {}
    for user in (member, member.__class__.objects.get(username="member0"), dora):
        api = Api(client, user)
        counts[user.username] = {path: api.queries(path) for path in paths}
    grow_party(6, sup, dora, community)
    for user in (member, member.__class__.objects.get(username="member0"), dora):
        api = Api(client, user)
        assert {path: api.queries(path) for path in paths} == counts[user.username], user.username


# ——— 述职评议 ———


@pytest.mark.django_db
def test_it_lists_review_rounds_with_the_same_queries_for_few_or_many(client, sup):
    def more(n):
        for i in range(n):
            reviews.create_review(actor=sup, title=f"第{i}轮述职评议", year=2026, date=D(2026, 12, 1 + i % 20))

    more(2)
    api = Api(client, sup)
    few = api.queries("/reviews")
    more(7)
    assert api.queries("/reviews") == few


# ——— events ———


@pytest.fixture
def programme(sup, office):
    plan = Plan.objects.create(name="2026年黄河文化月筹备工作任务清单", year=2026, kind=Plan.Kind.EVENT,
                               start_date=D(2026, 3, 1), cadence="weekly")  # fmt: skip
    return events.create_programme(actor=sup, name="2026黄河文化月", plan=plan, organiser=office,
                                   start_date=D(2026, 4, 15), end_date=D(2026, 5, 15))  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "alice"])
def test_it_answers_the_events_api_with_the_same_queries_for_few_or_many(
    client, sup, programme, unit_a, unit_b, who, request
):
    template = preparation.standard_template(actor=sup)
    activities = []

    def more(n):
        for i in range(n):
            activity = events.create_activity(
                actor=sup, programme=programme, title=f"活动{len(activities)}", date=D(2026, 4, 16),
                start_time=datetime.time(8 + i % 8), end_time=datetime.time(9 + i % 8), venue=f"场馆{i}",
                lead_unit=unit_a, supporting_units=[unit_b],
            )  # fmt: skip
            preparation.apply_template(actor=sup, activity=activity, template=template)
            activities.append(activity)
            checklist.add_item(actor=sup, activity=activities[0], title=f"检查项{len(activities)}", unit=unit_a)
        events.create_programme(actor=sup, name=f"其他活动周{len(activities)}", organiser=programme.organiser,
                                start_date=D(2026, 6, 1), end_date=D(2026, 6, 7))  # fmt: skip

    more(2)
    api = Api(client, request.getfixturevalue(who))
    paths = ["/events/programmes", f"/events/programmes/{programme.code}",
             f"/events/programmes/{programme.code}/activities", f"/events/activities/{activities[0].code}",
             f"/events/programmes/{programme.code}/run-sheet?date=2026-04-16"]  # fmt: skip
    few = {path: api.queries(path) for path in paths}
    more(6)
    assert {path: api.queries(path) for path in paths} == few
