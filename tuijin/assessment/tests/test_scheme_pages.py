"""The supervision office sets up a scheme, computes, reviews and publishes a round, and enters manual scores
and adjustments with their reasons — all through the pages."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tuijin.assessment.models import Adjustment, Indicator, ManualScore, Round, Scheme
from tuijin.core.models import AuditEvent

from .conftest import add_indicator


def png(name="批示.png"):
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 20, 20)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_it_lets_the_office_create_a_scheme_with_bands_groups_and_plans(client, sup, plan):
    client.force_login(sup)
    response = client.post(reverse("scheme_create"), {
        "name": "部门季度考核", "method": "weighted", "base_score": "100", "period_kind": "quarter",
        "groups": ["department", "district"], "bands": "85 优秀\n70 良好\n\n0 一般", "plans": [plan.pk],
        "issuing_organ": "郑州市人民政府督查室", "number_prefix": "督考", "requirements": "抓好整改。",
        "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme = Scheme.objects.get(name="部门季度考核")
    assert scheme.grade_bands == [[85.0, "优秀"], [70.0, "良好"], [0.0, "一般"]]
    assert scheme.groups == ["department", "district"]
    assert list(scheme.plans.all()) == [plan]
    assert AuditEvent.objects.filter(action="assessment.scheme.create").exists()
    page = client.get(reverse("scheme_edit", args=[scheme.code])).content.decode()
    assert "85 优秀" in page


@pytest.mark.django_db
def test_it_explains_bad_bands(client, sup):
    client.force_login(sup)
    response = client.post(reverse("scheme_create"), {"name": "x", "method": "base100", "base_score": "100",
                                                       "period_kind": "month", "groups": ["sector"],
                                                       "bands": "优秀 90", "issuing_organ": "x",
                                                       "number_prefix": "x", "requirements": "x"})  # fmt: skip
    assert response.status_code == 200
    assert 'data-field="bands"' in response.content.decode()
    assert not Scheme.objects.exists()


@pytest.mark.django_db
def test_it_adds_and_edits_indicators_with_a_veto_threshold(client, sup, scheme):
    client.force_login(sup)
    url = reverse("indicator_create", args=[scheme.code])
    response = client.post(
        url, {"name": "节点完成率", "kind": "auto", "calculator": "", "weight": "15", "position": 3}
    )
    assert response.status_code == 200 and 'data-field="calculator"' in response.content.decode()
    response = client.post(url, {"name": "节点完成率", "kind": "auto", "calculator": "milestone_hits", "weight": "15",
                                 "position": 3, "veto": "on", "veto_threshold": "0.5",
                                 "params_text": '{"note": "半数以上"}'})  # fmt: skip
    assert response.status_code == 302
    indicator = scheme.indicators.get(name="节点完成率")
    assert indicator.veto and indicator.params == {"note": "半数以上", "veto_threshold": 0.5}
    page = client.get(reverse("indicator_edit", args=[scheme.code, indicator.code])).content.decode()
    assert "0.5" in page and "半数以上" in page
    assert "节点完成率" in client.get(reverse("scheme_detail", args=[scheme.code])).content.decode()
    client.post(reverse("indicator_delete", args=[scheme.code, indicator.code]))
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    cap = {"kind": "adjustment", "weight": "5", "position": 9}
    assert client.post(url, {**cap, "name": "加减分"}).status_code == 302
    response = client.post(url, {**cap, "name": "又一行加减分"})
    assert response.status_code == 200 and 'class="alert alert-danger"' in response.content.decode()
    assert scheme.indicators.filter(kind="adjustment").count() == 1


@pytest.mark.django_db
def test_it_computes_reviews_and_publishes_through_the_pages(client, sup, june, scheme):
    client.force_login(sup)
    bad = client.post(reverse("scheme_compute", args=[scheme.code]), {"period": "2026-6"})
    assert bad.status_code == 302 and not Round.objects.exists()
    response = client.post(reverse("scheme_compute", args=[scheme.code]), {"period": "2026-06"})
    round_ = Round.objects.get()
    assert response["Location"] == reverse("round_detail", args=[round_.code])
    client.post(reverse("round_action", args=[round_.code, "publish"]))  # not reviewed yet
    round_.refresh_from_db()
    assert round_.state == Round.State.COMPUTED
    client.post(reverse("round_action", args=[round_.code, "review"]))
    client.post(reverse("round_action", args=[round_.code, "publish"]))
    round_.refresh_from_db()
    assert round_.state == Round.State.PUBLISHED and round_.document_number == "督考〔2026〕1号"
    response = client.post(reverse("round_action", args=[round_.code, "recompute"]))
    assert Round.objects.filter(version=2).exists()
    assert client.post(reverse("round_action", args=[round_.code, "nonsense"])).status_code == 404


@pytest.mark.django_db
def test_it_takes_a_manual_score_with_its_reason_and_evidence_and_replaces_it_when_entered_again(
    client, sup, june, scheme, unit_a, alice, bob
):
    manual = add_indicator(scheme, "领导评价", kind=Indicator.Kind.MANUAL, weight=10)
    client.force_login(sup)
    url = reverse("manual_scores", args=[scheme.code])
    data = {
        "period": "2026-06",
        "unit": unit_a.pk,
        "indicator": manual.pk,
        "points": "-3",
        "reason": "材料不实",
    }
    response = client.post(url, {**data, "evidence": png()})
    assert response.status_code == 302
    response = client.post(url, {**data, "points": "-2", "reason": "材料不实，已整改"})
    entry = ManualScore.objects.get()
    assert (entry.points, entry.reason, entry.evidence_name) == (
        Decimal("-2"),
        "材料不实，已整改",
        "批示.png",
    )
    assert client.post(url, {**data, "reason": ""}).status_code == 400
    assert client.post(url, {**data, "period": "2026-Q2"}).status_code == 400
    assert client.get(reverse("manual_evidence", args=[entry.code])).status_code == 200
    client.force_login(alice)
    assert client.get(reverse("manual_evidence", args=[entry.code])).status_code == 200
    client.force_login(bob)
    assert client.get(reverse("manual_evidence", args=[entry.code])).status_code == 404


@pytest.mark.django_db
def test_it_takes_an_adjustment_with_its_reason_and_removes_it(client, sup, june, scheme, unit_d):
    client.force_login(sup)
    url = reverse("adjustments", args=[scheme.code])
    assert client.post(url, {"period": "2026-06", "unit": unit_d.pk, "kind": "bonus", "points": "0",
                             "reason": "x"}).status_code == 400  # fmt: skip
    response = client.post(url, {"period": "2026-06", "unit": unit_d.pk, "kind": "bonus", "points": "3",
                                 "reason": "获省领导肯定性批示"})  # fmt: skip
    assert response.status_code == 302
    entry = Adjustment.objects.get()
    page = client.get(url + "?period=2026-06").content.decode()
    assert "获省领导肯定性批示" in page and "3.00" in page
    client.post(reverse("entry_delete", args=[scheme.code, "adjustment", entry.code]))
    assert not Adjustment.objects.exists()
    assert AuditEvent.objects.filter(action="assessment.adjustment.delete").exists()
