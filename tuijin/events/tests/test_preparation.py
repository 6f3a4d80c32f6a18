"""Preparation tasks live on the task engine: a template generates an activity's standard tasks in one step with
deadlines counted back in working days (Qingming's holiday skipped), and they are then listed, warned about and
acted on like any other task."""

import datetime

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.events import preparation
from tuijin.events.models import ActivityTask, ChecklistItem
from tuijin.events.services import EventError
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Task, TaskEvent, TaskState, TaskStatus

from .conftest import login


@pytest.mark.django_db
def test_it_counts_deadlines_back_in_working_days(sup, ceremony, template):
    links, checks = preparation.apply_template(actor=sup, activity=ceremony, template=template)
    deadlines = {link.category: link.task.deadline for link in links}
    # 19 April 2026 is a Sunday; 4–6 April are the Qingming holiday.
    assert deadlines == {
        "安全": datetime.date(2026, 4, 3),  # 10 working days before
        "交通": datetime.date(2026, 4, 8),
        "保障": datetime.date(2026, 4, 9),
        "医疗": datetime.date(2026, 4, 13),
        "接待": datetime.date(2026, 4, 13),
        "宣传": datetime.date(2026, 4, 15),
    }
    assert {c.title: c.due_date for c in checks}["物资到位"] == datetime.date(2026, 4, 17)


@pytest.mark.django_db
def test_it_creates_ordinary_tasks_of_the_programme_plan(sup, ceremony, template, unit_a, unit_b):
    links, checks = preparation.apply_template(actor=sup, activity=ceremony, template=template)
    task = links[0].task
    assert task.plan == ceremony.programme.plan
    assert task.title == "拜祖大典：制定安保方案，部署安保力量"
    assert (task.number, task.category, task.limit_text) == ("1", "安全", "4月3日前")
    assert task.lead_units == [unit_a] and task.state == TaskState.ASSIGNED
    assert TaskEvent.objects.filter(task=task, kind=TaskEvent.Kind.CREATED).exists()
    assert AuditEvent.objects.filter(action="task.create", object_id=str(task.pk)).exists()
    assert AuditEvent.objects.filter(action="events.template.apply").count() == 1
    assert sorted(t.number for t in Task.objects.filter(plan=ceremony.programme.plan)) == list("123456")
    # the checklist items wait for the tasks the template ties them to
    venue = next(c for c in checks if c.title == "场地验收")
    assert venue.task.title.endswith("场地搭建、物资和后勤保障") and venue.unit == unit_a


@pytest.mark.django_db
def test_it_gives_a_task_to_the_unit_the_template_names_with_the_lead_unit_supporting(sup, ceremony, unit_c,
                                                                                      unit_a):  # fmt: skip
    template = preparation.standard_template(actor=sup, name="带单位的模板", units={"医疗": unit_c})
    links, _checks = preparation.apply_template(actor=sup, activity=ceremony, template=template)
    medical = next(link.task for link in links if link.category == "医疗")
    assert medical.lead_units == [unit_c] and medical.supporting_units == [unit_a]


@pytest.mark.django_db
def test_it_skips_what_was_created_before_and_creates_only_the_chosen(sup, ceremony, template):
    safety = template.items.get(title="制定安保方案，部署安保力量")
    drill = template.items.get(title="安保演练")
    preparation.apply_template(actor=sup, activity=ceremony, template=template, item_codes=[safety.code])
    assert ceremony.prep_tasks.count() == 1 and not ceremony.checklist.exists()
    preparation.apply_template(
        actor=sup, activity=ceremony, template=template, item_codes=[drill.code, safety.code]
    )
    assert ceremony.prep_tasks.count() == 1
    assert ceremony.checklist.get().task == ceremony.prep_tasks.get().task  # tied to the task made earlier
    rows = preparation.plan_template(ceremony, template)
    assert {r.item.title for r in rows if r.done} == {"制定安保方案，部署安保力量", "安保演练"}
    preparation.apply_template(actor=sup, activity=ceremony, template=template)
    assert ceremony.prep_tasks.count() == 6 and ceremony.checklist.count() == 4
    with pytest.raises(EventError):
        preparation.apply_template(actor=sup, activity=ceremony, template=template)


@pytest.mark.django_db
def test_it_moves_a_deadline_already_past_to_today_and_says_so(sup, ceremony, template, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    rows = {r.item.title: r for r in preparation.plan_template(ceremony, template)}
    safety = rows["制定安保方案，部署安保力量"]
    assert safety.due == datetime.date(2026, 4, 10) and "2026-04-03" in safety.note
    assert (
        rows["做好新闻宣传和媒体报道"].due == datetime.date(2026, 4, 15)
        and not rows["做好新闻宣传和媒体报道"].note
    )


@pytest.mark.django_db
def test_it_refuses_to_prepare_an_activity_that_is_over(sup, ceremony, template, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 21, 9, 0, tzinfo=datetime.UTC), tick=False)
    with pytest.raises(EventError):
        preparation.apply_template(actor=sup, activity=ceremony, template=template)
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_it_counts_weekdays_and_says_so_when_the_calendar_of_the_year_is_missing():
    day, note = preparation.workdays_before(datetime.date(2031, 1, 13), 3)  # a Monday
    assert day == datetime.date(2031, 1, 8) and "2031" in note


@pytest.mark.django_db
def test_it_generates_from_the_page_in_one_step(client, sup, ceremony, template):
    login(client, sup)
    url = reverse("events_generate", args=[ceremony.code])
    page = client.get(url).content.decode()
    assert page.count('data-testid="preview-row"') == 10 and "2026年4月3日" in page
    response = client.post(
        url, {"template": template.code, "items": [str(i.code) for i in template.items.all()]}
    )
    assert response["Location"] == reverse("events_activity_detail", args=[ceremony.code])
    assert ceremony.prep_tasks.count() == 6 and ceremony.checklist.count() == 4
    response = client.post(url, {"template": template.code})
    assert response.status_code == 400  # nothing chosen: nothing created, and the page says so
    assert 'data-testid="form-errors"' in response.content.decode()


@pytest.mark.django_db
def test_it_shows_preparation_tasks_on_the_task_pages_for_the_units(client, sup, alice, ceremony, template):
    links, _checks = preparation.apply_template(actor=sup, activity=ceremony, template=template)
    task = links[0].task
    login(client, alice)
    plan_page = client.get(reverse("plan_detail", args=[ceremony.programme.plan.code])).content.decode()
    assert all(link.task.title in plan_page for link in links)
    assert client.get(reverse("task_detail", args=[task.code])).status_code == 200
    assert task.title in client.get(reverse("task_list") + "?q=拜祖大典").content.decode()
    # and they move through the engine's states like any task
    task_services.acknowledge(actor=alice, task=Task.objects.for_list().get(pk=task.pk))
    page = client.get(reverse("events_activity_detail", args=[ceremony.code])).content.decode()
    assert f'data-status="{task.status}" data-state="in_progress"' in page


@pytest.mark.django_db
def test_it_warns_about_a_preparation_task_on_the_warning_board(client, sup, ceremony, unit_a):
    link = preparation.add_prep_task(actor=sup, activity=ceremony, category="安全", title="拜祖大典：安保力量部署",
                                     lead_units=[unit_a], deadline=datetime.date(2026, 3, 23))  # fmt: skip
    assert link.task.status == TaskStatus.WARNING
    login(client, sup)
    assert "拜祖大典：安保力量部署" in client.get(reverse("warning_board")).content.decode()


@pytest.mark.django_db
def test_it_adds_and_files_tasks_by_hand(client, sup, ceremony, event_plan, unit_a, unit_b):
    login(client, sup)
    url = reverse("events_prep_task_add", args=[ceremony.code])
    data = {
        "category": "医疗",
        "title": "拜祖大典：设置医疗救护点",
        "lead_units": [unit_b.pk],
        "deadline": "2026-04-20",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and 'data-field="deadline"' in response.content.decode()
    assert client.post(url, data | {"deadline": "2026-04-16"}).status_code == 302
    link = ActivityTask.objects.get(task__title="拜祖大典：设置医疗救护点")
    assert (link.category, link.task.deadline, link.task.lead_units) == (
        "医疗",
        datetime.date(2026, 4, 16),
        [unit_b],
    )

    older = task_services.create_task(
        actor=sup, plan=event_plan, number="9", title="志愿者招募", lead_units=[unit_a]
    )
    response = client.post(reverse("events_prep_task_link", args=[ceremony.code]),
                           {"task": older.code, "category": "保障"})  # fmt: skip
    assert response.status_code == 302
    assert ActivityTask.objects.get(task=older).activity == ceremony
    assert AuditEvent.objects.filter(action="events.prep_task.link").exists()


@pytest.mark.django_db
def test_it_keeps_templates_editable_by_the_office(client, sup, unit_c):
    login(client, sup)
    client.post(reverse("events_template_create"), {"name": "灯光秀筹备", "description": ""})
    from tuijin.events.models import PrepTemplate

    template = PrepTemplate.objects.get(name="灯光秀筹备")
    url = reverse("events_template_detail", args=[template.code])
    client.post(url, {"kind": "task", "category": "安全", "title": "灯光设备安全检测", "workdays_before": "4",
                      "unit": unit_c.pk})  # fmt: skip
    task_item = template.items.get()
    response = client.post(url, {"kind": "check", "category": "安全", "title": "设备检测合格", "workdays_before": "500",
                                 "needs_task": task_item.pk})  # fmt: skip
    assert response.status_code == 400 and 'data-field="workdays_before"' in response.content.decode()
    client.post(url, {"kind": "check", "category": "安全", "title": "设备检测合格", "workdays_before": "1",
                      "needs_task": task_item.pk})  # fmt: skip
    assert template.items.get(kind="check").needs_task == task_item
    client.post(reverse("events_template_item_delete", args=[task_item.code]))
    assert template.items.get().needs_task is None
    assert AuditEvent.objects.filter(action__startswith="events.template.").count() == 4
    assert not ChecklistItem.objects.exists()
