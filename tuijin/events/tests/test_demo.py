"""The demo contains an event programme with preparation tasks in several states, readiness partly signed, and a
countdown that means something on the day the demo is loaded."""

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tuijin.core import demo
from tuijin.core.demo_data import PASSWORD
from tuijin.events.demo import ganzhi, load_demo_events
from tuijin.events.models import Activity, ActivityTask, ChecklistEvent, ChecklistItem, Programme
from tuijin.events.services import cockpit_countdown, countdowns
from tuijin.org.models import User
from tuijin.tasks.models import TaskState, TaskStatus


@pytest.fixture(autouse=True)
def clock():
    """The demo runs on the real clock (overrides the package's fixed clock)."""


class DemoProgrammeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_demo()
        load_demo_events()  # after the main scenario; a no-op once tuijin.core.demo calls it itself
        cls.programme = Programme.objects.get(plan__is_illustrative=True)

    def test_it_builds_one_programme_on_the_demo_event_plan(self):
        assert Programme.objects.count() == 1
        assert self.programme.plan.kind == "event"
        ceremony = self.programme.activities.get(is_main=True)
        assert f"{ganzhi(ceremony.date.year)}年黄帝故里拜祖大典" in self.programme.name
        assert load_demo_events() is None  # loading again changes nothing
        assert Programme.objects.count() == 1

    def test_it_has_six_activities_with_the_ceremony_as_the_main_one(self):
        titles = list(self.programme.activities.values_list("title", flat=True))
        assert len(titles) == 6
        for word in ("开幕式", "拜祖大典", "论坛", "非物质文化遗产展演", "灯光秀", "闭幕式"):
            assert any(word in t for t in titles), word
        main = Activity.objects.get(programme=self.programme, is_main=True)
        assert "拜祖大典" in main.title

    def test_preparation_tasks_are_in_several_states(self):
        tasks = [link.task for link in ActivityTask.objects.filter(activity__programme=self.programme)
                 .select_related("task")]  # fmt: skip
        states = {t.state for t in tasks}
        statuses = {t.status for t in tasks}
        assert states == set(TaskState.values), states  # assigned, in progress, closure requested, closed
        assert {TaskStatus.OVERDUE, TaskStatus.CLOSED} <= statuses, statuses
        assert (
            len({link.category for link in ActivityTask.objects.filter(activity__programme=self.programme)})
            >= 5
        )

    def test_checklists_are_partly_signed_with_an_undo_on_record(self):
        items = ChecklistItem.objects.filter(activity__programme=self.programme)
        signed = items.filter(signed_at__isnull=False).count()
        assert 0 < signed < items.count()
        assert items.filter(task__isnull=False, signed_at__isnull=True).exclude(task__state="closed").exists()
        assert ChecklistEvent.objects.filter(kind=ChecklistEvent.Kind.UNDONE).exclude(note="").exists()

    def test_the_countdown_counts_to_the_coming_ceremony(self):
        activities = list(self.programme.activities.all())
        found = countdowns(activities, timezone.now())
        assert found and found[-1].label == "main" and found[-1].days >= 19
        supervisor = User.objects.get(username="supervisor")
        panel = cockpit_countdown(supervisor, timezone.localdate())
        assert panel["programmes"][0]["programme"] == self.programme
        assert 0 < panel["programmes"][0]["readiness"] < 100

    def test_the_pages_show_it_to_the_supervisor_and_a_unit_login(self):
        for login in ("supervisor", "xzs"):
            assert self.client.login(username=login, password=PASSWORD)
            page = self.client.get(reverse("events_programme_detail", args=[self.programme.code]))
            assert page.status_code == 200
            assert "拜祖大典" in page.content.decode()
            self.client.logout()
