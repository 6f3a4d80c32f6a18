"""The evidence-checks board: supervisors and leaders read every flag, unit users those on their units' tasks,
everyone else is refused; filters, thumbnails, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.supervision.tests.test_evidence_checks import jpeg, report, scene, started
from tuijin.tasks import services
from tuijin.tasks.models import Plan

URL = reverse("evidence_checks")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def other_task(sup, unit_c):
    """charlie's task, in another plan."""
    plan = Plan.objects.create(name="2026年人才公寓建设计划", year=2026)
    return services.create_task(
        actor=sup, plan=plan, number="7", title="建设人才公寓", lead_units=[unit_c], limit_text="年底前"
    )


@pytest.fixture
def flagged(task, other_task, alice, charlie):
    """alice's report has a photo without capture time; charlie's reuses a photo of alice's task."""
    content = jpeg(scene(21))
    mine = report(started(task, alice), alice, content, jpeg(scene(22), taken=None))
    theirs = report(started(other_task, charlie), charlie, content)
    return mine, theirs


@pytest.fixture
def markers(flagged):
    mine, theirs = flagged
    return {str(mine.code): "mine", str(theirs.code): "theirs"}


def reports_on(response, markers) -> set[str]:
    page = response.content.decode()
    return {name for code, name in markers.items() if f'data-report="{code}"' in page}


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader"])
def test_it_shows_every_flagged_report_to_supervisors_and_leaders(client, who, request, markers):
    login(client, request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    assert reports_on(response, markers) == {"mine", "theirs"}
    page = response.content.decode()
    assert 'data-flag="reused_photo"' in page and 'data-flag="no_capture_time"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("who, expected", [("alice", {"mine"}), ("bob", {"mine"}), ("charlie", {"theirs"})])
def test_it_shows_unit_users_only_the_reports_on_their_units_tasks(client, who, expected, request, markers):
    login(client, request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    assert reports_on(response, markers) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin"])
def test_it_refuses_everyone_else(client, who, request, markers):
    login(client, request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_it_shows_thumbnails_and_links_to_the_tasks(client, sup, task, other_task, flagged):
    mine, theirs = flagged
    login(client, sup)
    page = client.get(URL).content.decode()
    reused = theirs.evidence.get()
    assert reverse("evidence_thumb", args=[reused.code]) in page
    assert reverse("task_detail", args=[other_task.code]) in page
    # The reuse flag links to the task where the photo was first used.
    assert reverse("task_detail", args=[task.code]) in page
    undated = mine.evidence.exclude(flags=[]).get()
    assert reverse("evidence_thumb", args=[undated.code]) in page
    assert mine.evidence.filter(flags=[]).count() == 1  # the other photo of the report is fine
    newest_first = page.index(f'data-report="{theirs.code}"') < page.index(f'data-report="{mine.code}"')
    assert newest_first


@pytest.mark.django_db
def test_it_filters_by_flag_kind_plan_and_unit(client, sup, task, unit_c, markers):
    login(client, sup)
    assert reports_on(client.get(URL, {"kind": "reused_photo"}), markers) == {"theirs"}
    assert reports_on(client.get(URL, {"kind": "no_capture_time"}), markers) == {"mine"}
    assert reports_on(client.get(URL, {"kind": "copied_text"}), markers) == set()
    assert reports_on(client.get(URL, {"plan": str(task.plan.code)}), markers) == {"mine"}
    assert reports_on(client.get(URL, {"unit": unit_c.pk}), markers) == {"theirs"}
    counts = client.get(URL).content.decode()
    assert 'data-count="reused_photo">' in counts


@pytest.mark.django_db
def test_it_answers_htmx_with_the_table_only(client, sup, markers):
    login(client, sup)
    response = client.get(URL, {"kind": "reused_photo"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-testid="checks-table"' in page
    assert "<html" not in page
    assert reports_on(response, markers) == {"theirs"}


def _more_flagged_reports(task, user, n, seed):
    for i in range(n):
        report(task, user, jpeg(scene(seed + i), taken=None), text=f"第{seed + i}期进展")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "alice"])
def test_it_lists_flags_with_a_fixed_number_of_queries(client, task, alice, who, request):
    task = started(task, alice)
    _more_flagged_reports(task, alice, 2, 100)
    login(client, request.getfixturevalue(who))
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _more_flagged_reports(task, alice, 12, 200)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert response.content.decode().count("data-report=") == 14
    assert len(large) == len(small) <= 13  # 13: the navigation asks whether a unit user works in a sector
