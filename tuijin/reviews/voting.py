"""Casting a ballot: a signed-in rater, or a holder of a one-time voting code, returns one ballot sheet.

A ballot (测评票) is never stored as such: in one transaction the voter's "has voted" row is written and
every tally row of the voter's group is updated (+1 where chosen, +0 elsewhere). See the models' docstring.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.org.models import Role

from . import codes as voting_codes
from .models import Option, Participation, Rater, RaterGroup, Review, Subject, Tally, VotingCode


@dataclass(frozen=True)
class Ballot:
    """One filled-in ballot sheet (测评票): an option for every subject of the round, by primary key."""

    choices: dict[int, int]  # subject id → option id


class VotingError(Exception):
    """The ballot cannot be counted; the message says why, for the voter."""


class AlreadyVoted(VotingError):
    pass


class NotARater(VotingError):
    """The user is not a rater of this round (the views answer 404: no hint that the round exists)."""


def rater_group(user, review: Review) -> RaterGroup | None:
    """The group the user rates in, in this round; None when they are not a rater of it."""
    if not user.is_authenticated or not user.has_role(Role.RATER):
        return None
    rater = Rater.objects.select_related("group").filter(review=review, user=user).first()
    return rater.group if rater else None


def has_voted(review: Review, user) -> bool:
    return Participation.objects.filter(review=review, user=user).exists()


def code_holder() -> SimpleNamespace:
    """The audit log's actor for a vote cast with a code: nobody in particular, and said so."""
    return SimpleNamespace(pk=None, display_name=_("Voting-code holder"), username="")


def find_code(text: str) -> VotingCode | None:
    """The live code a person typed or scanned: not withdrawn, unused, of an open round and electronic group."""
    if not voting_codes.looks_valid(text):
        return None
    return (
        VotingCode.objects.select_related("review", "group")
        .filter(
            digest=voting_codes.digest(text),
            withdrawn=False,
            participation__isnull=True,
            review__status=Review.Status.OPEN,
            group__counting=RaterGroup.Counting.ELECTRONIC,
        )  # fmt: skip
        .first()
    )


def _check_ballot(review: Review, ballot: Ballot) -> None:
    subjects = set(Subject.objects.filter(review=review).values_list("pk", flat=True))
    options = set(Option.objects.filter(review=review).values_list("pk", flat=True))
    if set(ballot.choices) != subjects:
        raise VotingError(_("Choose an option for every organisation on the ballot sheet."))
    if not set(ballot.choices.values()) <= options:
        raise VotingError(_("The ballot names an option that is not on this round's ballot sheet."))


def _count(review: Review, group: RaterGroup, ballot: Ballot) -> None:
    """+1 on the chosen rows, +0 on every other row of the group — all in one statement."""
    chosen = [When(subject_id=s, option_id=o, then=Value(1)) for s, o in ballot.choices.items()]
    touched = Tally.objects.filter(review=review, group=group).update(
        count=F("count") + Case(*chosen, default=Value(0))
    )
    if touched == 0:
        raise VotingError(_("This round is not ready for voting."))


def _lock_open(review: Review) -> Review:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status != Review.Status.OPEN:
        raise VotingError(_("Voting in this round is not open."))
    return locked


def _already_voted(review: Review, *, user=None, code: VotingCode | None = None) -> bool:
    if code is not None:
        return Participation.objects.filter(voting_code=code).exists()
    return Participation.objects.filter(review=review, user=user).exists()


def cast_ballot(*, actor, review: Review, ballot: Ballot) -> None:
    """Count a signed-in rater's ballot sheet once, in the rater's own group."""
    try:
        with transaction.atomic():
            review = _lock_open(review)
            group = rater_group(actor, review)
            if group is None:
                raise NotARater(_("You are not a rater in this round."))
            if group.is_paper:
                raise VotingError(_("Your group votes on paper ballots at the meeting."))
            if _already_voted(review, user=actor):
                raise AlreadyVoted(_("You have already returned your ballot sheet for this round."))
            _check_ballot(review, ballot)
            _count(review, group, ballot)
            # The unique constraint is the last word: a concurrent second submission fails here and rolls
            # back its increments above.
            Participation.objects.create(review=review, group=group, user=actor)
            record(actor=actor, action="reviews.voted", obj=review, after={"group": group.name})
    except IntegrityError:
        raise AlreadyVoted(_("You have already returned your ballot sheet for this round.")) from None


def cast_ballot_with_code(*, code_text: str, ballot: Ballot) -> Review:
    """Count the ballot sheet of a voting-code holder once; the code is used up. Returns the round."""
    code = find_code(code_text)
    if code is None:
        raise VotingError(_("This voting code is not valid, has been used, or its round is not open."))
    try:
        with transaction.atomic():
            review = _lock_open(code.review)
            code.refresh_from_db(fields=["withdrawn"])
            if code.withdrawn:
                raise VotingError(_("This voting code has been withdrawn."))
            if _already_voted(review, code=code):
                raise AlreadyVoted(_("This voting code has already been used."))
            _check_ballot(review, ballot)
            _count(review, code.group, ballot)
            Participation.objects.create(review=review, group=code.group, voting_code=code)
            record(actor=code_holder(), action="reviews.voted", obj=review,
                   after={"group": code.group.name, "by": "voting code"})  # fmt: skip
    except IntegrityError:
        raise AlreadyVoted(_("This voting code has already been used.")) from None
    return review
