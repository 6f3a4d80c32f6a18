"""Order pages show and change only what each role may: unit users their units' orders, leaders read only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.supervision import orders
from tuijin.supervision.models import Order
from tuijin.tasks.services import create_task

from .test_orders_support import issue, login


@pytest.fixture
def order(sup, task):
    return issue(sup, task)


@pytest.fixture
def other_order(sup, plan, unit_c):
    """An order to charlie's unit on a task alice has nothing to do with."""
    other = create_task(actor=sup, plan=plan, number="9", title="引进头部企业5家", lead_units=[unit_c],
                        limit_text="年底前")  # fmt: skip
    return issue(sup, other)


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, order):
    for url in (reverse("order_list"), reverse("order_detail", args=[order.code]),
                reverse("order_docx", args=[order.code]), reverse("order_issue", args=[order.task.code])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader"])
def test_it_shows_every_order_to_the_office_and_leaders(client, order, other_order, who, request):
    login(client, request.getfixturevalue(who))
    page = client.get(reverse("order_list")).content.decode()
    assert "督办〔2026〕1号" in page and "督办〔2026〕2号" in page
    assert client.get(reverse("order_detail", args=[other_order.code])).status_code == 200


@pytest.mark.django_db
def test_it_shows_a_unit_user_only_the_orders_to_their_unit(client, order, other_order, alice):
    login(client, alice)
    page = client.get(reverse("order_list")).content.decode()
    assert "督办〔2026〕1号" in page and "督办〔2026〕2号" not in page
    assert client.get(reverse("order_detail", args=[order.code])).status_code == 200
    assert client.get(reverse("order_detail", args=[other_order.code])).status_code == 404
    assert client.get(reverse("order_docx", args=[other_order.code])).status_code == 404
    response = client.post(reverse("order_action", args=[other_order.code, "respond"]), {"response": "x"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_it_hides_the_order_from_a_supporting_unit(client, order, bob):
    login(client, bob)
    assert "督办〔2026〕1号" not in client.get(reverse("order_list")).content.decode()
    assert client.get(reverse("order_detail", args=[order.code])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin"])
def test_it_refuses_the_order_pages_to_other_roles(client, order, who, request):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("order_list")).status_code == 403
    assert client.get(reverse("order_detail", args=[order.code])).status_code == 403
    assert client.get(reverse("order_docx", args=[order.code])).status_code == 403


@pytest.mark.django_db
def test_it_lets_the_leader_read_but_not_act(client, order, leader):
    login(client, leader)
    page = client.get(reverse("order_detail", args=[order.code])).content.decode()
    for testid in ("respond", "accept", "escalate"):
        assert f'data-testid="{testid}"' not in page
    for action in ("accept", "escalate", "respond"):
        assert (
            client.post(reverse("order_action", args=[order.code, action]), {"response": "x"}).status_code
            == 403
        )
    assert client.get(reverse("order_issue", args=[order.task.code])).status_code == 403
    order.refresh_from_db()
    assert order.state == Order.State.ISSUED


@pytest.mark.django_db
def test_it_lets_the_unit_respond_on_the_page(client, order, alice):
    login(client, alice)
    page = client.get(reverse("order_detail", args=[order.code])).content.decode()
    assert 'data-testid="respond"' in page and 'data-testid="accept"' not in page
    assert (
        client.post(reverse("order_action", args=[order.code, "respond"]), {"response": ""}).status_code
        == 400
    )
    response = client.post(
        reverse("order_action", args=[order.code, "respond"]), {"response": "已按要求整改"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.state, order.response) == (Order.State.RESPONDED, "已按要求整改")


@pytest.mark.django_db
def test_it_lets_the_supervisor_escalate_and_shows_the_chain(client, order, sup):
    login(client, sup)
    response = client.post(reverse("order_action", args=[order.code, "escalate"]), {"requirement": ""})
    orange = Order.objects.get(previous=order)
    assert response["Location"] == reverse("order_detail", args=[orange.code])
    chain = client.get(response["Location"]).content.decode().split('data-testid="chain"')[1]
    assert chain.index("督办〔2026〕1号") < chain.index("督办〔2026〕2号")
    assert reverse("order_detail", args=[order.code]) in chain
    response = client.post(reverse("order_action", args=[orange.code, "accept"]), {"note": "已整改到位"})
    orange.refresh_from_db()
    assert orange.state == Order.State.ACCEPTED


@pytest.mark.django_db
def test_it_issues_an_order_from_the_task_page(client, task, sup):
    login(client, sup)
    page = client.get(reverse("task_detail", args=[task.code])).content.decode()
    assert reverse("order_issue", args=[task.code]) in page
    form = client.get(reverse("order_issue", args=[task.code]))
    assert form.status_code == 200
    response = client.post(reverse("order_issue", args=[task.code]),
                           {"level": "blue", "requirement": "5个工作日内报送进展", "response_workdays": ""})  # fmt: skip
    order = Order.objects.get()
    assert response["Location"] == reverse("order_detail", args=[order.code])
    assert order.document_number in client.get(reverse("task_detail", args=[task.code])).content.decode()


@pytest.mark.django_db
def test_it_explains_why_an_order_cannot_be_issued(client, task, sup):
    login(client, sup)
    response = client.post(
        reverse("order_issue", args=[task.code]), {"level": "red", "requirement": "立即整改"}
    )
    assert response.status_code == 400
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_it_shows_a_unit_user_the_task_orders_without_the_issue_button(client, order, alice):
    login(client, alice)
    page = client.get(reverse("task_detail", args=[order.task.code])).content.decode()
    assert "督办〔2026〕1号" in page and 'data-testid="issue-order"' not in page


@pytest.mark.django_db
def test_it_filters_orders_by_level_state_unit_and_plan(client, order, other_order, sup, unit_c):
    login(client, sup)
    orders.escalate_order(actor=sup, order=order)
    url = reverse("order_list")
    assert "督办〔2026〕3号" in client.get(url, {"level": "orange"}).content.decode()
    assert "督办〔2026〕2号" not in client.get(url, {"level": "orange"}).content.decode()
    by_state = client.get(url, {"state": "escalated"}).content.decode()
    assert "督办〔2026〕1号" in by_state and "督办〔2026〕2号" not in by_state
    by_unit = client.get(url, {"unit": unit_c.pk}, headers={"HX-Request": "true"}).content.decode()
    assert "督办〔2026〕2号" in by_unit and "督办〔2026〕1号" not in by_unit and "<html" not in by_unit
    assert "督办〔2026〕1号" in client.get(url, {"plan": order.task.plan.code}).content.decode()


def _many_orders(plan, sup, units, n):
    for i in range(n):
        task = create_task(actor=sup, plan=plan, number=f"{100 + i}", title=f"任务{i}", lead_units=[units[i % 2]],
                           limit_text="年底前")  # fmt: skip
        issue(sup, task)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "alice", "leader"])
def test_it_lists_orders_with_a_fixed_number_of_queries(client, plan, sup, unit_a, unit_c, who, request):
    login(client, request.getfixturevalue(who))
    url = reverse("order_list")
    _many_orders(plan, sup, [unit_a, unit_c], 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _many_orders(plan, sup, [unit_a, unit_c], 30)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
