"""The warning board: the supervision office and leaders see every warning, unit users those on their units'
tasks, everyone else nothing; filters, counts by level, htmx partial, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.org.models import Unit, UnitKind
from tuijin.supervision.models import Warning
from tuijin.tasks.models import Plan

from .test_warnings_support import at, login, make_task, on, refresh

pytestmark = pytest.mark.django_db
URL = reverse("warning_board")


@pytest.fixture
def red_task(sup, plan, unit_a, unit_b):
    """Led by unit_a (alice), supported by unit_b (bob); overdue since 2026-03-31."""
    task = make_task(sup, plan, [unit_a], [unit_b], limit="3月底前", number="1")
    refresh("2026-04-02")
    return task


@pytest.fixture
def other_task(sup, plan, unit_c):
    """Led by charlie's unit; near its deadline on 2026-04-02."""
    task = make_task(sup, plan, [unit_c], limit="4月3日前", number="2", day="2026-03-30")
    refresh("2026-04-02")
    return task


def board(client, user, **params):
    login(client, user)
    with on("2026-04-02", 12):
        return client.get(URL, params)


def rows(response) -> set[str]:
    return {w.task.number for w in response.context["page"].object_list}


@pytest.mark.parametrize("who", ["sup", "leader"])
def test_it_shows_the_office_and_leaders_every_warning(client, red_task, other_task, who, request):
    response = board(client, request.getfixturevalue(who))
    assert response.status_code == 200
    assert rows(response) == {"1", "2"}


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_it_shows_the_lead_and_supporting_units_their_tasks_warnings_only(
    client, red_task, other_task, who, request
):
    response = board(client, request.getfixturevalue(who))
    assert response.status_code == 200
    assert rows(response) == {"1"}
    assert other_task.title not in response.content.decode()


def test_it_shows_an_outsider_only_their_own_units_warnings(client, red_task, other_task, charlie):
    response = board(client, charlie)
    assert rows(response) == {"2"}
    assert red_task.title not in response.content.decode()


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin"])
def test_it_refuses_the_three_administrators(client, red_task, who, request):
    assert board(client, request.getfixturevalue(who)).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_counts_by_level_and_links_each_row_to_its_task(client, red_task, other_task, sup):
    response = board(client, sup)
    counts = {code: n for code, _label, n in response.context["counts"]}
    assert counts == {
        "red": 1,
        "yellow": Warning.objects.filter(level="yellow", resolved_at__isnull=True).count(),
    }
    assert counts["yellow"] >= 1
    page = response.content.decode()
    assert reverse("task_detail", args=[red_task.code]) in page
    assert reverse("task_detail", args=[other_task.code]) in page
    # The level filter narrows the rows but leaves the counts of the other level in view.
    response = board(client, sup, level="red")
    assert {w.level for w in response.context["page"].object_list} == {"red"}
    assert {code: n for code, _label, n in response.context["counts"]} == counts


def test_it_filters_by_plan_sector_unit_kind_and_age(client, red_task, other_task, sup, unit_a, unit_c):
    other_plan = Plan.objects.create(name="另一清单", year=2026)
    make_task(sup, other_plan, [unit_a], limit="年底前", number="3")  # on track: no warnings
    assert rows(board(client, sup, plan=red_task.plan.code)) == {"1", "2"}
    assert rows(board(client, sup, plan=other_plan.code)) == set()
    assert unit_a.kind == UnitKind.SECTOR
    assert rows(board(client, sup, sector=unit_a.pk)) == {"1"}
    assert rows(board(client, sup, unit=unit_c.pk)) == {"2"}
    assert {w.kind for w in board(client, sup, kind="overdue").context["page"].object_list} == {"overdue"}
    Warning.objects.filter(task=red_task).update(first_seen=at("2026-03-20"))
    assert rows(board(client, sup, age=5)) == {"1"}  # open for more than 5 days
    assert rows(board(client, sup, age=0)) == {"1", "2"}


def test_it_lists_resolved_warnings_when_asked(client, red_task, sup):
    Warning.objects.filter(task=red_task, kind="overdue").update(resolved_at=at("2026-04-02", 11))
    assert "overdue" not in {w.kind for w in board(client, sup).context["page"].object_list}
    resolved = board(client, sup, state="resolved").context["page"].object_list
    assert [w.kind for w in resolved] == ["overdue"]
    assert "overdue" in {w.kind for w in board(client, sup, state="all").context["page"].object_list}


def test_it_ignores_filters_that_are_not_valid(client, red_task, sup):
    response = board(client, sup, age="many", level="purple")
    assert response.status_code == 200
    assert rows(response) == {"1"}


def test_it_answers_htmx_with_the_table_only(client, red_task, sup):
    login(client, sup)
    with on("2026-04-02", 12):
        response = client.get(URL, {"level": "red"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-testid="warning-table"' in page
    assert "<nav" not in page and "<form" not in page


def _tasks(sup, plan, units, n, start):
    for i in range(n):
        make_task(sup, plan, units, number=str(start + i), limit="3月底前", day="2026-03-02")


@pytest.mark.parametrize("who", ["sup", "alice", "leader"])
def test_it_lists_warnings_with_a_fixed_number_of_queries(client, sup, plan, unit_a, unit_b, who, request):
    Unit.objects.create(name="白沙科学谷管委会", kind=UnitKind.SECTOR)
    user = request.getfixturevalue(who)
    counts = []
    for start, n in ((1, 2), (100, 30)):
        _tasks(sup, plan, [unit_a, unit_b], n, start)
        refresh("2026-04-02")
        login(client, user)
        with on("2026-04-02", 12), CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(response.context["page"].object_list) == 50  # 32 overdue + 32 report + … on page one
    assert counts[0] == counts[1]
    assert counts[0] <= 16  # 16: the navigation asks whether a unit user works in a sector; overdue 企业诉求 counted
