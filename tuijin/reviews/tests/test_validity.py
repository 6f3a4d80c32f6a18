"""Quorum and validity: a group short of its quorum or with more ballots returned than issued is left out and
shown with the reason; more votes for an organisation than ballots returned voids that cell; the remaining
weights are scaled back up to the full weight."""

from decimal import Decimal

import pytest

from tuijin.reviews import services
from tuijin.reviews.models import Option, Subject
from tuijin.reviews.scoring import Validity, compute_results, returned_counts
from tuijin.reviews.voting import Ballot, cast_ballot

from .conftest import group

pytestmark = pytest.mark.django_db


def all_good(review) -> Ballot:
    good = Option.objects.get(review=review, label="好")
    return Ballot({s.pk: good.pk for s in Subject.objects.filter(review=review)})


def paper(review, sup, name, issued, returned, rows):
    """rows: [(好, 较好, 一般, 差) per subject in order]."""
    subjects = list(Subject.objects.filter(review=review))
    options = list(Option.objects.filter(review=review))
    counts = {
        (s.pk, o.pk): n
        for s, row in zip(subjects, rows, strict=True)
        for o, n in zip(options, row, strict=True)
    }
    services.enter_paper_counts(
        actor=sup, group=group(review, name), issued=issued, returned=returned, counts=counts
    )


@pytest.fixture
def papered(review, sup):
    """领导班子成员 electronic (rita, who votes 好 for both), the three others on paper."""
    for name in ("党组织书记", "党员代表", "群众代表"):
        services.set_raters(actor=sup, group=group(review, name), users=[])
        services.set_counting(actor=sup, group=group(review, name), counting="paper")
    services.open_review(actor=sup, review=review)
    return review


def test_it_leaves_out_a_group_with_more_ballots_returned_than_issued(papered, sup, rita):
    cast_ballot(actor=rita, review=papered, ballot=all_good(papered))
    paper(papered, sup, "党组织书记", 10, 10, [(10, 0, 0, 0), (0, 10, 0, 0)])
    paper(papered, sup, "党员代表", 20, 21, [(0, 0, 0, 21), (0, 0, 0, 21)])  # void: 21 > 20
    paper(papered, sup, "群众代表", 10, 9, [(0, 9, 0, 0), (0, 9, 0, 0)])
    services.close_review(actor=sup, review=papered)
    results = compute_results(papered)
    member = results.groups[2]
    assert (member.status, member.counts) == (Validity.VOID, False)
    assert "21" in member.reason and "20" in member.reason
    first = next(r for r in results.subjects if r.subject.secretary == "王建国")
    # (30 × 100 + 30 × 100 + 15 × 80) ÷ (30 + 30 + 15) = 7200 ÷ 75 = 96
    assert first.score_2dp == Decimal("96.00") and first.rescaled


def test_it_leaves_out_a_group_short_of_its_quorum(papered, sup, rita):
    cast_ballot(actor=rita, review=papered, ballot=all_good(papered))
    paper(papered, sup, "党组织书记", 12, 7, [(7, 0, 0, 0), (7, 0, 0, 0)])  # 7 × 3 = 21 < 12 × 2 = 24
    paper(papered, sup, "党员代表", 12, 8, [(0, 8, 0, 0), (0, 8, 0, 0)])  # 8 × 3 = 24 ≥ 24: enough
    paper(papered, sup, "群众代表", 3, 2, [(0, 0, 2, 0), (0, 0, 2, 0)])  # 2 × 3 = 6 ≥ 6
    services.close_review(actor=sup, review=papered)
    results = compute_results(papered)
    assert [t.status for t in results.groups] == [Validity.OK, Validity.NO_QUORUM, Validity.OK, Validity.OK]
    assert "2/3" in results.groups[1].reason
    # (30 × 100 + 25 × 80 + 15 × 60) ÷ 70 = 5900 ÷ 70 = 84.2857… → 84.29
    assert {r.score_2dp for r in results.subjects} == {Decimal("84.29")}
    assert [r.rank for r in results.subjects] == [1, 1]


def test_it_voids_one_organisation_with_more_votes_than_ballots_and_counts_blank_rows_as_abstentions(
    papered, sup, rita
):
    cast_ballot(actor=rita, review=papered, ballot=all_good(papered))
    paper(
        papered, sup, "党组织书记", 10, 10, [(5, 5, 1, 0), (4, 4, 0, 0)]
    )  # 11 votes > 10: void; 8 + 2 blank
    paper(papered, sup, "党员代表", 10, 10, [(10, 0, 0, 0), (10, 0, 0, 0)])
    paper(papered, sup, "群众代表", 10, 10, [(10, 0, 0, 0), (10, 0, 0, 0)])
    services.close_review(actor=sup, review=papered)
    results = compute_results(papered)
    by_secretary = {r.subject.secretary: r for r in results.subjects}
    first, second = by_secretary["王建国"], by_secretary["李红"]
    assert first.cells[1].status == Validity.VOID and "11" in first.cells[1].reason
    assert first.score_2dp == Decimal("100.00") and first.rescaled
    # 党组织书记 for the second: (4 × 100 + 4 × 80) ÷ 8 votes = 90 (two blank rows do not count)
    assert second.cells[1].score_2dp == Decimal("90.00") and second.cells[1].votes == 8
    # 0.30 × 100 + 0.30 × 90 + 0.25 × 100 + 0.15 × 100 = 97
    assert second.score_2dp == Decimal("97.00") and not second.rescaled
    assert [r.rank for r in results.subjects] == [1, 2]


def test_it_shows_only_how_many_ballots_came_back_while_voting_is_open(open_review, rita):
    cast_ballot(actor=rita, review=open_review, ballot=all_good(open_review))
    totals = returned_counts(open_review)
    assert [(t.group.name, t.issued, t.returned) for t in totals] == [
        ("领导班子成员", 1, 1), ("党组织书记", 0, 0), ("党员代表", 1, 0), ("群众代表", 0, 0),
    ]  # fmt: skip


def test_it_does_not_score_a_round_where_no_group_counts(papered, sup):
    services.close_review(actor=sup, review=papered)
    results = compute_results(papered)
    assert [r.score for r in results.subjects] == [None, None]
    assert [r.rank for r in results.subjects] == [None, None]
    assert [r.grade for r in results.subjects] == ["", ""]
