"""Overdue requests reach the supervision office's warning board beside the tasks' warnings, scoped like the list."""

import pytest
from django.urls import reverse

from .conftest import at


@pytest.fixture(autouse=True)
def mid_october(time_machine):
    time_machine.move_to(at(2021, 10, 20, 10, 0))


def test_it_counts_overdue_requests_on_the_warning_board_for_those_who_may_see_them(client, raise_for, sup, alice,
                                                                                      bob):  # fmt: skip
    raise_for(at(2021, 9, 30, 10, 0), title="逾期未办")  # routed to unit_a (alice); due 10-13
    raise_for(at(2021, 10, 20, 9, 0), title="刚提出")  # not due yet
    for user, expected in ((sup, 1), (alice, 1), (bob, 0)):
        client.force_login(user)
        response = client.get(reverse("warning_board"))
        assert response.status_code == 200
        assert response.context["overdue_requests"] == expected, user
        link = f"{reverse('servicedesk_list')}?overdue=on"
        assert (link in response.content.decode()) == bool(expected), user
