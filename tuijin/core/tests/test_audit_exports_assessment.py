"""Assessment downloads — the circular, the scores workbook and a manual score's evidence — are audited."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tuijin.assessment import services
from tuijin.assessment.models import ManualScore
from tuijin.assessment.tests.conftest import clock, english, june, scheme, unit_d, unit_e  # noqa: F401
from tuijin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_records_both_round_downloads(client, june, scheme, sup):  # noqa: F811
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    client.force_login(sup)
    assert client.get(reverse("round_circular_docx", args=[round_.code])).status_code == 200
    assert client.get(reverse("round_scores_xlsx", args=[round_.code])).status_code == 200
    formats = list(AuditEvent.objects.filter(action="assessment.round.export").order_by("seq")
                   .values_list("after__format", flat=True))  # fmt: skip
    assert formats == ["docx", "xlsx"]


def test_it_records_a_manual_score_evidence_download(client, june, scheme, sup, unit_a):  # noqa: F811
    indicator = scheme.indicators.first()
    entry = ManualScore.objects.create(
        scheme=scheme, period="2026-06", unit=unit_a, indicator=indicator, points=-1, reason="材料不实",
        entered_by=sup, evidence=ContentFile(b"%PDF-1.4\n%%EOF\n", name="e.pdf"), evidence_name="批示.pdf",
    )  # fmt: skip
    client.force_login(sup)
    assert client.get(reverse("manual_evidence", args=[entry.code])).status_code == 200
    event = AuditEvent.objects.get(action="assessment.manual_score.download")
    assert event.actor == sup and event.after == {"file": "批示.pdf"}
