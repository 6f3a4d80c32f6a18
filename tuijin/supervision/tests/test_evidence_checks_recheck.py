"""`tuijin recheck-evidence` brings reports filed before the checks existed up to date, and changes nothing when
run again."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from tuijin.core.models import AuditEvent
from tuijin.supervision.tests.test_evidence_checks import CST, TEXT, jpeg, report, scene, started
from tuijin.tasks import hooks
from tuijin.tasks.models import Evidence, Report


def recheck(*args) -> str:
    out = io.StringIO()
    call_command("recheck-evidence", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def unchecked(task, alice, monkeypatch):
    """Reports filed while no checks ran: a reused photo, an undated one and a copied text."""
    monkeypatch.setattr(hooks, "after_report", [])
    task = started(task, alice)
    content = jpeg(scene(31))
    report(task, alice, content, text=TEXT, when=datetime.datetime(2026, 11, 6, 10, tzinfo=CST))
    report(task, alice, content, jpeg(scene(32), taken=None), text=TEXT)
    monkeypatch.undo()
    assert not Evidence.objects.exclude(phash="").exists()
    return task


def all_flags() -> list:
    return [
        *Report.objects.order_by("id").values_list("flags", flat=True),
        *Evidence.objects.order_by("id").values_list("phash", "flags"),
    ]


@pytest.mark.django_db
def test_it_hashes_the_photos_and_flags_the_old_reports(unchecked):
    output = recheck()
    assert "photos hashed: 3" in output
    assert "flagged reports: 1" in output
    assert not Evidence.objects.filter(phash="").exists()
    first, second = Report.objects.order_by("id")
    assert first.flags == []
    assert first.evidence.get().flags == []
    assert [f["code"] for f in second.flags] == ["copied_text"]
    reused, undated = second.evidence.order_by("id")
    assert [f["code"] for f in reused.flags] == ["reused_photo"]
    assert [f["code"] for f in undated.flags] == ["no_capture_time"]
    assert AuditEvent.objects.filter(action="evidence.recheck").count() == 1


@pytest.mark.django_db
def test_it_changes_nothing_when_run_again(unchecked):
    recheck()
    before = all_flags()
    output = recheck()
    assert "photos hashed: 0" in output and "records changed: 0" in output
    assert all_flags() == before
    assert AuditEvent.objects.filter(action="evidence.recheck").count() == 1


@pytest.mark.django_db
def test_it_rechecks_one_plan_only_when_asked(unchecked, sup):
    from tuijin.tasks.models import Plan

    Plan.objects.create(name="另一个计划", year=2026)
    assert "reports checked: 0" in recheck("--plan", "另一个计划")
    assert not Evidence.objects.exclude(phash="").exists()
    assert "reports checked: 2" in recheck("--plan", unchecked.plan.name)
    with pytest.raises(CommandError):
        recheck("--plan", "没有这个计划")
