"""The read-only cockpit panel: the programmes not over yet that the reader may see, with their countdowns,
readiness and red/yellow preparation tasks — nothing for those who may not see them."""

import datetime

import pytest
from django.template.loader import render_to_string

from tuijin.events import checklist, preparation
from tuijin.events.services import cockpit_countdown

TODAY = datetime.date(2026, 3, 20)


@pytest.fixture
def world(sup, alice, ceremony, opening, item, unit_a):
    checklist.add_item(actor=sup, activity=ceremony, title="物资到位", unit=unit_a)
    checklist.sign_off(actor=alice, item=item)
    preparation.add_prep_task(actor=sup, activity=ceremony, category="安全", title="逾期任务", lead_units=[unit_a],
                              deadline=datetime.date(2026, 3, 18))  # fmt: skip
    return ceremony.programme


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader", "alice", "bob"])
def test_it_shows_countdown_and_readiness_to_those_who_see_the_programme(world, who, request):
    panel = cockpit_countdown(request.getfixturevalue(who), TODAY)
    row = panel["programmes"][0]
    assert row["programme"] == world
    assert [(c.activity.title, c.days, c.hours) for c in row["countdowns"]] == [
        ("开幕式", 26, 9),
        ("拜祖大典", 29, 23),
    ]
    assert (row["signed"], row["total"], row["readiness"]) == (1, 2, 50)
    html = render_to_string("events/_cockpit_countdown.html", {"event_countdown": panel})
    assert 'data-testid="events-panel"' in html and world.name in html
    assert 'data-testid="panel-readiness">50%' in html
    assert "<form" not in html and "<button" not in html  # read-only


@pytest.mark.django_db
def test_it_counts_the_red_tasks_the_reader_may_see(world, sup, bob):
    assert cockpit_countdown(sup, TODAY)["programmes"][0]["overdue"] == 1
    assert cockpit_countdown(bob, TODAY)["programmes"][0]["overdue"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["charlie", "auditor", "sysadmin", "secadmin"])
def test_it_shows_nothing_to_outsiders_and_the_three_administrators(world, who, request):
    user = request.getfixturevalue(who)
    assert cockpit_countdown(user, TODAY) is None
    assert render_to_string("events/_cockpit_countdown.html", {"event_countdown": None}).strip() == ""


@pytest.mark.django_db
def test_it_drops_a_programme_once_it_is_over(world, sup):
    assert cockpit_countdown(sup, datetime.date(2026, 5, 16)) is None
    during = cockpit_countdown(sup, datetime.date(2026, 4, 16))["programmes"][0]
    assert during["running"] and [c.activity.title for c in during["countdowns"]] == ["拜祖大典"]
    assert (during["countdowns"][0].days, during["countdowns"][0].hours) == (
        3,
        9,
    )  # 16 April 00:00 → 19 April 09:30
