"""The demo scenario: loaded once, a login for every role, every status on show, whatever the date."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from tuijin.core import demo
from tuijin.core.demo_data import NOTE, PASSWORD
from tuijin.org.models import Liaison, Role, Unit, UnitAlias, UnitKind, User
from tuijin.tasks.models import (
    Evidence,
    ExtensionRequest,
    Plan,
    Report,
    Task,
    TaskEvent,
    TaskState,
    TaskStatus,
)
from tuijin.tasks.services import current_period


def run_command(*args) -> str:
    out = io.StringIO()
    with override_settings(DEMO_MODE=True):
        call_command("load-demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    models = (Unit, UnitAlias, User, Liaison, Plan, Task, Report, Evidence, ExtensionRequest, TaskEvent)
    return {model.__name__: model.objects.count() for model in models}


class DemoScenarioTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = run_command()

    def test_prints_the_demo_logins_with_a_warning(self):
        assert "演示账号" in self.output and "DEMO ACCOUNTS" in self.output
        assert PASSWORD in self.output
        for login in ("supervisor", "leader", "kjc", "kjj", "zdxq", "auditor"):
            assert f"  {login} " in self.output

    def test_second_run_loads_nothing_and_prints_the_logins_again(self):
        before = counts()
        output = run_command()
        assert counts() == before
        assert "已加载" in output and "supervisor" in output and PASSWORD in output

    def test_every_role_has_a_login_that_works(self):
        for role in Role.values:
            user = User.objects.filter(memberships__role=role).order_by("pk").first()
            assert user is not None, role
            assert self.client.login(username=user.username, password=PASSWORD), role
            self.client.logout()

    def test_unit_logins_cover_a_sector_a_department_and_a_district(self):
        kinds = set(
            Unit.objects.filter(
                memberships__role=Role.UNIT, memberships__user__username__in=["kjc", "kjj", "zdxq"]
            ).values_list("kind", flat=True)
        )
        assert kinds == {UnitKind.SECTOR, UnitKind.DEPARTMENT, UnitKind.DISTRICT}

    def test_tasks_in_every_status_and_state(self):
        tasks = Task.objects.filter(plan__is_illustrative=True)
        for status in TaskStatus.values:
            assert tasks.filter(status=status).exists(), status
        for state in TaskState.values:
            assert tasks.filter(state=state).exists(), state
        assert tasks.filter(status=TaskStatus.WARNING, status_reason__startswith="due:").exists()
        assert tasks.filter(status=TaskStatus.WARNING, status_reason__startswith="lag:").exists()

    def test_each_plan_is_illustrative_this_year_and_has_tasks(self):
        plans = Plan.objects.all()
        assert plans.count() == 6  # two annual lists, an event, 办实事, joint-meeting decisions, leader instructions
        kinds = {Plan.Kind.ANNUAL, Plan.Kind.EVENT, Plan.Kind.PRACTICAL, Plan.Kind.DECISIONS}
        assert {p.kind for p in plans} == kinds
        least = {Plan.Kind.PRACTICAL: 5, Plan.Kind.DECISIONS: 2}
        for plan in plans:
            assert plan.is_illustrative and NOTE in plan.description
            assert plan.year == timezone.localdate().year
            assert plan.tasks.count() >= least.get(plan.kind, 10), plan

    def test_extensions_pending_and_approved_keeping_the_original_deadline(self):
        assert ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).count() == 1
        approved = ExtensionRequest.objects.get(state=ExtensionRequest.State.APPROVED)
        task = approved.task
        assert task.original_deadline == approved.old_deadline
        assert task.deadline == approved.new_deadline > approved.old_deadline

    def test_photos_carry_capture_time_place_and_one_is_a_reused_file(self):
        photos = Evidence.objects.filter(kind=Evidence.Kind.PHOTO)
        assert photos.count() >= 10
        for photo in photos:
            assert photo.taken_at is not None and photo.thumbnail
            assert 34 < photo.latitude < 35.2 and 113.3 < photo.longitude < 114.1
        reused = photos.exclude(reused_from=None).get()
        assert reused.sha256 == reused.reused_from.sha256 and reused.task != reused.reused_from.task
        assert Evidence.objects.filter(kind=Evidence.Kind.PDF).exists()

    def test_history_is_spread_over_the_past_not_the_future(self):
        now = timezone.now()
        assert not TaskEvent.objects.filter(at__gt=now).exists()
        assert not Report.objects.filter(created_at__gt=now).exists()
        assert TaskEvent.objects.dates("at", "day").count() > 5
        for report in Report.objects.select_related("task__plan"):
            day = timezone.localtime(report.created_at).date()
            assert report.period == current_period(report.task.plan.cadence, day)
        assert Report.objects.values("period").distinct().count() >= 3

    def test_units_aliases_and_liaisons(self):
        assert UnitAlias.objects.get(name="中原科技城").unit.name == "中原科技城管委会"
        assert UnitAlias.objects.get(name="市发改委").unit.name == "市发展改革委"
        assert UnitAlias.objects.get(name="市资源规划局").unit.name == "市自然资源和规划局"
        main_units = Unit.objects.exclude(kind=UnitKind.CITY_OFFICE).filter(community__isnull=True)
        assert Liaison.objects.filter(unit__in=main_units).count() == main_units.count()
        assert all(phone.startswith("138") for phone in Liaison.objects.values_list("phone", flat=True))


@pytest.mark.django_db
def test_real_plans_keep_the_demo_out():
    Plan.objects.create(name="2026年重点工作", year=2026)
    output = run_command()
    assert "NOT loaded" in output
    assert not demo.is_loaded()


@pytest.mark.django_db
def test_statuses_hold_early_in_a_year_the_calendar_does_not_cover():
    # 4 January 2027: little of the year has passed, and chinesecalendar stops at 2026.
    with time_machine.travel(
        datetime.datetime(2027, 1, 4, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=False
    ):
        run_command()
        statuses = set(Task.objects.values_list("status", flat=True))
        assert statuses == set(TaskStatus.values)
        assert not Task.objects.filter(
            state=TaskState.IN_PROGRESS, deadline=None, limit_kind="unknown"
        ).exists()
        assert set(Plan.objects.values_list("year", flat=True)) == {2027}
