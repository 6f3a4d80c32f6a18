"""The demo loader's assessment: a published round for last month over the demo plans, loaded once."""

import pytest

from tuijin.assessment.demo import SCHEME_NAME, load_demo_assessment
from tuijin.assessment.models import Round, Scheme
from tuijin.assessment.services.circular import circular_docx_bytes
from tuijin.core.demo import load_demo


@pytest.mark.django_db
def test_it_does_nothing_without_the_demo_plans():
    assert load_demo_assessment() is None
    assert not Scheme.objects.exists()


@pytest.mark.django_db
def test_it_publishes_last_months_round_for_the_demo_once():
    load_demo()
    round_ = load_demo_assessment()
    assert (round_.period, round_.state) == ("2026-06", Round.State.PUBLISHED)
    assert round_.scheme.name == SCHEME_NAME
    assert round_.results.filter(group="sector").count() >= 5
    assert round_.results.filter(group="department").exists()
    assert round_.scores.exclude(sources=[]).exists()
    assert round_.scheme.adjustments.count() == 1
    assert round_.results.values("total").distinct().count() > 3  # the demo data tell units apart
    assert load_demo_assessment() == round_
    assert Round.objects.count() == 1 and Scheme.objects.count() == 1
    assert len(circular_docx_bytes(round_)) > 10_000
