"""The task list and the plan list: shape, pages, filters, scope, and a query count that does not grow."""

import datetime

import pytest

from tuijin.org.models import ApiToken
from tuijin.tasks import services
from tuijin.tasks.models import Plan

from .test_api_support import Api


@pytest.fixture(autouse=True)
def early_march(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC))


def make_tasks(n, *, plan, sup, lead, support=(), start=1):
    return [
        services.create_task(
            actor=sup,
            plan=plan,
            number=str(i),
            title=f"第{i}项任务",
            lead_units=[lead],
            supporting_units=list(support),
            limit_text="6月底前",
        )  # fmt: skip
        for i in range(start, start + n)
    ]


def test_it_lists_tasks_as_items_and_a_count(client, alice, task):
    body = Api(client, alice).get("/tasks").json()
    assert body == {
        "count": 1,
        "items": [
            {
                "id": str(task.code),
                "number": "1",
                "title": "建成中原科技城创新孵化基地",
                "plan": "2026年中原科技城建设重点任务清单",
                "lead_units": ["中原科技城管委会"],
                "supporting_units": ["市科技局"],
                "deadline": "2026-12-31",
                "limit_text": "年底前",
                "state": "assigned",
                "status": task.status,
                "progress": 0,
            }
        ],
    }


def test_it_pages_through_the_list(client, alice, plan, sup, unit_a):
    make_tasks(7, plan=plan, sup=sup, lead=unit_a)
    api = Api(client, alice)
    first = api.get("/tasks", page_size=5).json()
    second = api.get("/tasks", page_size=5, page=2).json()
    assert (first["count"], len(first["items"]), len(second["items"])) == (7, 5, 2)
    assert [i["number"] for i in first["items"] + second["items"]] == [str(n) for n in range(1, 8)]


@pytest.mark.parametrize("n", [3, 30])
def test_it_lists_tasks_in_the_same_number_of_queries_however_many(
    client, alice, plan, sup, unit_a, unit_b, n, django_assert_num_queries
):
    make_tasks(n, plan=plan, sup=sup, lead=unit_a, support=[unit_b])
    token, key = ApiToken.issue(alice)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=datetime.datetime.now(datetime.UTC))
    api = Api(client, key=key)
    api.get("/plans")  # opens this minute's rate window (security/ratelimit.py): later requests count in one UPDATE
    # rate count, token, memberships, count, page of tasks with their plans, their units
    with django_assert_num_queries(6):
        body = api.get("/tasks").json()
    assert body["count"] == len(body["items"]) == n


def test_it_filters_by_plan_status_state_unit_and_words(client, alice, sup, unit_c, task):
    festival = Plan.objects.create(name="2026年黄河文化月筹备清单", year=2026, kind=Plan.Kind.EVENT)
    ceremony = services.create_task(
        actor=sup, plan=festival, number="1", title="筹备拜祖大典", target="安保方案", lead_units=[unit_c]
    )
    services.acknowledge(actor=alice, task=task)
    api = Api(client, sup)

    def titles(**filters):
        return [item["title"] for item in api.get("/tasks", **filters).json()["items"]]

    assert titles(plan=str(festival.code)) == ["筹备拜祖大典"]
    assert titles(unit="市科技局") == ["建成中原科技城创新孵化基地"]
    assert titles(unit="科技城管委会") == ["建成中原科技城创新孵化基地"], "short names count"
    assert titles(unit="市商务局", plan=str(task.plan.code)) == []
    assert titles(q="安保") == ["筹备拜祖大典"], "the target is searched"
    assert titles(q="孵化") == ["建成中原科技城创新孵化基地"]
    assert titles(state="assigned") == ["筹备拜祖大典"]
    assert titles(state="in_progress", status=task.status) == ["建成中原科技城创新孵化基地"]
    assert titles(status=ceremony.status, state="closed") == []


def test_it_lists_tasks_changed_since_a_moment(client, alice, sup, plan, unit_a, task, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 12, 10, 0, tzinfo=datetime.UTC), tick=False)
    services.acknowledge(actor=alice, task=task)
    make_tasks(2, plan=plan, sup=sup, lead=unit_a, start=2)
    api = Api(client, alice)
    assert api.get("/tasks", updated_since="2026-03-11T00:00:00+00:00").json()["count"] == 3
    assert api.get("/tasks", updated_since="2026-03-13T00:00:00+00:00").json()["count"] == 0
    # Without an offset, the moment is read in the server's time zone (Asia/Shanghai, UTC+8).
    assert api.get("/tasks", updated_since="2026-03-12T18:00:00").json()["count"] == 3
    assert api.get("/tasks", updated_since="2026-03-12T18:00:01").json()["count"] == 0


def test_it_lists_plans_with_visible_tasks_counted_by_status(client, alice, charlie, sup, plan, task):
    Plan.objects.create(name="2026年黄河文化月筹备清单", year=2026, kind=Plan.Kind.EVENT)
    [mine] = Api(client, alice).get("/plans").json()
    assert mine["id"] == str(plan.code)
    assert (mine["name"], mine["year"], mine["kind"], mine["cadence"]) == (
        plan.name,
        2026,
        "annual",
        "monthly",
    )
    assert mine["counts"]["total"] == 1
    assert sum(mine["counts"][s] for s in ("normal", "warning", "overdue", "closed")) == 1
    assert Api(client, charlie).get("/plans").json() == []
    assert [p["counts"]["total"] for p in Api(client, sup).get("/plans").json()] == [1, 0]


@pytest.mark.parametrize("n", [1, 10])
def test_it_lists_plans_in_one_query_however_many(client, sup, n, django_assert_num_queries):
    for i in range(n):
        Plan.objects.create(name=f"2026年第{i}号清单", year=2026)
    token, key = ApiToken.issue(sup)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=datetime.datetime.now(datetime.UTC))
    api = Api(client, key=key)
    api.get("/plans")  # opens this minute's rate window
    # rate count, token, memberships, plans with their counts
    with django_assert_num_queries(4):
        assert len(api.get("/plans").json()) == n


def test_it_refuses_a_page_number_no_database_could_skip_to(client, alice, task):
    """Found by schemathesis: a 25-digit page number overflowed the SQL OFFSET and answered 500."""
    response = Api(client, alice).get("/tasks", page=4941760920461832727035904)
    assert response.status_code == 422
    assert Api(client, alice).get("/tasks", page=1_000_000).json()["items"] == []
