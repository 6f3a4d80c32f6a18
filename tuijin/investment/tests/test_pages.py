"""The pipeline pages for every role: who sees what, who may change it, and what the pages show."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.investment import services
from tuijin.investment.models import FollowUp, Policy, Project, Stage

from .conftest import make_project, sign

D = datetime.date


def login(client, user):
    client.force_login(user)
    return client


def pages(project):
    e = project.enterprise
    return [
        reverse("investment_board"),
        reverse("investment_project_list"),
        reverse("investment_project_detail", args=[project.code]),
        reverse("investment_enterprise_list"),
        reverse("investment_enterprise_detail", args=[e.code]),
        reverse("investment_policy_list"),
        reverse("investment_firm_list"),
        reverse("investment_category_list"),
    ]


def edit_pages(project):
    return [
        reverse("investment_project_edit", args=[project.code]),
        reverse("investment_project_move", args=[project.code]) + "?to=negotiating",
        reverse("investment_project_follow_up", args=[project.code]),
    ]


def test_it_sends_anonymous_visitors_to_sign_in(client, project):
    for url in pages(project) + edit_pages(project):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["sup", "leader", "ivan", "olga", "alice"])
def test_it_shows_every_page_to_those_who_see_the_project(request, client, project, who):
    login(client, request.getfixturevalue(who))
    for url in pages(project):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin", "applicant", "bob", "charlie"])
def test_it_refuses_the_pipeline_to_everyone_else(request, client, project, who):
    login(client, request.getfixturevalue(who))
    for url in pages(project) + edit_pages(project):
        assert client.get(url).status_code in (403, 404), (who, url)


def test_it_hides_another_sectors_project_from_its_officers_and_unit_users(client, project, vera, sector_b):
    login(client, vera)
    assert client.get(reverse("investment_project_detail", args=[project.code])).status_code == 404
    board = client.get(reverse("investment_board"))
    assert project.name not in board.content.decode()


@pytest.mark.parametrize("who", ["sup", "leader", "alice"])
def test_it_lets_readers_read_but_not_change(request, client, project, who):
    login(client, request.getfixturevalue(who))
    for url in edit_pages(project):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("investment_project_move", args=[project.code]),
                           {"to": "negotiating", "date": "2021-03-01"})  # fmt: skip
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == Stage.LEAD
    detail = client.get(reverse("investment_project_detail", args=[project.code])).content.decode()
    assert 'data-testid="advance"' not in detail


def test_it_moves_a_card_to_signed_with_the_stage_form(client, ivan, project):
    login(client, ivan)
    url = reverse("investment_project_move", args=[project.code])
    form = client.get(url + "?to=signed", HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    html = form.content.decode()
    assert (
        'name="agreement_type"' in html and 'name="contract_amount_0"' in html and 'name="reason"' not in html
    )
    # missing fields: the form comes back with the errors, nothing moves
    response = client.post(url, {"to": "signed", "date": "2021-03-01"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-field="agreement_type"' in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.LEAD
    response = client.post(url, {"to": "signed", "date": "2021-03-01", "agreement_type": "framework",
                                 "contract_amount_0": "12.5", "contract_amount_1": "yi",
                                 "next": reverse("investment_board")}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("investment_board")
    project.refresh_from_db()
    assert (project.stage, project.contract_amount, project.first_signed_on) == (
        Stage.SIGNED, Decimal("125000.00"), D(2021, 3, 1))  # fmt: skip


def test_it_asks_a_reason_to_move_back_on_the_page(client, ivan, project):
    sign(ivan, project, D(2021, 3, 1), "50000")
    login(client, ivan)
    url = reverse("investment_project_move", args=[project.code])
    response = client.post(url, {"to": "negotiating", "date": "2021-04-01"})
    assert response.status_code == 400 and 'data-field="reason"' in response.content.decode()
    response = client.post(url, {"to": "negotiating", "date": "2021-04-01", "reason": "协议需重谈"})
    assert response.status_code == 302


def test_it_refuses_to_register_with_an_invalid_code_on_the_page(client, ivan, olga, project):
    sign(ivan, project, D(2021, 3, 1), "50000")
    project.enterprise.credit_code = ""
    project.enterprise.save()
    login(client, ivan)
    response = client.post(reverse("investment_project_move", args=[project.code]), {
        "to": "registered", "date": "2021-04-01", "registered_capital_0": "5000", "registered_capital_1": "wan"})  # fmt: skip
    assert response.status_code == 400
    assert "credit code" in response.content.decode() or "信用代码" in response.content.decode()


def test_it_shows_the_board_with_counted_totals_and_the_rules(
    client, ivan, project, enterprise, unit_a, head
):
    sign(ivan, project, D(2021, 3, 1), "50000")
    services.sign_again(actor=ivan, project=project, agreement_type="formal", date=D(2021, 4, 1),
                        amount=Decimal("80000"))  # fmt: skip
    make_project(ivan, enterprise, unit_a, head, name="第二个项目")
    login(client, ivan)
    html = client.get(reverse("investment_board")).content.decode()
    assert 'data-testid="counting-rules"' in html
    assert "8.00亿元" in html  # counted once, at the latest contract amount
    assert html.count('data-testid="card"') == 2


def test_it_warns_of_overdue_next_steps(client, ivan, project):
    services.add_follow_up(actor=ivan, project=project, date=D(2021, 11, 1), method=FollowUp.Method.VISIT,
                           content="拜访企业总部", next_step="报送选址方案", next_step_due=D(2021, 11, 20))  # fmt: skip
    login(client, ivan)
    detail = client.get(reverse("investment_project_detail", args=[project.code])).content.decode()
    assert 'data-testid="overdue"' in detail and "报送选址方案" in detail
    board = client.get(reverse("investment_board")).content.decode()
    assert 'data-testid="overdue"' in board
    listed = client.get(reverse("investment_project_list") + "?overdue=on").content.decode()
    assert project.name in listed
    # a later follow-up with a new next step clears it
    services.add_follow_up(actor=ivan, project=project, date=D(2021, 11, 25), method=FollowUp.Method.PHONE,
                           content="企业已提交方案", next_step="组织评审", next_step_due=D(2021, 12, 10))  # fmt: skip
    detail = client.get(reverse("investment_project_detail", args=[project.code])).content.decode()
    assert 'data-testid="overdue"' not in detail


def test_it_shows_the_timeline_of_stages_follow_ups_and_edits(client, ivan, project):
    sign(ivan, project, D(2021, 3, 1), "50000")
    services.add_follow_up(
        actor=ivan, project=project, date=D(2021, 3, 5), method="visit", content="签约后回访"
    )
    services.update_project(actor=ivan, project=project, responsible_leader="周副市长")
    login(client, ivan)
    html = client.get(reverse("investment_project_detail", args=[project.code])).content.decode()
    assert html.count('data-kind="stage"') == 2
    assert html.count('data-kind="follow_up"') == 1
    assert html.count('data-kind="event"') == 2  # created, edited
    assert "签约后回访" in html


def test_it_lists_the_policies_a_project_qualifies_for(client, ivan, sup, project, head, hightech):
    services.save_policy(actor=sup, title="头部企业落户奖励", document_number="郑政〔2021〕5号", categories=[head],
                         min_investment=Decimal("50000"), origins=["other_province"])  # fmt: skip
    services.save_policy(actor=sup, title="高新技术企业扶持", categories=[hightech])
    services.save_policy(actor=sup, title="十亿元以上项目", min_investment=Decimal("200000"))
    login(client, ivan)
    html = client.get(reverse("investment_project_detail", args=[project.code])).content.decode()
    assert "头部企业落户奖励" in html  # planned 10亿 ≥ 5亿, head enterprise, from another province
    assert "高新技术企业扶持" not in html and "十亿元以上项目" not in html
    assert Policy.objects.count() == 3


def test_it_creates_a_project_with_money_in_yi(client, ivan, enterprise, unit_a, head):
    login(client, ivan)
    response = client.post(reverse("investment_project_create"), {
        "name": "中原算力中心", "enterprise": enterprise.pk, "sector": unit_a.pk, "category": head.pk,
        "channel": "directed", "kind": "new", "stage": "lead", "stage_since": "2021-11-01",
        "planned_investment_0": "3.5", "planned_investment_1": "yi", "officer": ivan.pk,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(name="中原算力中心")
    assert project.planned_investment == Decimal("35000.00")


def test_it_refuses_a_project_in_a_sector_not_the_officers(client, ivan, enterprise, sector_b, head):
    login(client, ivan)
    response = client.post(reverse("investment_project_create"), {
        "name": "x", "enterprise": enterprise.pk, "sector": sector_b.pk, "category": head.pk,
        "channel": "directed", "kind": "new", "stage": "lead", "stage_since": "2021-11-01"})  # fmt: skip
    assert response.status_code == 400
    assert not Project.objects.filter(name="x").exists()


def test_it_keeps_list_queries_flat(client, ivan, enterprise, unit_a, head, django_assert_max_num_queries):
    for i in range(3):
        sign(ivan, make_project(ivan, enterprise, unit_a, head, name=f"项目{i}"), D(2021, 3, 1), "1000")
    login(client, ivan)
    client.get(reverse("investment_project_list"))  # warm up session and policy caches
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("investment_project_list"))
    for i in range(3, 15):
        sign(ivan, make_project(ivan, enterprise, unit_a, head, name=f"项目{i}"), D(2021, 3, 1), "1000")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("investment_project_list"))
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        client.get(reverse("investment_board"))


def test_it_is_usable_with_a_password_login(client, ivan):
    assert client.login(username="ivan", password=PASSWORD)
    assert client.get(reverse("investment_board")).status_code == 200


def test_it_opens_every_form_for_the_sectors_officer(client, ivan, project, enterprise, task):
    sign(ivan, project, D(2021, 3, 1), "50000")
    client.force_login(ivan)
    for url in [
        reverse("investment_project_create") + f"?enterprise={enterprise.code}",
        reverse("investment_project_edit", args=[project.code]),
        reverse("investment_project_move", args=[project.code]),  # the next stage by default
        reverse("investment_project_move", args=[project.code]) + "?to=dropped",
        reverse("investment_project_sign_again", args=[project.code]),
        reverse("investment_project_follow_up", args=[project.code]),
        reverse("investment_enterprise_create"),
        reverse("investment_enterprise_edit", args=[enterprise.code]),
        reverse("investment_contact_create", args=[enterprise.code]),
        reverse("investment_policy_create"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(
        reverse("investment_project_create") + f"?enterprise={enterprise.code}"
    ).content.decode()
    assert f'<option value="{enterprise.pk}" selected>' in html
    assert (
        client.get(reverse("investment_project_move", args=[project.code]) + "?to=signed").status_code == 400
    )


def test_it_ignores_a_malformed_enterprise_in_the_new_project_link(client, ivan):
    client.force_login(ivan)
    assert client.get(reverse("investment_project_create") + "?enterprise=not-a-code").status_code == 200


def test_it_tells_the_navigation_who_uses_the_pipeline(sup, leader, ivan, alice, bob, auditor, applicant):
    from tuijin.investment.templatetags.investment import can_use_pipeline

    assert [can_use_pipeline(u) for u in (sup, leader, ivan, alice)] == [True] * 4
    assert [can_use_pipeline(u) for u in (bob, auditor, applicant)] == [False] * 3
