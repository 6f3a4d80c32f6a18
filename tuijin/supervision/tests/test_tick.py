"""`tuijin tick` moves the whole supervision forward in one idempotent pass: run twice, it sends each notice once;
with the clock moved, tasks turn yellow then red."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tuijin.notifications.models import Notification, Preference
from tuijin.supervision import orders, reminders, tick
from tuijin.supervision.management.commands.tick import parse_now
from tuijin.supervision.models import Warning
from tuijin.tasks.models import Task

from .test_warnings_support import at, make_task, open_warnings

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("tick", *args, stdout=out)
    return out.getvalue()


def test_it_turns_a_task_yellow_then_red_as_the_clock_moves(sup, plan, unit_a):
    task = make_task(sup, plan, [unit_a])  # due Tuesday 2026-06-30
    Task.objects.filter(pk=task.pk).update(progress=95)
    output = run("--now", "2026-06-25")
    task.refresh_from_db()
    assert task.status == "warning"
    assert open_warnings(task)["deadline"] == "yellow"
    assert "open warnings: red 0" in output
    run("--now", "2026-07-01T09:00")
    task.refresh_from_db()
    assert task.status == "overdue"
    assert open_warnings(task)["overdue"] == "red"
    assert Warning.objects.get(task=task, kind="deadline").resolved_at is not None


def test_it_sends_each_reminder_once_when_run_twice_at_the_same_moment(sup, plan, unit_a, alice):
    Preference.objects.create(user=alice, email=True, email_address="alice@example.org")
    make_task(sup, plan, [unit_a], number="1")  # deadline 2026-06-30
    make_task(sup, plan, [unit_a], number="2", limit="7月3日前")
    first = run("--now", "2026-06-25T09:00")
    notices = Notification.objects.count()
    emails = len(mail.outbox)
    assert notices == 2  # the deadline reminder of task 1; the report of June is due on the 25th
    assert emails == notices
    assert "deadline notices: 1, report notices: 1" in first
    second = run("--now", "2026-06-25T09:00")
    assert Notification.objects.count() == notices
    assert len(mail.outbox) == emails
    assert "deadline notices: 0, report notices: 0" in second
    run("--now", "2026-06-30T09:00")  # task 2 is now 3 working days away
    assert Notification.objects.filter(key__startswith="remind:deadline:").count() == 2


def test_it_prints_one_line_per_step(sup, plan, unit_a):
    make_task(sup, plan, [unit_a])
    lines = run("--now", "2026-06-25").splitlines()
    assert lines[0].startswith("tick 2026-06-25T09:00+08:00")
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "statuses",
        "reminders",
        "orders",
        "party",
        "investment",
        "spaces",
        "servicedesk",
        "sending",
        "cockpit",
    ]


def test_it_goes_on_after_a_failing_step_and_says_so(sup, plan, unit_a, alice, monkeypatch):
    make_task(sup, plan, [unit_a], day="2026-03-02")

    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(reminders, "remind_deadlines", broken)
    results = tick.run_tick(now=at("2026-03-20"))
    assert [(r.name, r.ok) for r in results] == [
        ("statuses", True), ("reminders", False), ("orders", True), ("party", True), ("investment", True), ("spaces", True), ("servicedesk", True),
        ("sending", True), ("cockpit", True),
    ]  # fmt: skip
    assert "boom" in results[1].summary
    with pytest.raises(CommandError):
        run("--now", "2026-03-20")


def test_it_runs_without_the_orders_functions(monkeypatch):
    monkeypatch.delattr(orders, "process_lapsed")
    monkeypatch.delattr(orders, "suggest_orders")
    assert tick.step_orders(at("2026-03-20")) == "nothing to do"


def test_it_loops_with_every_until_stopped(sup, plan, unit_a, alice, monkeypatch):
    make_task(sup, plan, [unit_a])
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("time.sleep", sleep)
    output = run("--now", "2026-06-25", "--every", "60")
    assert sleeps == [60, 60]
    assert output.count("tick 2026-06-25") == 2
    assert output.rstrip().endswith("tick: stopped")
    assert Notification.objects.filter(key__startswith="remind:deadline:").count() == 1


def test_it_reads_now_as_a_date_or_a_moment_in_the_site_time_zone():
    assert parse_now("2026-12-29") == at("2026-12-29", 9)
    assert parse_now("2026-12-29T17:30") == at("2026-12-29", 17).replace(minute=30)
    assert parse_now("2026-12-29T01:00+00:00") == at("2026-12-29", 9)
    with pytest.raises(CommandError):
        parse_now("next tuesday")
    with pytest.raises(CommandError):
        run("--every", "0")
