"""The demo's 双报到 and 办实事: loaded once after the main scenario, with something in every state to show."""

from django.test import Client, TestCase
from django.urls import reverse

from tuijin.core.demo import load_demo
from tuijin.core.demo_data import PASSWORD
from tuijin.tasks.models import Plan, TaskState

from ..demo import COMMUNITIES, demo_logins, load_demo_partybuilding
from ..feedback import annual_summary
from ..models import (
    Community,
    Feedback,
    MemberRegistration,
    Need,
    PracticalList,
    Registration,
    RegistrationState,
    ServiceRecord,
)
from ..practical import plain_status


def counts() -> dict:
    models = (Community, Registration, MemberRegistration, Need, ServiceRecord, PracticalList)
    return {model.__name__: model.objects.count() for model in models}


class PartyDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()  # the main scenario loads the party-building demo too
        cls.plan = Plan.objects.get(kind=Plan.Kind.PRACTICAL, is_illustrative=True)

    def test_it_loads_once(self):
        before = counts()
        assert load_demo_partybuilding() is None
        assert counts() == before

    def test_it_has_four_communities_in_two_districts_with_staff_who_can_sign_in(self):
        assert {c.district for c in Community.objects.all()} == {"金水区", "郑东新区"}
        assert Community.objects.count() == len(COMMUNITIES) == 4
        for login, _name, _where in demo_logins():
            assert Client().login(username=login, password=PASSWORD), login
        client = Client()
        client.login(username=COMMUNITIES[0][4], password=PASSWORD)
        page = client.get(reverse("party_home")).content.decode()
        assert 'data-testid="community-panel"' in page

    def test_it_has_registrations_in_every_state_but_withdrawn(self):
        for model in (Registration, MemberRegistration):
            states = set(model.objects.values_list("state", flat=True))
            assert states == {
                RegistrationState.SUBMITTED,
                RegistrationState.ACCEPTED,
                RegistrationState.RETURNED,
            }

    def test_it_has_needs_open_full_done_and_cancelled(self):
        states = set(Need.objects.values_list("state", flat=True))
        assert states == {"open", "done", "cancelled"}
        assert any(n.is_full for n in Need.objects.filter(state="open"))
        assert Need.objects.filter(state="open", claimed=0).exists()

    def test_it_has_confirmed_service_over_three_quarters_and_some_waiting_or_rejected(self):
        confirmed = ServiceRecord.objects.filter(state="confirmed")
        quarters = {(d.year, (d.month - 1) // 3) for d in confirmed.values_list("served_on", flat=True)}
        assert len(quarters) >= 2 and confirmed.count() >= 30
        assert ServiceRecord.objects.filter(state="submitted").exists()
        assert ServiceRecord.objects.filter(state="rejected").exists()
        assert Feedback.objects.exists()

    def test_it_ranks_the_registered_units(self):
        rows = annual_summary(self.plan.year)
        assert len(rows) >= 6 and rows[0].hours > 0 and rows[0].rank == 1

    def test_it_has_a_public_practical_list_in_three_states(self):
        assert self.plan.kind == Plan.Kind.PRACTICAL and self.plan.practical_list.is_public
        tasks = list(self.plan.tasks.all())
        assert len(tasks) == 8
        assert {plain_status(t) for t in tasks} == {"done", "active", "pending"}
        assert sum(t.state == TaskState.CLOSED for t in tasks) == 3
        page = Client().get(reverse("party_practical_public", args=[self.plan.code])).content.decode()
        assert "老旧小区改造提质" in page and "120个老旧小区改造全部完工" in page
        assert "待审核" not in page and "内部进展" not in page and "演示）项目负责人" not in page
