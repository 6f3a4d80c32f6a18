"""The cockpit and its lists cost a fixed number of queries, however many tasks, units and photos there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.org.models import Unit, UnitKind
from tuijin.tasks import services
from tuijin.tasks.models import Task

from .conftest import TODAY, at, close

MAX_QUERIES = 22


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def grow(time_machine, plan, sup, alice, unit_a, unit_b, n):
    """n more sectors, each leading tasks in every status with a photo; more of unit_a's tasks too."""
    time_machine.move_to(at(2, 1))
    for _ in range(n):
        i = Unit.objects.count()
        sector = Unit.objects.create(name=f"扩展板块{i}管委会", kind=UnitKind.SECTOR, sort_order=10 + i)
        for limit in ("3月底前", "6月底前", "7月16日前", "年底前"):
            services.create_task(actor=sup, plan=plan, title=f"扩展任务{i}{limit}", lead_units=[sector, unit_a],
                                 supporting_units=[unit_b], limit_text=limit)  # fmt: skip
        task = services.create_task(actor=sup, plan=plan, title=f"扩展已办结{i}", lead_units=[unit_a, sector],
                                    limit_text="5月底前")  # fmt: skip
        close(time_machine, task, lead_user=alice, sup=sup, when=at(5, 20))  # with a photo for the wall
        time_machine.move_to(at(2, 1))
    time_machine.move_to(at(7, 15))
    services.refresh_status(Task.objects.select_related("plan"), today=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "alice"])
def test_it_shows_the_cockpit_with_a_fixed_number_of_queries(client, world, time_machine, plan, sup, alice,
                                                             unit_a, unit_b, who, request):  # fmt: skip
    pages = [
        reverse("cockpit"),
        reverse("cockpit_data"),
        f"{reverse('cockpit_list', args=['tasks'])}?status=overdue&unit={unit_a.pk}",
        f"{reverse('cockpit_list', args=['on_time'])}?month=6",
        reverse("cockpit_list", args=["orders"]),
    ]
    login(client, request.getfixturevalue(who))
    sizes = []
    for extra in (1, 6):  # not empty at first either: an empty list skips its prefetch
        grow(time_machine, plan, sup, alice, unit_a, unit_b, extra)
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        sizes.append(counts)
    assert sizes[0] == sizes[1]
    assert max(sizes[1]) <= MAX_QUERIES
    big = client.get(reverse("cockpit")).context["cockpit"]
    assert big.counts["total"].value > 30
