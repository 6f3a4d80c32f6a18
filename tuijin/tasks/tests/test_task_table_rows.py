"""The task table prints each task exactly as its template used to, whether its rows come from values (the task
list) or from Task instances (the cockpit's lists include the same table), and escapes what people typed."""

import datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tuijin.org.models import Unit, UnitKind
from tuijin.tasks import services
from tuijin.tasks.forms import TaskFilterForm
from tuijin.tasks.models import Plan, Task, TaskStatus
from tuijin.tasks.rows import ROW_FIELDS, filter_options, rows_from_tasks, rows_from_values

# The row and the filters as tasks/task_list.html printed them before its rows were read as values.
TEMPLATE_ROW = """<tr data-status="{{ t.status }}">
      <td class="text-nowrap">{{ t.number }}</td>
      <td class="title"><a href="{% url 'task_detail' t.code %}">{{ t.title }}</a>{% if not plan %}<div class="small text-muted">{{ t.plan.name }}</div>{% endif %}</td>
      <td class="small">{% for u in t.lead_units %}{{ u.name }}{% if not forloop.last %}、{% endif %}{% endfor %}</td>
      <td class="small">{% for u in t.supporting_units %}{{ u.name }}{% if not forloop.last %}、{% endif %}{% empty %}—{% endfor %}</td>
      <td class="small">{{ t.limit_text|default:"—" }}</td>
      <td class="text-nowrap small">{% if t.deadline %}{{ t.deadline|date:"Y-m-d" }}{% else %}—{% endif %}</td>
      <td style="min-width: 6rem"><div class="progress" role="progressbar" aria-valuenow="{{ t.progress }}" aria-valuemin="0" aria-valuemax="100" style="height: 1rem"><div class="progress-bar {% if t.status == 'overdue' %}bg-danger{% elif t.status == 'warning' %}bg-warning text-dark{% elif t.status == 'closed' %}bg-secondary{% else %}bg-success{% endif %}" style="width: {{ t.progress }}%">{{ t.progress }}%</div></div></td>
      <td class="small text-nowrap">{{ t.get_state_display }}</td>
      <td>{% include "tasks/_status_badge.html" %}</td>
    </tr>"""  # noqa: E501
TEMPLATE_FILTERS = """{% load i18n %}\
<select name="plan">{% for v, l in form.fields.plan.choices %}<option value="{{ v }}"{% if form.plan.value|stringformat:'s' == v|stringformat:'s' %} selected{% endif %}>{% if v %}{{ l }}{% else %}{% translate "All plans" %}{% endif %}</option>{% endfor %}</select>\
<select name="status">{% for v, l in form.fields.status.choices %}<option value="{{ v }}"{% if form.status.value == v %} selected{% endif %}>{{ l }}</option>{% endfor %}</select>\
<select name="state">{% for v, l in form.fields.state.choices %}<option value="{{ v }}"{% if form.state.value == v %} selected{% endif %}>{{ l }}</option>{% endfor %}</select>\
<select name="unit">{% for v, l in form.fields.unit.choices %}<option value="{{ v }}"{% if form.unit.value|stringformat:'s' == v|stringformat:'s' %} selected{% endif %}>{% if v %}{{ l }}{% else %}{% translate "All units" %}{% endif %}</option>{% endfor %}</select>"""  # noqa: E501


@pytest.fixture
def tasks(plan, sup, unit_a, unit_b, unit_c):
    """Tasks that cover what a row shows: no deadline, no supporting unit, several of each, a status with a
    reason, a closed one, and text that must be escaped."""
    odd = Unit.objects.create(name='R&D <中心> "甲"', kind=UnitKind.DEPARTMENT)
    made = [
        services.create_task(actor=sup, plan=plan, number="1", title="建成孵化基地", category="一、科技创新",
                             lead_units=[unit_a], supporting_units=[unit_b, unit_c], limit_text="年底前"),
        services.create_task(actor=sup, plan=plan, number="2", title="<script>alert('x')</script> & 招商",
                             category="一、科技创新", lead_units=[odd, unit_b], limit_text=""),
        services.create_task(actor=sup, plan=plan, number="3", title="持续推进", category="",
                             lead_units=[unit_c], supporting_units=[odd], limit_text="长期坚持"),
        services.create_task(actor=sup, plan=plan, number="4", title="已办结", category="二、民生",
                             lead_units=[unit_b], limit_text="6月底前"),
    ]  # fmt: skip
    Task.objects.filter(pk=made[0].pk).update(
        status=TaskStatus.WARNING, status_reason="lag:35:91", progress=40
    )
    Task.objects.filter(pk=made[1].pk).update(status=TaskStatus.OVERDUE, status_reason="overdue:2026-06-30")
    Task.objects.filter(pk=made[3].pk).update(status=TaskStatus.CLOSED, state="closed", progress=100)
    other = Plan.objects.create(name="2026年“十件实事”", year=2026, start_date=datetime.date(2026, 1, 1))
    services.create_task(actor=sup, plan=other, number="1", title="另一清单的任务", lead_units=[unit_a],
                         limit_text="9月底前")  # fmt: skip
    return Task.objects.order_by("plan__year", "plan__name", "sort_key", "id")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("within_plan", [False, True])
def test_it_prints_each_row_as_the_template_did(tasks, language, within_plan):
    template = engines["django"].from_string(TEMPLATE_ROW)
    with translation.override(language):
        rows = rows_from_values(tasks.values(*ROW_FIELDS))
        for task, row in zip(tasks.for_list(), rows, strict=True):
            row.show_plan = not within_plan
            expected = template.render({"t": task, "plan": task.plan if within_plan else None})
            assert row.html == expected
    assert "<script>" not in "".join(r.html for r in rows)


@pytest.mark.django_db
def test_it_builds_the_same_rows_from_values_and_from_tasks(tasks):
    assert rows_from_values(tasks.values(*ROW_FIELDS)) == rows_from_tasks(tasks.for_list())
    assert rows_from_values(Task.objects.none().values(*ROW_FIELDS)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "status=warning", "state=closed&unit={unit}", "plan={plan}&status=overdue", "unit=abc&plan=zzz&status=x",
     "unit=999999"],
)  # fmt: skip
def test_it_offers_the_filters_as_the_template_did(tasks, unit_b, plan, query):
    request = RequestFactory().get("/tasks/?" + query.format(unit=unit_b.pk, plan=plan.code))
    form = TaskFilterForm(request.GET or None)
    form.is_valid()
    expected = engines["django"].from_string(TEMPLATE_FILTERS).render({"form": form})
    options = filter_options(form, with_plans=True)
    printed = "".join(
        f'<select name="{name}">{options[name]}</select>' for name in ("plan", "status", "state", "unit")
    )
    assert printed == expected


@pytest.mark.django_db
def test_it_shows_the_same_table_on_the_task_list_and_in_a_plan(client, tasks, sup, plan):
    from tuijin.conftest import PASSWORD

    assert client.login(username=sup.username, password=PASSWORD)
    page = client.get(reverse("task_list")).content.decode()
    assert page.count('<tr data-status="') == 5
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "R&amp;D &lt;中心&gt; &quot;甲&quot;、市科技局" in page
    assert "2026年“十件实事”" in page
    within = client.get(reverse("plan_detail", args=[plan.code])).content.decode()
    assert within.count('<tr data-status="') == 4
    assert '<div class="small text-muted">' + plan.name not in within
