"""The task page shows the task's open warnings — level, kind and since when — read in one query."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .test_warnings_support import login, make_task, on, refresh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["sup", "leader", "alice", "bob"])
def test_it_shows_the_warnings_on_the_task_page(client, sup, plan, unit_a, unit_b, who, request):
    task = make_task(sup, plan, [unit_a], [unit_b], limit="3月底前")
    refresh("2026-04-02")
    login(client, request.getfixturevalue(who))
    with on("2026-04-02", 12):
        page = client.get(reverse("task_detail", args=[task.code])).content.decode()
    assert 'data-testid="task-warnings"' in page
    assert 'data-warning="overdue"' in page
    assert 'data-level="red"' in page
    assert "2026-04-02" in page  # since when
    assert "2026-03-31" in page  # the deadline it passed


def test_it_shows_nothing_for_a_task_without_warnings(client, sup, plan, unit_a, alice):
    task = make_task(sup, plan, [unit_a], limit="6月底前")
    login(client, alice)
    with on("2026-01-06", 12):
        page = client.get(reverse("task_detail", args=[task.code])).content.decode()
    assert 'data-testid="task-warnings"' not in page


def test_it_reads_the_warnings_in_one_query(sup, plan, unit_a, alice):
    task = make_task(sup, plan, [unit_a], limit="3月底前")
    refresh("2026-04-02")
    request = RequestFactory().get("/")
    request.user = alice
    template = Template("{% load warning_tags %}{% task_warnings task %}")
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"task": task, "request": request}))
    assert len(queries) == 1
    assert html.count("data-warning=") == 2  # overdue, and March's report missing
