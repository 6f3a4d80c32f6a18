"""List pages cost the same number of queries for a few rows or many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.org.models import Role, Unit, UnitKind, User

from .. import services
from ..models import Post
from ..services_service import claim_need, decide_record, publish_need, submit_record
from .conftest import login

D = datetime.date
PAGES = ["party_home", "party_registration_list", "party_member_list", "party_need_list", "party_record_list",
         "party_community_list", "party_feedback_index", "party_summary", "party_practical_list"]  # fmt: skip


def grow(n: int, start: int, sup, dora, community):
    """n more units, each registered with the community, with a member who claimed a need and served."""
    posts = list(Post.objects.all()[:2])
    for i in range(start, start + n):
        unit = Unit.objects.create(name=f"测试单位{i}", kind=UnitKind.DEPARTMENT)
        member = make_user(f"member{i}", Role.UNIT, unit, f"党员{i}")
        reg = services.submit_registration(actor=member, unit=unit, community=community, registered_on=D(2026, 4, 1),
                                           contact_name="联系人", contact_phone="13600000000", commitments="共建")  # fmt: skip
        services.decide_registration(actor=dora, registration=reg, accept=True)
        services.register_member(actor=member, unit=unit, community=community, address="某小区",
                                 availability="weekends", posts=posts, registered_on=D(2026, 4, 1))  # fmt: skip
        need = publish_need(actor=dora, community=community, kind="wish", title=f"心愿{i}", needed_on=D(2026, 6, 1),
                            places=2)  # fmt: skip
        claim_need(actor=member, need=need)
        record = submit_record(
            actor=member, community=community, served_on=D(2026, 5, 1), hours=2, activity="服务"
        )
        decide_record(actor=dora, service=record, confirm=True)
        submit_record(actor=member, community=community, served_on=D(2026, 5, 2), hours=1, activity="待确认")


def queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name)).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "dora", "member0"])
def test_it_keeps_list_queries_flat_as_rows_grow(client, sup, dora, community, who):
    grow(2, 0, sup, dora, community)
    login(client, User.objects.get(username=who))
    closed = {"dora": ("party_feedback_index", "party_summary"), "member0": ("party_summary",)}.get(who, ())
    pages = [p for p in PAGES if p not in closed]
    few = {name: queries(client, name) for name in pages}
    grow(6, 10, sup, dora, community)
    assert {name: queries(client, name) for name in pages} == few


@pytest.mark.django_db
def test_it_keeps_the_feedback_page_flat(client, sup, dora, community, django_assert_num_queries):
    grow(1, 0, sup, dora, community)
    unit = Unit.objects.get(name="测试单位0")
    url = reverse("party_feedback", args=[unit.code, "2026-Q2"])
    login(client, sup)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    for i in range(5):
        member = make_user(f"extra{i}", Role.UNIT, unit, f"同事{i}")
        services.register_member(actor=member, unit=unit, community=community, address="某小区",
                                 availability="weekends", registered_on=D(2026, 4, 1))  # fmt: skip
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url)
