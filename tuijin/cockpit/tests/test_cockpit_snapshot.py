"""The cockpit reads its figures from a snapshot: counted once, kept while fresh, recounted by the tick, on
demand, when stale or on a new day — and never showing a user a task outside their scope."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.cockpit import services, snapshots
from tuijin.cockpit.metrics import Scope
from tuijin.cockpit.models import Snapshot
from tuijin.conftest import PASSWORD, make_user
from tuijin.org.models import Role
from tuijin.supervision import tick
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Plan, Task, TaskUnit

from .conftest import TODAY, at


@pytest.fixture(autouse=True)
def snapshots_on(settings):
    settings.COCKPIT_MAX_AGE = 300


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def total(client, **query) -> int:
    response = client.get(reverse("cockpit"), query)
    assert response.status_code == 200
    return response.context["cockpit"].counts["total"].value


def add_task(sup, plan, unit, title="快照后新增的任务"):
    return task_services.create_task(
        actor=sup, plan=plan, title=title, lead_units=[unit], limit_text="年底前"
    )


@pytest.mark.django_db
def test_it_counts_once_and_reads_the_snapshot_until_it_is_stale(client, world, time_machine, plan, sup, leader,
                                                                  unit_a):  # fmt: skip
    login(client, leader)
    before = total(client)
    assert Snapshot.objects.filter(key="2026:all:all").count() == 1
    add_task(sup, plan, unit_a)
    assert total(client) == before, "a fresh snapshot is read, not recounted"
    html = client.get(reverse("cockpit")).content.decode()
    assert 'data-testid="updated"' in html and "2026-07-15 10:00" in html  # when the figures were counted
    time_machine.move_to(at(7, 15, 10, 6))  # older than COCKPIT_MAX_AGE (5 minutes here)
    assert total(client) == before + 1


@pytest.mark.django_db
def test_it_recounts_on_a_new_day(client, world, time_machine, plan, sup, leader, unit_a):
    login(client, leader)
    first = client.get(reverse("cockpit")).context["cockpit"]
    time_machine.move_to(at(7, 16, 0, 1))  # another day: due windows and days left change
    login(client, leader)  # the idle session ended overnight
    second = client.get(reverse("cockpit")).context["cockpit"]
    assert second.computed_at > first.computed_at
    assert second.days_left == first.days_left - 1
    assert Snapshot.objects.get(key="2026:all:all").as_of == datetime.date(2026, 7, 16)


@pytest.fixture
def district_user(district):
    return make_user("district_user", Role.UNIT, district, "区里的联络员")


@pytest.mark.django_db
def test_it_shows_the_same_figures_as_counting_live(client, world, leader, alice, district_user):
    assert services.as_json(snapshots.cockpit_for(Scope(alice, year=2026, today=TODAY)))["matrix"]
    for user in (leader, district_user):
        scope = Scope(user, year=2026, today=TODAY)
        live = services.as_json(services.build(scope))
        from_snapshot = services.as_json(snapshots.cockpit_for(scope))
        assert from_snapshot == live
        assert from_snapshot["red_list"], "the red list comes through the snapshot too"


@pytest.mark.django_db
def test_it_keeps_one_snapshot_per_scope(client, world, leader, sup, alice, bob, plan):
    for user in (leader, sup, alice, bob):
        login(client, user)
        client.get(reverse("cockpit"))
    client.get(reverse("cockpit"), {"plan": plan.code})
    keys = set(Snapshot.objects.values_list("key", flat=True))
    a, b = sorted(alice.unit_ids())[0], sorted(bob.unit_ids())[0]
    assert keys == {"2026:all:all", f"2026:all:units:{a}", f"2026:all:units:{b}", f"2026:{plan.pk}:units:{b}"}


@pytest.mark.django_db
def test_it_never_shows_a_task_the_user_no_longer_sees(client, world, district_user, district):
    """The red list's ids come from the snapshot, the rows through the user's scope."""
    login(client, district_user)
    red = client.get(reverse("cockpit")).context["cockpit"].red_list
    assert red
    TaskUnit.objects.filter(task=red[0], unit=district).delete()
    again = client.get(reverse("cockpit")).context["cockpit"].red_list
    assert red[0].pk not in {t.pk for t in again}


@pytest.mark.django_db
def test_it_recounts_when_asked_but_not_twice_in_a_row(
    client, world, time_machine, plan, sup, leader, unit_a
):
    login(client, leader)
    before = total(client)
    add_task(sup, plan, unit_a)
    time_machine.move_to(at(7, 15, 10, 1))
    response = client.post(reverse("cockpit_recount") + "?year=2026")
    assert response.status_code == 302 and response["Location"].startswith(reverse("cockpit"))
    assert total(client) == before + 1
    add_task(sup, plan, unit_a, title="又一项任务")
    response = client.post(reverse("cockpit_recount") + "?year=2026", follow=True)
    assert "moments ago" in response.content.decode() or "刚刚" in response.content.decode()
    assert total(client) == before + 1


@pytest.mark.django_db
def test_it_refuses_a_recount_by_get_and_by_those_who_may_not_see_the_cockpit(client, world, auditor, leader):
    login(client, leader)
    assert client.get(reverse("cockpit_recount")).status_code == 405
    client.logout()
    login(client, auditor)
    assert client.post(reverse("cockpit_recount")).status_code == 403
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_the_tick_recounts_the_year_and_the_plans_leaders_opened(client, world, time_machine, plan, sup, leader,
                                                                  alice, unit_a):  # fmt: skip
    login(client, leader)
    client.get(reverse("cockpit"), {"plan": plan.code})  # a plan somebody opened
    login(client, alice)
    client.get(reverse("cockpit"))
    Snapshot.objects.create(key="2020:all:all", year=2020, as_of=datetime.date(2020, 7, 1),
                            computed_at=at(7, 1) - datetime.timedelta(days=8), figures={})  # fmt: skip
    add_task(sup, plan, unit_a)
    time_machine.move_to(at(7, 15, 10, 5))
    results = {r.name: r for r in tick.run_tick()}
    assert results["cockpit"].ok, results["cockpit"].summary
    assert "recounted: 2" in results["cockpit"].summary and "deleted: 1" in results["cockpit"].summary
    year = Snapshot.objects.get(key="2026:all:all")
    assert year.computed_at == at(7, 15, 10, 5)
    assert year.figures["headline"]["total"] == Task.objects.filter(plan__year=2026).count()
    assert Snapshot.objects.get(key=f"2026:{plan.pk}:all").computed_at == at(7, 15, 10, 5)
    # unit users' scopes are counted on demand, not by the tick
    unit_key = f"2026:all:units:{sorted(alice.unit_ids())[0]}"
    assert Snapshot.objects.get(key=unit_key).computed_at < at(7, 15, 10, 5)


@pytest.mark.django_db
def test_the_tick_does_nothing_with_snapshots_off(settings, world):
    settings.COCKPIT_MAX_AGE = 0
    results = {r.name: r for r in tick.run_tick()}
    assert "snapshots off" in results["cockpit"].summary
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_it_reads_a_snapshot_with_a_fixed_number_of_queries(client, world, time_machine, plan, sup, leader,
                                                             unit_a, sector_b):  # fmt: skip
    login(client, leader)
    client.get(reverse("cockpit"))  # counted and kept; the session's once-a-minute writes done
    counts = []
    for extra in (0, 40):
        for i in range(extra):
            add_task(sup, plan, [unit_a, sector_b][i % 2], title=f"批量任务{i}")
        Task.objects.filter(plan=plan).update(status="overdue")
        snapshots.recount(Scope(leader, year=2026, today=TODAY))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cockpit")).status_code == 200
        counts.append(len(queries))
        counting = [
            q["sql"]
            for q in queries.captured_queries
            if "COUNT(" in q["sql"].upper() and "tasks_" in q["sql"]
        ]
        assert not counting, "no counting over tasks when a fresh snapshot exists"
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_two_recounts_of_one_scope_leave_one_row(world, leader):
    scope = Scope(leader, year=2026, today=TODAY)
    snapshots.recount(scope)
    snapshots.recount(scope)
    assert Snapshot.objects.filter(key=snapshots.scope_key(scope)).count() == 1
    assert Plan.objects.filter(year=2026).exists()


@pytest.mark.django_db
def test_it_keeps_the_rendered_matrix_until_the_figures_are_recounted(client, world, time_machine, plan, sup,
                                                                     leader, unit_a, sector_b):  # fmt: skip
    login(client, leader)
    first = client.get(reverse("cockpit")).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("cockpit")).content.decode()
    assert again.count('data-testid="matrix"') == 1 and "北龙湖金融岛" in again
    assert not any("org_unit" in q["sql"] and "'sector'" in q["sql"] for q in queries.captured_queries), (
        "the kept matrix needs no sectors"
    )
    add_task(sup, plan, sector_b, title="北龙湖新增任务")
    time_machine.move_to(at(7, 15, 10, 7))
    recounted = client.get(reverse("cockpit"))
    row = next(r for r in recounted.context["cockpit"].rows if r.unit_id == sector_b.pk)
    assert f'data-value="{row.total.value}"' in recounted.content.decode()
    assert recounted.content.decode() != first
    # in English the kept Chinese rendering is not reused
    client.cookies["django_language"] = "en"
    english = client.get(reverse("cockpit")).content.decode()
    assert "Tasks by lead unit and status" in english
