"""Every change to a programme, its activities, templates, preparation tasks and checklists writes an audit event
with who did it, before and after — and no contact phone in plaintext."""

import datetime

import pytest

from tuijin.core.models import AuditEvent
from tuijin.events import checklist, preparation, services

from .conftest import PHONE


@pytest.mark.django_db
def test_it_audits_every_change(sup, alice, programme, ceremony, unit_a, event_plan):
    services.update_programme(actor=sup, programme=programme, description="首届黄河文化月")
    services.update_activity(actor=sup, activity=ceremony, capacity=12000)
    extra = services.create_activity(actor=sup, programme=programme, title="彩排", date=datetime.date(2026, 4, 18),
                                     start_time=datetime.time(9), end_time=datetime.time(10), venue="新郑黄帝故里景区",
                                     lead_unit=unit_a)  # fmt: skip
    services.delete_activity(actor=sup, activity=extra)
    template = preparation.create_template(actor=sup, name="简版")
    preparation.update_template(actor=sup, template=template, description="只含安保")
    task_item = preparation.add_template_item(actor=sup, template=template, kind="task", category="安全",
                                              title="安保方案", workdays_before=5)  # fmt: skip
    drop = preparation.add_template_item(actor=sup, template=template, kind="check", category="安全", title="演练",
                                         workdays_before=1, needs_task=task_item)  # fmt: skip
    preparation.delete_template_item(actor=sup, item=drop)
    preparation.apply_template(actor=sup, activity=ceremony, template=template)
    preparation.add_prep_task(actor=sup, activity=ceremony, category="医疗", title="救护点", lead_units=[unit_a],
                              deadline=datetime.date(2026, 4, 17))  # fmt: skip
    from tuijin.tasks.services import create_task

    older = create_task(actor=sup, plan=event_plan, title="志愿者", lead_units=[unit_a])
    preparation.link_task(actor=sup, activity=ceremony, task=older, category="保障")
    item = checklist.add_item(actor=sup, activity=ceremony, title="物资到位", unit=unit_a)
    checklist.sign_off(actor=alice, item=item)
    checklist.undo_sign_off(actor=sup, item=item, reason="数量不符")
    checklist.delete_item(actor=sup, item=item)

    actions = set(AuditEvent.objects.filter(action__startswith="events.").values_list("action", flat=True))
    assert actions == {
        "events.programme.create", "events.programme.update", "events.activity.create", "events.activity.update",
        "events.activity.delete", "events.template.create", "events.template.update", "events.template.add_item",
        "events.template.delete_item", "events.template.apply", "events.prep_task.add", "events.prep_task.link",
        "events.checklist.add", "events.checklist.sign_off", "events.checklist.undo", "events.checklist.delete",
    }  # fmt: skip
    update = AuditEvent.objects.get(action="events.activity.update")
    assert (update.before["capacity"], update.after["capacity"]) == (10000, 12000)
    assert update.actor == sup
    assert AuditEvent.objects.get(action="events.checklist.sign_off").actor == alice
    for event in AuditEvent.objects.filter(action__startswith="events."):
        assert PHONE not in str(event.before) + str(event.after)
