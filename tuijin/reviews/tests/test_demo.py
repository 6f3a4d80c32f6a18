"""The demo: last year's round published with realistic tallies, this year's open for the demo rater."""

import pytest
from django.test import override_settings

from tuijin.core import demo
from tuijin.org.models import User
from tuijin.reviews.demo import load_demo_reviews
from tuijin.reviews.models import Review
from tuijin.reviews.scoring import Validity, compute_results
from tuijin.reviews.voting import rater_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db):
    with override_settings(DEMO_MODE=True):
        demo.load_demo()
    load_demo_reviews()  # once the demo loader calls it itself, this changes nothing


def test_it_loads_a_published_and_an_open_round(demo_world):
    published = Review.objects.get(status=Review.Status.PUBLISHED, is_illustrative=True)
    results = compute_results(published)
    assert len(results.subjects) == 8
    assert all(t.status == Validity.OK for t in results.groups)
    assert [r.rank for r in results.subjects][0] == 1
    assert {r.grade for r in results.subjects} <= {"好", "较好", "一般", "差"}
    assert results.returned == 9 + 8 + 38 + 18
    opened = Review.objects.get(status=Review.Status.OPEN, is_illustrative=True)
    rater = User.objects.get(username="rater")
    assert rater_group(rater, opened).name == "党员代表"
    assert load_demo_reviews() is False
