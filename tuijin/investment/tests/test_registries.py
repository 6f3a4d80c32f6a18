"""Categories, venture-capital firms and funds, policies and task-measure bindings: who keeps them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.investment.models import Fund, MeasureBinding, Policy, ProjectCategory, VentureFirm


def test_it_ships_the_four_default_categories(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("tuijin.investment.migrations.0002_default_categories")
    ProjectCategory.objects.all().delete()  # as a browser test's flush leaves it; the migration fills it again
    migration.add_categories(apps, None)
    assert list(ProjectCategory.objects.values_list("name", flat=True)) == [
        "头部企业",
        "高科技企业",
        "大院名所研究机构",
        "人才创新团队",
    ]


@pytest.mark.parametrize("who", ["ivan", "sup"])
def test_it_lets_officers_and_the_supervision_office_keep_registries(request, client, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("investment_category_list"), {"name": "领军团队", "sort_order": 50,
                                                              "is_active": "on"}).status_code == 302  # fmt: skip
    assert (
        client.post(reverse("investment_firm_list"), {"name": "深创投", "is_active": "on"}).status_code == 302
    )
    firm = VentureFirm.objects.get(name="深创投")
    assert client.post(reverse("investment_fund_create", args=[firm.code]),
                       {"name": "郑州科创基金", "size_0": "20", "size_1": "yi"}).status_code == 302  # fmt: skip
    assert Fund.objects.get().size == Decimal("200000.00")
    response = client.post(reverse("investment_policy_create"), {
        "title": "人才创新团队落地资助", "document_number": "郑政办〔2021〕12号",
        "categories": [ProjectCategory.objects.get_or_create(name="人才创新团队")[0].pk], "origins": ["other_province", "abroad"],
        "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    assert Policy.objects.get().origins == ["other_province", "abroad"]
    assert AuditEvent.objects.filter(action__startswith="investment.").count() == 4


@pytest.mark.parametrize("who", ["leader", "alice"])
def test_it_lets_readers_only_read_registries(request, client, who):
    client.force_login(request.getfixturevalue(who))
    for name in ("investment_category_list", "investment_firm_list", "investment_policy_list"):
        assert client.get(reverse(name)).status_code == 200
    assert client.post(reverse("investment_category_list"), {"name": "x", "sort_order": 1}).status_code == 403
    assert client.post(reverse("investment_firm_list"), {"name": "x"}).status_code == 403
    assert client.get(reverse("investment_policy_create")).status_code == 403
    assert not VentureFirm.objects.exists()


def test_it_binds_a_task_measure_from_its_page(client, sup, task, unit_a):
    task.measure_quantity = Decimal(5)
    task.save()
    client.force_login(sup)
    detail = reverse("task_detail", args=[task.code])
    response = client.post(reverse("investment_measure_form", args=[task.code]), {
        "metric": "signed_count", "amount_unit": "yi", "year": 2021, "sector": unit_a.pk})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == detail
    assert MeasureBinding.objects.get(task=task).sector == unit_a
    assert client.post(reverse("investment_measure_unbind", args=[task.code])).status_code == 302
    assert not MeasureBinding.objects.exists()


@pytest.mark.parametrize("who", ["ivan", "alice", "leader"])
def test_it_lets_only_the_supervision_office_bind_measures(request, client, task, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("investment_measure_form", args=[task.code])).status_code in (403, 404)


def test_it_renders_the_task_measure_include(rf, sup, task, unit_a):
    from django.template.loader import render_to_string

    from tuijin.investment import services

    task.measure_quantity = Decimal(5)
    task.save()
    request = rf.get("/")
    request.user = sup
    html = render_to_string("investment/_task_measure.html", {"task": task, "user": sup}, request=request)
    assert 'data-testid="bind-measure"' in html
    services.bind_measure(actor=sup, task=task, metric="signed_count", year=2021, sector=unit_a)
    task.refresh_from_db()
    html = render_to_string("investment/_task_measure.html", {"task": task, "user": sup}, request=request)
    assert 'data-testid="auto-measure"' in html and "year=2021" in html
