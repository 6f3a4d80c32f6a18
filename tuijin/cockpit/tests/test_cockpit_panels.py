"""The cockpit's panels: on-time rule by Beijing date, countdown, photo wall, rankings, and the refresh."""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.tasks import services
from tuijin.tasks.models import Task

from .conftest import TODAY, at, close, photo


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def cockpit(client, **query):
    return client.get(reverse("cockpit"), query).context["cockpit"]


@pytest.mark.django_db
def test_it_counts_a_closure_after_midnight_beijing_time_as_late(client, world, time_machine, plan, sup, alice,
                                                                 leader, unit_a):  # fmt: skip
    time_machine.move_to(at(1, 5))
    task = services.create_task(
        actor=sup, plan=plan, title="午夜后销号", lead_units=[unit_a], limit_text="6月底前"
    )
    close(time_machine, task, lead_user=alice, sup=sup, when=at(7, 1, 0, 30))  # 16:30 UTC on 30 June
    time_machine.move_to(at(7, 15))
    login(client, leader)
    june = cockpit(client).months[5]
    assert (june.on_time.value, june.due.value) == (1, 3)
    page = client.get(june.due.url).content.decode()
    assert "午夜后销号" in page
    assert "午夜后销号" not in client.get(june.on_time.url).content.decode()


@pytest.mark.django_db
def test_it_counts_down_the_days_and_working_days_to_the_year_end(client, world, leader):
    login(client, leader)
    data = cockpit(client)
    assert data.days_left == (datetime.date(2026, 12, 31) - TODAY).days == 169
    assert 100 < data.workdays_left < 169
    html = client.get(reverse("cockpit")).content.decode()
    assert 'data-testid="days-left">169<' in html


@pytest.mark.django_db
def test_it_explains_the_on_time_rate_on_the_page(client, world, leader):
    login(client, leader)
    html = client.get(reverse("cockpit")).content.decode()
    assert 'data-testid="rate-definition"' in html
    assert 'id="trend-data"' in html and 'id="trend-chart"' in html


@pytest.mark.django_db
def test_it_shows_the_latest_photo_of_each_sector(client, world, time_machine, leader, alice, sup, unit_a,
                                                  sector_b):  # fmt: skip
    time_machine.move_to(at(7, 14))
    services.acknowledge(actor=alice, task=Task.objects.for_list().get(pk=world["t7"].pk))
    services.submit_report(actor=alice, task=Task.objects.for_list().get(pk=world["t7"].pk), text="主体封顶",
                           progress=60, files=[photo("new.jpg")])  # fmt: skip
    time_machine.move_to(at(7, 15))
    login(client, leader)
    wall = cockpit(client).photos
    # t7 is led by both sectors: its new photo is the latest of each; unit_a's older closure photos are not shown
    assert [(unit.name, evidence.task_id) for unit, evidence in wall] == [
        (unit_a.name, world["t7"].pk), (sector_b.name, world["t7"].pk),
    ]  # fmt: skip
    html = client.get(reverse("cockpit")).content.decode()
    evidence = wall[0][1]
    assert reverse("evidence_thumb", args=[evidence.code]) in html
    assert reverse("task_detail", args=[world["t7"].code]) in html
    assert client.get(reverse("evidence_thumb", args=[evidence.code])).status_code == 200


@pytest.mark.django_db
def test_it_shows_a_unit_user_only_photos_of_tasks_they_see(client, world, bob, leader, unit_a):
    login(client, leader)
    assert [(u.name, e.task_id) for u, e in cockpit(client).photos] == [(unit_a.name, world["t8"].pk)]
    client.logout()
    login(client, bob)  # supports t1, not t8: unit_a's latest photo for bob is t1's
    assert [(u.name, e.task_id) for u, e in cockpit(client).photos] == [(unit_a.name, world["t1"].pk)]


@pytest.mark.django_db
def test_it_refreshes_only_the_figures_through_htmx(client, world, leader):
    login(client, leader)
    response = client.get(reverse("cockpit"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="cockpit-figures"')
    assert 'hx-trigger="every 60s"' in html
    assert 'id="cockpit-updated" hx-swap-oob="true"' in html
    assert 'hx-preserve="true"' in html  # the chart keeps its canvas and animates to the new data
    full = client.get(reverse("cockpit")).content.decode()
    numbers = re.compile(r'data-value="(\d+)" href="([^"]+)"')
    assert numbers.findall(html) == numbers.findall(full) != []
    assert 'id="trend-data"' in html


def make_round(state: str, *, unit_a, sector_b, unit_b):
    Scheme = apps.get_model("assessment", "Scheme")
    Round = apps.get_model("assessment", "Round")
    Result = apps.get_model("assessment", "Result")
    scheme = Scheme.objects.create(name="核心板块月度考核")
    round_ = Round.objects.create(scheme=scheme, period="2026-06", state=state, computed_at=at(7, 1),
                                  published_at=at(7, 2) if state == "published" else None,
                                  snapshot={"groups": ["sector", "department"]})  # fmt: skip
    for rank, unit, group, total in [(1, sector_b, "sector", "96.5"), (2, unit_a, "sector", "88.0"),
                                     (1, unit_b, "department", "91.0")]:  # fmt: skip
        Result.objects.create(round=round_, unit=unit, unit_name=unit.name, group=group, total=Decimal(total),
                              grade="优秀" if Decimal(total) >= 90 else "良好", rank=rank)  # fmt: skip
    return round_


@pytest.mark.django_db
def test_it_says_when_no_round_is_published_yet(client, world, leader, unit_a, sector_b, unit_b):
    make_round("computed", unit_a=unit_a, sector_b=sector_b, unit_b=unit_b)
    login(client, leader)
    assert cockpit(client).ranking is None
    html = client.get(reverse("cockpit")).content.decode()
    assert "No published assessment round yet." in html or "暂无已发布的考核结果" in html


@pytest.mark.django_db
def test_it_shows_the_latest_published_rankings_per_group(client, world, alice, unit_a, sector_b, unit_b):
    round_ = make_round("published", unit_a=unit_a, sector_b=sector_b, unit_b=unit_b)
    login(client, alice)
    ranking = cockpit(client).ranking
    assert ranking.title == "核心板块月度考核 2026-06"
    # groups in the scheme's order, short names, best first
    assert [[(r.rank, r.unit) for r in g.top] for g in ranking.groups] == [
        [(1, "北龙湖金融岛"), (2, "科技城管委会")],
        [(1, "市科技局")],
    ]
    html = client.get(reverse("cockpit")).content.decode()
    assert "96.50" in html
    url = reverse("round_detail", args=[round_.code])
    assert ranking.url == url and url in html


@pytest.mark.django_db
def test_it_shows_the_top_and_bottom_three_of_a_long_group(client, leader):
    from tuijin.org.models import Unit, UnitKind

    Scheme = apps.get_model("assessment", "Scheme")
    Round = apps.get_model("assessment", "Round")
    Result = apps.get_model("assessment", "Result")
    round_ = Round.objects.create(scheme=Scheme.objects.create(name="月度考核"), period="2026-06",
                                  state="published", computed_at=at(7, 1), published_at=at(7, 2))  # fmt: skip
    for rank in range(1, 9):
        unit = Unit.objects.create(name=f"板块{rank}", kind=UnitKind.SECTOR)
        Result.objects.create(round=round_, unit=unit, unit_name=unit.name, group="sector",
                              total=Decimal(100 - rank), grade="良好", rank=rank)  # fmt: skip
    login(client, leader)
    group = cockpit(client).ranking.groups[0]
    assert [r.rank for r in group.top] == [1, 2, 3]
    assert [r.rank for r in group.bottom] == [6, 7, 8]
