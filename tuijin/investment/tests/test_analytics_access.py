"""Who may open the analytics, import and export pages, what each sees, and query counts that do not grow."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tuijin.investment import services
from tuijin.investment.models import Stage

from .conftest import make_project, sign

D = datetime.date


def read_pages():
    return [
        reverse("investment_analytics"),
        reverse("investment_analytics_batches"),
        reverse("investment_analytics_projects") + "?figure=signed&year=2021",
        reverse("investment_import_upload"),
        reverse("investment_export_projects"),
        reverse("investment_export_enterprises"),
        reverse("investment_import_template", args=["projects"]),
    ]


@pytest.fixture
def two_sectors(ivan, vera, enterprise, unit_a, sector_b, head):
    mine = make_project(ivan, enterprise, unit_a, head, name="科技城项目")
    sign(ivan, mine, D(2021, 3, 1), "50000")
    theirs = make_project(vera, enterprise, sector_b, head, name="白沙项目")
    sign(vera, theirs, D(2021, 4, 1), "70000")
    return mine, theirs


def test_it_sends_anonymous_visitors_to_sign_in(client):
    for url in read_pages():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["sup", "leader", "ivan", "olga", "vera", "alice"])
def test_it_opens_the_pages_to_those_who_use_the_pipeline(request, client, two_sectors, who):
    client.force_login(request.getfixturevalue(who))
    for url in read_pages():
        assert client.get(url).status_code == 200, (who, url)


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin", "applicant", "bob", "charlie"])
def test_it_refuses_them_to_everyone_else(request, client, two_sectors, who):
    client.force_login(request.getfixturevalue(who))
    for url in read_pages():
        assert client.get(url).status_code == 403, (who, url)


@pytest.mark.parametrize("who", ["sup", "leader", "alice"])
def test_it_lets_only_investment_officers_import(request, client, who):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("investment_import_upload")).content.decode()
    assert 'data-testid="import-form"' not in html
    response = client.post(reverse("investment_import_upload"), {"kind": "projects"})
    assert response.status_code == 403


def test_it_counts_only_the_sectors_a_user_sees(client, two_sectors, ivan, sup, alice):
    client.force_login(ivan)
    assert client.get(reverse("investment_analytics")).context["rates"]["signed"] == 1
    client.force_login(alice)  # unit user of unit_a: reads its sector
    assert client.get(reverse("investment_analytics")).context["rates"]["signed"] == 1
    client.force_login(sup)
    assert client.get(reverse("investment_analytics")).context["rates"]["signed"] == 2


def test_it_exports_only_the_projects_a_user_sees(client, two_sectors, ivan, sup):
    client.force_login(ivan)
    book = load_workbook(io.BytesIO(client.get(reverse("investment_export_projects")).content))
    names = [row[0] for row in book["招商项目"].iter_rows(min_row=2, values_only=True)]
    assert names == ["科技城项目"]
    client.force_login(sup)
    book = load_workbook(io.BytesIO(client.get(reverse("investment_export_projects")).content))
    assert len(list(book["招商项目"].iter_rows(min_row=2))) == 2


def _grow(ivan, enterprise, unit_a, head, n, start):
    for i in range(n):
        project = make_project(ivan, enterprise, unit_a, head, name=f"项目{start + i}")
        sign(ivan, project, D(2021, 3, 1 + i % 20), "10000")
        services.move_stage(actor=ivan, project=project, to_stage=Stage.REGISTERED, date=D(2021, 5, 1),
                            registered_capital=1000)  # fmt: skip


def test_it_keeps_the_query_count_flat_as_projects_grow(client, ivan, enterprise, unit_a, head,
                                                         django_assert_max_num_queries):  # fmt: skip
    client.force_login(ivan)
    urls = [reverse("investment_analytics"), reverse("investment_analytics_batches"),
            reverse("investment_analytics_projects") + "?figure=signed&year=2021"]  # fmt: skip
    _grow(ivan, enterprise, unit_a, head, 2, 0)
    counts = []
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    _grow(ivan, enterprise, unit_a, head, 12, 2)
    for url, before in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(before):
            assert client.get(url).status_code == 200
