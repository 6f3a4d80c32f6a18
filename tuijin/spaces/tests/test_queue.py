"""The queue follows the policy: C/D talents (housed without scoring) first by application time, then young
talents by score, ties by application time — and each applicant is told why they stand where they stand."""

import datetime

from django.utils import timezone, translation

from tuijin.conftest import make_user
from tuijin.org.models import Role

from ..models import Application
from ..queue import queue_of, standing
from .conftest import queue_up, submit


def applicant(name):
    return make_user(name, Role.APPLICANT, None, name)


def at(minutes):
    return timezone.now() - datetime.timedelta(days=5) + datetime.timedelta(minutes=minutes)


def test_it_puts_c_and_d_before_scored_young_talents_and_breaks_ties_by_time(
    apartment_policy, manager, time_machine
):
    rows = [
        # (name, category, score items, minutes after the first application)
        ("young_early_50", "young", ["doctorate", "no_home"], 0),
        ("young_top_65", "young", ["doctorate", "no_home", "key_industry"], 10),
        ("c_late", "C", [], 30),
        ("young_late_50", "young", ["master", "key_industry", "award"], 40),  # 20 + 15 + 10 = 45
        ("d_early", "D", [], 20),
        (
            "young_tie_50",
            "young",
            ["master", "no_home", "award"],
            50,
        ),  # 20 + 20 + 10 = 50, after young_early_50
    ]
    for n, (name, category, items, minutes) in enumerate(rows, start=1):
        application = queue_up(
            submit(applicant(name), apartment_policy, category=category, n=n, items=items), manager
        )
        Application.objects.filter(pk=application.pk).update(submitted_at=at(minutes))
    order = [a.applicant.username for a in queue_of("apartment")]
    assert order == ["d_early", "c_late", "young_top_65", "young_early_50", "young_tie_50", "young_late_50"]
    scores = {a.applicant.username: a.score for a in queue_of("apartment")}
    assert scores == {"d_early": 0, "c_late": 0, "young_top_65": 65, "young_early_50": 50, "young_tie_50": 50,
                      "young_late_50": 45}  # fmt: skip


def test_it_tells_each_applicant_why_they_stand_there(apartment_policy, manager):
    young = queue_up(
        submit(applicant("y"), apartment_policy, category="young", n=1, items=["master"]), manager
    )
    c = queue_up(submit(applicant("c"), apartment_policy, category="C", n=2), manager)
    with translation.override("en"):
        mine = standing(young)
        assert (mine.position, mine.length, mine.ahead_unscored, mine.ahead_scored) == (2, 2, 1, 0)
        assert "ranked by score" in mine.reason and "Your score is 20" in mine.reason
        assert "(1 ahead of you)" in mine.reason
        theirs = standing(c)
        assert theirs.position == 1 and "housed without scoring" in theirs.reason


def test_an_application_outside_the_queue_has_no_position(ann_application):
    assert standing(ann_application) is None


def test_the_applicant_sees_position_and_reason_on_the_portal_and_the_application(client, ann_queued, ann):
    from django.urls import reverse

    from .conftest import login

    login(client, ann)
    portal = client.get(reverse("spaces_portal")).content.decode()
    assert 'data-testid="position"' in portal
    page = client.get(reverse("spaces_application", args=[ann_queued.code])).content.decode()
    assert 'data-testid="standing"' in page
