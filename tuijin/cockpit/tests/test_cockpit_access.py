"""Who may open the cockpit, and what each one sees: leaders and the office everything, units their share."""

import pytest
from django.urls import reverse

from tuijin.conftest import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def urls():
    return [reverse("cockpit"), reverse("cockpit_data"), reverse("cockpit_list", args=["tasks"])]


def counts(client, **query) -> dict:
    cockpit = client.get(reverse("cockpit"), query).context["cockpit"]
    return {key: f.value for key, f in cockpit.counts.items()}


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client):
    for url in urls():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["applicant", "rater", "auditor", "sysadmin", "secadmin"])
def test_it_refuses_roles_without_tasks(client, who, request):
    login(client, request.getfixturevalue(who))
    for url in urls():
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "sup"])
def test_it_shows_leaders_and_the_office_everything(client, world, who, request):
    login(client, request.getfixturevalue(who))
    page = client.get(reverse("cockpit"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="unit-scope"' not in html
    assert world["t3"].title in html  # on the red list
    assert counts(client)["total"] == 10


@pytest.mark.django_db
def test_it_lets_the_leader_read_but_change_nothing(client, world, leader):
    login(client, leader)
    for url in urls():
        assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_it_shows_a_unit_user_only_the_tasks_of_their_units(client, world, alice):
    login(client, alice)
    html = client.get(reverse("cockpit")).content.decode()
    assert 'data-testid="unit-scope"' in html
    mine = counts(client)
    assert mine["total"] == 5  # leads t1, t2, t7, t8; supports t5
    assert mine["overdue"] == 0
    assert world["t3"].title not in html and world["t4"].title not in html
    assert "2026年文化月筹备清单" not in html  # a plan without her tasks is not even offered
    cockpit = client.get(reverse("cockpit")).context["cockpit"]
    # rows only for the lead units of her tasks: her sector, sector_b (t7, led jointly), departments (t5)
    assert [(row.label, row.total.value) for row in cockpit.rows if not row.is_group] == [
        ("科技城管委会", 4), ("北龙湖金融岛", 1),
    ]  # fmt: skip
    assert [row.total.value for row in cockpit.rows if row.is_group] == [1]
    assert cockpit.open_orders.value == 0  # the orders of other units are theirs


@pytest.mark.django_db
def test_it_shows_a_unit_user_the_orders_addressed_to_their_unit(client, world, bob, unit_b):
    login(client, bob)
    cockpit = client.get(reverse("cockpit")).context["cockpit"]
    assert cockpit.open_orders.value == 1
    assert {key: f.value for key, f in cockpit.counts.items()}["total"] == 2  # supports t1, leads t5
    orders = client.get(reverse("cockpit_list", args=["orders"]))
    assert orders.context["page"].paginator.count == 1
    assert orders.context["page"].object_list[0].unit == unit_b


@pytest.mark.django_db
def test_it_keeps_a_crafted_drill_down_within_the_users_units(client, world, alice, sector_b):
    login(client, alice)
    response = client.get(reverse("cockpit_list", args=["tasks"]), {"unit": sector_b.pk, "year": 2026})
    assert response.context["page"].paginator.count == 1  # t7, which alice's unit leads with sector_b
    html = response.content.decode()
    assert world["t7"].title in html and world["t3"].title not in html
    response = client.get(reverse("cockpit_list", args=["tasks"]), {"status": "overdue", "year": 2026})
    assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_it_ignores_parameters_it_does_not_understand(client, world, leader):
    login(client, leader)
    assert client.get(reverse("cockpit_list", args=["nonsense"])).status_code == 404
    response = client.get(reverse("cockpit_list", args=["tasks"]), {"unit": "abc", "month": 13, "year": 2026})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 10
    assert "Some filters were not valid" in response.content.decode() or "筛选" in response.content.decode()
    assert counts(client, year="abc")["total"] == 10  # falls back to this year


@pytest.mark.django_db
def test_it_shows_another_year_or_one_plan(client, world, leader, plan):
    login(client, leader)
    assert counts(client, year=2025) == {
        "total": 1, "normal": 0, "warning": 0, "overdue": 1, "closed": 0, "open": 1, "due": 1, "on_time": 0,
    }  # fmt: skip
    assert counts(client, plan=plan.code)["total"] == 9
    cockpit = client.get(reverse("cockpit"), {"year": 2025}).context["cockpit"]
    assert cockpit.days_left is None  # the countdown is of the current year only
    assert len(cockpit.months) == 12
