"""Every number on the cockpit is a link, and the list behind it is exactly that long — for every viewer."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tuijin.conftest import PASSWORD

FIGURE = re.compile(r'<a class="tj-fig[^"]*"[^>]*data-value="(\d+)"[^>]*href="([^"]+)"')


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def figures(html: str) -> list[tuple[int, str]]:
    return [(int(value), unescape(href)) for value, href in FIGURE.findall(html)]


def list_length(client, url: str) -> int:
    """The length of the list a number drills into: its pager's count, and the rows rendered on the page."""
    response = client.get(url)
    assert response.status_code == 200, url
    count = response.context["page"].paginator.count
    html = response.content.decode()
    rows = html.count("<tr data-status=") + html.count("<tr data-order=")
    assert rows == min(count, 50), url
    return count


def assert_every_number_matches(client, url: str) -> list[tuple[int, str]]:
    html = client.get(url).content.decode()
    found = figures(html)
    assert len(found) > 20, "the cockpit should show its numbers as links"
    mismatches = [
        (value, href, length) for value, href in found if (length := list_length(client, href)) != value
    ]
    assert not mismatches, mismatches
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "sup", "alice", "bob", "charlie"])
def test_it_shows_numbers_that_equal_the_lists_they_open(client, world, who, request):
    login(client, request.getfixturevalue(who))
    found = assert_every_number_matches(client, reverse("cockpit"))
    assert all("/cockpit/list/" in href for _value, href in found)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "alice"])
def test_it_drills_into_the_task_list_itself_when_one_plan_is_shown(client, world, plan, who, request):
    login(client, request.getfixturevalue(who))
    found = assert_every_number_matches(client, f"{reverse('cockpit')}?plan={plan.code}")
    plain = [href for _value, href in found if href.startswith(reverse("task_list"))]
    assert f"{reverse('task_list')}?plan={plan.code}&status=overdue" in plain
    assert len(plain) >= 5  # total and the four statuses, in the tiles and the matrix's last row


@pytest.mark.django_db
def test_it_counts_what_the_brief_defines_for_the_leader(client, world, leader):
    login(client, leader)
    cockpit = client.get(reverse("cockpit")).context["cockpit"]
    counts = {key: f.value for key, f in cockpit.counts.items()}
    # the cast's 2026 plan has t1…t9; the event plan e1 (overdue since 04-30); the 2025 plan is another year
    assert counts["total"] == 10
    assert counts["overdue"] == 3  # t3, t4, e1
    assert counts["closed"] == 4  # t1, t2, t8, t9
    assert counts["open"] == 6
    assert counts["due"] == 6  # deadlines before 07-15: t1, t2, t3, t4, t8, e1
    assert counts["on_time"] == 2  # t1, and t8 closed at 23:30 on its deadline day (Beijing time)
    assert cockpit.on_time_rate == 33.3
    months = {m.month: (m.on_time.value, m.due.value) for m in cockpit.months}
    assert months == {1: (0, 0), 2: (0, 0), 3: (1, 2), 4: (0, 1), 5: (0, 1), 6: (1, 2), 7: (0, 0)}
    assert [(level, f.value) for level, _label, f in cockpit.orders if f.value] == [
        ("reminder", 1), ("blue", 1), ("orange", 1),
    ]  # fmt: skip
    rows = {row.label: row.total.value for row in cockpit.rows}
    # t7 is led jointly: it counts in both sectors' rows, and once in the total
    assert rows["科技城管委会"] == 4  # t1, t2, t7, t8
    assert rows["北龙湖金融岛"] == 3  # t3, t7, e1


@pytest.mark.django_db
def test_it_lists_the_red_list_oldest_first(client, world, leader):
    login(client, leader)
    page = client.get(reverse("cockpit"))
    red = [t.number for t in page.context["cockpit"].red_list]
    assert [t.deadline.isoformat() for t in page.context["cockpit"].red_list] == [
        "2026-04-30", "2026-05-31", "2026-06-30",
    ]  # fmt: skip
    assert red == ["1", "3", "4"]
    assert 'data-testid="red-list-all"' in page.content.decode()


@pytest.mark.django_db
def test_it_serves_the_same_numbers_as_json_for_the_refresh(client, world, leader):
    login(client, leader)
    data = client.get(reverse("cockpit_data")).json()
    page = client.get(reverse("cockpit")).context["cockpit"]
    assert data["counts"]["overdue"] == {"value": 3, "url": page.counts["overdue"].url}
    assert [m["rate"] for m in data["trend"]] == [None, None, 50.0, 0.0, 0.0, 50.0, None]
    for month in data["trend"]:
        assert list_length(client, month["due"]["url"]) == month["due"]["value"]
        assert list_length(client, month["on_time"]["url"]) == month["on_time"]["value"]
    for row in data["matrix"]:
        for cell in [row["total"], *row["cells"].values()]:
            assert list_length(client, cell["url"]) == cell["value"]
