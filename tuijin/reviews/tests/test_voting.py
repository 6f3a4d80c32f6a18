"""Casting ballots: once per rater, only while open, only in the rater's own group, all rows or nothing."""

import pytest

from tuijin.reviews import services
from tuijin.reviews.models import Option, Participation, Subject, Tally
from tuijin.reviews.voting import AlreadyVoted, Ballot, NotARater, VotingError, cast_ballot

from .conftest import group


def ballot(review, *labels) -> Ballot:
    options = {o.label: o.pk for o in Option.objects.filter(review=review)}
    subjects = list(Subject.objects.filter(review=review))
    return Ballot({s.pk: options[label] for s, label in zip(subjects, labels, strict=True)})


def counts(review, group_name):
    """{(organisation, option): count} of one group, non-zero only."""
    return {
        (t.subject.organisation[:6], t.option.label): t.count
        for t in Tally.objects.filter(review=review, group__name=group_name, count__gt=0).select_related(
            "subject", "option"
        )
    }


def test_it_counts_a_ballot_in_the_raters_own_group(open_review, rita):
    cast_ballot(actor=rita, review=open_review, ballot=ballot(open_review, "好", "较好"))
    assert counts(open_review, "领导班子成员") == {("中共中原科技", "好"): 1, ("中共郑州市科", "较好"): 1}
    assert counts(open_review, "党员代表") == {}
    assert Participation.objects.filter(review=open_review, user=rita).count() == 1


def test_it_refuses_a_second_ballot_from_the_same_rater(open_review, rita):
    cast_ballot(actor=rita, review=open_review, ballot=ballot(open_review, "好", "好"))
    with pytest.raises(AlreadyVoted):
        cast_ballot(actor=rita, review=open_review, ballot=ballot(open_review, "差", "差"))
    assert counts(open_review, "领导班子成员") == {("中共中原科技", "好"): 1, ("中共郑州市科", "好"): 1}


def test_it_refuses_a_rater_who_is_not_in_the_round(open_review, otto):
    with pytest.raises(NotARater):
        cast_ballot(actor=otto, review=open_review, ballot=ballot(open_review, "好", "好"))
    assert not Tally.objects.filter(review=open_review, count__gt=0).exists()


def test_it_refuses_ballots_before_opening_and_after_closing(review, sup, rita):
    with pytest.raises(VotingError):
        cast_ballot(actor=rita, review=review, ballot=ballot(review, "好", "好"))
    services.open_review(actor=sup, review=review)
    services.close_review(actor=sup, review=review)
    with pytest.raises(VotingError):
        cast_ballot(actor=rita, review=review, ballot=ballot(review, "好", "好"))
    assert not Participation.objects.exists()


def test_it_refuses_a_sheet_with_a_row_left_blank(open_review, rita):
    partial = ballot(open_review, "好", "好")
    first = next(iter(partial.choices))
    with pytest.raises(VotingError):
        cast_ballot(actor=rita, review=open_review, ballot=Ballot({first: partial.choices[first]}))
    assert not Participation.objects.exists()
    assert not Tally.objects.filter(count__gt=0).exists()


def test_it_refuses_an_electronic_ballot_in_a_paper_group(review, sup, rob):
    services.set_counting(actor=sup, group=group(review, "党员代表"), counting="paper")
    services.open_review(actor=sup, review=review)
    with pytest.raises(VotingError):
        cast_ballot(actor=rob, review=review, ballot=ballot(review, "好", "好"))


def test_it_creates_every_tally_row_when_voting_opens_and_none_while_voting(open_review, rita, rob):
    before = set(Tally.objects.filter(review=open_review).values_list("pk", flat=True))
    assert len(before) == 2 * 4 * 4  # subjects × groups × options
    cast_ballot(actor=rita, review=open_review, ballot=ballot(open_review, "好", "一般"))
    cast_ballot(actor=rob, review=open_review, ballot=ballot(open_review, "较好", "差"))
    assert set(Tally.objects.filter(review=open_review).values_list("pk", flat=True)) == before
