"""Assessment pages show each role what it may see: the office everything, leaders everything read-only, unit
users their own scores until a round is published and then the full ranking; nobody else anything."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.assessment import services
from tuijin.assessment.models import Round
from tuijin.conftest import PASSWORD, make_user
from tuijin.org.models import Role, Unit, UnitKind

from .conftest import make_task, make_warning


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def computed(june, scheme, sup):
    return services.compute_round(actor=sup, scheme=scheme, period="2026-06")


@pytest.fixture
def published(computed, sup):
    services.review_round(actor=sup, round=computed)
    return services.publish_round(actor=sup, round=computed)


def urls(round_, unit):
    return [
        reverse("assessment_home"), reverse("scheme_detail", args=[round_.scheme.code]),
        reverse("round_detail", args=[round_.code]), reverse("score_detail", args=[round_.code, unit.code]),
        reverse("round_circular_docx", args=[round_.code]), reverse("round_scores_xlsx", args=[round_.code]),
        reverse("manual_scores", args=[round_.scheme.code]), reverse("adjustments", args=[round_.scheme.code]),
    ]  # fmt: skip


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, computed, unit_a):
    for url in urls(computed, unit_a):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin"])
def test_it_shows_nothing_to_the_three_administrators(client, published, unit_a, who, request):
    login(client, request.getfixturevalue(who))
    for url in urls(published, unit_a):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader"])
def test_it_shows_the_whole_unpublished_ranking_to_the_office_and_leaders(
    client, computed, unit_b, who, request
):
    login(client, request.getfixturevalue(who))
    page = client.get(reverse("round_detail", args=[computed.code])).content.decode()
    for name in ("中原科技城管委会", "白沙科学谷管委会", "市科技局", "市商务局", "市工信局"):
        assert name in page
    assert 'data-testid="ranking-sector"' in page and 'data-testid="ranking-department"' in page
    assert client.get(reverse("score_detail", args=[computed.code, unit_b.code])).status_code == 200
    assert client.get(reverse("round_circular_docx", args=[computed.code])).status_code == 200
    xlsx = client.get(reverse("round_scores_xlsx", args=[computed.code]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ('data-testid="review"' in page) == (who == "sup")


@pytest.mark.django_db
def test_it_lets_the_leader_read_but_not_act(client, computed, leader, unit_a):
    login(client, leader)
    scheme = computed.scheme
    for url in (reverse("round_action", args=[computed.code, "review"]), reverse("scheme_compute", args=[scheme.code]),
                reverse("manual_scores", args=[scheme.code]), reverse("adjustments", args=[scheme.code])):  # fmt: skip
        assert client.post(url, {"period": "2026-06", "unit": unit_a.pk, "kind": "bonus", "points": "1",
                                 "reason": "x"}).status_code == 403, url  # fmt: skip
    for url in (reverse("scheme_edit", args=[scheme.code]), reverse("scheme_create"),
                reverse("indicator_create", args=[scheme.code])):  # fmt: skip
        assert client.get(url).status_code == 403
    computed.refresh_from_db()
    assert computed.state == Round.State.COMPUTED
    assert Round.objects.count() == 1


@pytest.mark.django_db
def test_it_shows_a_unit_only_its_own_scores_before_publication(client, computed, alice, unit_a, unit_b):
    login(client, alice)
    page = client.get(reverse("round_detail", args=[computed.code])).content.decode()
    assert "中原科技城管委会" in page and 'data-testid="own-only"' in page
    for other in ("白沙科学谷管委会", "市科技局", "市商务局", "市工信局"):
        assert other not in page
    assert "<th>Rank</th>" not in page and "排名</th>" not in page
    assert client.get(reverse("score_detail", args=[computed.code, unit_a.code])).status_code == 200
    assert client.get(reverse("score_detail", args=[computed.code, unit_b.code])).status_code == 404
    assert client.get(reverse("round_circular_docx", args=[computed.code])).status_code == 404
    assert client.get(reverse("round_scores_xlsx", args=[computed.code])).status_code == 404
    assert client.post(reverse("round_action", args=[computed.code, "review"])).status_code == 403


@pytest.mark.django_db
def test_it_hides_an_unpublished_round_from_a_unit_not_in_it(client, computed):
    dave = make_user("dave", Role.UNIT, Unit.objects.create(name="市文旅局", kind=UnitKind.DEPARTMENT))
    login(client, dave)
    assert client.get(reverse("round_detail", args=[computed.code])).status_code == 404
    assert computed.period not in client.get(reverse("assessment_home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_it_shows_units_the_full_published_ranking_but_only_their_own_score_sheet(client, published, who, request,
                                                                                  unit_a):  # fmt: skip
    user = request.getfixturevalue(who)
    login(client, user)
    page = client.get(reverse("round_detail", args=[published.code])).content.decode()
    for name in ("中原科技城管委会", "白沙科学谷管委会", "市科技局", "市商务局", "市工信局"):
        assert name in page
    assert published.document_number in page
    own = Unit.objects.get(pk=next(iter(user.unit_ids())))
    assert client.get(reverse("score_detail", args=[published.code, own.code])).status_code == 200
    expected = 200 if own == unit_a else 404
    assert client.get(reverse("score_detail", args=[published.code, unit_a.code])).status_code == expected
    assert client.get(reverse("round_circular_docx", args=[published.code])).status_code == 200
    assert published.period in client.get(reverse("assessment_home")).content.decode()


@pytest.mark.django_db
def test_it_lists_only_the_units_own_entries(client, computed, sup, alice, unit_a, unit_d):
    from decimal import Decimal

    for unit, reason in ((unit_a, "科技城加分"), (unit_d, "科学谷加分")):
        services.add_adjustment(actor=sup, scheme=computed.scheme, period="2026-06", unit=unit, kind="bonus",
                                points=Decimal(1), reason=reason)  # fmt: skip
    login(client, alice)
    page = client.get(
        reverse("adjustments", args=[computed.scheme.code]) + "?period=2026-06"
    ).content.decode()
    assert "科技城加分" in page and "科学谷加分" not in page
    assert 'data-testid="save-entry"' not in page


def _more_units(plan, n):
    for i in range(n):
        unit = Unit.objects.create(name=f"测试板块{Unit.objects.count()}", kind=UnitKind.SECTOR)
        task = make_task(plan, unit, deadline=datetime.date(2026, 6, 20), number=str(i))
        make_warning(task)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader", "alice"])
def test_it_shows_rankings_and_lists_with_a_fixed_number_of_queries(
    client, june, plan, scheme, sup, who, request
):
    login(client, request.getfixturevalue(who))
    counts = []
    for extra in (0, 25):
        _more_units(plan, extra)
        round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
        services.compute_round(actor=sup, scheme=scheme, period="2026-05")
        pages = [reverse("assessment_home"), reverse("scheme_detail", args=[scheme.code]),
                 reverse("round_detail", args=[round_.code]),
                 reverse("score_detail", args=[round_.code, request.getfixturevalue("unit_a").code])]  # fmt: skip
        row = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            row.append(len(queries))
        counts.append(row)
    assert counts[0] == counts[1]
