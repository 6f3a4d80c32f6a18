"""述职评议 endpoints of the JSON API: rounds, published results, and a rater's ballot sheet.

Mounted by `tuijin/api.py` (`api.add_router("/", reviews_router)`); authentication is the API's Bearer token.
A round the caller may not see answers 404, never 403; roles with no business here (the 三员, applicants…)
answer 403. Scores are decimal strings with two places, shares percentages with one.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from tuijin.org.models import Role

from .access import rater_reviews, visible_reviews
from .models import Option, Participation, Rater, Review, Subject
from .scoring import Results, compute_results
from .voting import AlreadyVoted, Ballot, NotARater, VotingError, cast_ballot, has_voted, rater_group

router = Router(tags=["reviews"])


class Message(Schema):
    detail: str


class ReviewItem(Schema):
    code: UUID
    title: str
    year: int
    date: datetime.date
    status: str
    subjects: int
    my_group: str | None = None  # the caller's rater group, when they rate in this round
    voted: bool | None = None  # whether the caller has returned their ballot sheet


class OptionOut(Schema):
    label: str
    points: Decimal


class GroupOut(Schema):
    name: str
    weight: Decimal
    counting: str
    issued: int
    returned: int
    counted: bool
    status: str
    reason: str


class CellOut(Schema):
    group: str
    counts: dict[str, int]
    votes: int
    score: Decimal | None
    status: str
    reason: str


class SubjectResultOut(Schema):
    code: UUID
    organisation: str
    unit: str
    secretary: str
    rank: int | None
    score: Decimal | None
    top_share_percent: Decimal | None
    grade: str
    rescaled: bool
    groups: list[CellOut]


class ResultsOut(Schema):
    code: UUID
    title: str
    year: int
    date: datetime.date
    status: str
    document_number: str
    quorum: str
    options: list[OptionOut]
    groups: list[GroupOut]
    subjects: list[SubjectResultOut]


class SheetSubject(Schema):
    code: UUID
    organisation: str
    unit: str
    secretary: str


class BallotSheet(Schema):
    review: UUID
    title: str
    group: str
    open: bool
    voted: bool
    options: list[OptionOut]
    subjects: list[SheetSubject]


class Choice(Schema):
    subject: UUID
    option: str  # the option's label, e.g. "好"


class BallotIn(Schema):
    choices: list[Choice]


def _require_business(user) -> None:
    if not user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT, Role.RATER):
        raise HttpError(403, _("Performance reviews are not open to your role."))


@router.get(
    "/reviews", response={200: list[ReviewItem], 403: Message}, summary="Performance reviews (述职评议)"
)
def list_reviews(request):
    """Rounds the caller may see: every round for the supervision office, published ones for city leaders and
    for units with an organisation under review, and the rounds a rater rates in (with `my_group`, `voted`)."""
    user = request.auth
    _require_business(user)
    seen = visible_reviews(user).values("pk")
    rated = rater_reviews(user).values("pk")
    voted = Participation.objects.filter(review=OuterRef("pk"), user=user)
    rounds = (
        (Review.objects.filter(pk__in=seen) | Review.objects.filter(pk__in=rated))
        .annotate(n_subjects=Count("subjects", distinct=True), has_voted=Exists(voted))
        .order_by("-year", "-date", "-id")
    )
    groups = dict(Rater.objects.filter(user=user).values_list("review_id", "group__name"))
    return [
        ReviewItem(
            code=r.code,
            title=r.title,
            year=r.year,
            date=r.date,
            status=r.status,
            subjects=r.n_subjects,
            my_group=groups.get(r.pk),
            voted=r.has_voted if r.pk in groups else None,
        )  # fmt: skip
        for r in rounds
    ]


def _results_out(results: Results) -> ResultsOut:
    review, labels = results.review, [o.label for o in results.options]
    return ResultsOut(
        code=review.code, title=review.title, year=review.year, date=review.date, status=review.status,
        document_number=review.document_number, quorum=review.quorum_text,
        options=[OptionOut(label=o.label, points=o.weight) for o in results.options],
        groups=[GroupOut(name=t.group.name, weight=t.group.weight, counting=t.group.counting, issued=t.issued,
                         returned=t.returned, counted=t.counts, status=t.status, reason=t.reason)
                for t in results.groups],
        subjects=[SubjectResultOut(
            code=r.subject.code, organisation=r.subject.organisation, unit=r.subject.unit.name,
            secretary=r.subject.secretary, rank=r.rank, score=r.score_2dp, top_share_percent=r.top_share_percent,
            grade=r.grade, rescaled=r.rescaled,
            groups=[CellOut(group=t.group.name, counts=dict(zip(labels, c.counts, strict=True)), votes=c.votes,
                            score=c.score_2dp, status=c.status if t.counts else t.status, reason=c.reason or t.reason)
                    for t, c in zip(results.groups, r.cells, strict=True)],
        ) for r in results.subjects],
    )  # fmt: skip


@router.get(
    "/reviews/{code}/results",
    response={200: ResultsOut, 403: Message, 404: Message},
    summary="Published results of a round",
)
def review_results(request, code: UUID):
    """Raw tallies per group and option, ballots issued and returned, validity, group scores, weighted score,
    share of the best option, grade and rank (ties share a rank). Published rounds only: 404 before that, and
    for a round the caller may not see; 403 for raters and roles with no business here."""
    user = request.auth
    if not user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT):
        raise HttpError(403, _("Raters see their ballot sheets, not results."))
    review = visible_reviews(user).filter(code=code, status=Review.Status.PUBLISHED).first()
    if review is None:
        raise HttpError(404, _("No published results of this round for you."))
    return _results_out(compute_results(review))


def _rater_round(user, code: UUID):
    if not user.has_role(Role.RATER):
        raise HttpError(403, _("Only raters vote."))
    review = Review.objects.exclude(status=Review.Status.DRAFT).filter(code=code).first()
    group = rater_group(user, review) if review else None
    if group is None:
        raise HttpError(404, _("You are not a rater in this round."))
    return review, group


@router.get(
    "/reviews/{code}/ballot",
    response={200: BallotSheet, 403: Message, 404: Message},
    summary="My ballot sheet",
)
def ballot_sheet(request, code: UUID):
    """The organisations and options of the round the caller rates in, and whether they have voted."""
    review, group = _rater_round(request.auth, code)
    return BallotSheet(
        review=review.code, title=review.title, group=group.name, open=review.is_open and not group.is_paper,
        voted=has_voted(review, request.auth),
        options=[OptionOut(label=o.label, points=o.weight) for o in Option.objects.filter(review=review)],
        subjects=[SheetSubject(code=s.code, organisation=s.organisation, unit=s.unit.name, secretary=s.secretary)
                  for s in Subject.objects.filter(review=review).select_related("unit")],
    )  # fmt: skip


@router.post(
    "/reviews/{code}/ballot",
    response={201: Message, 403: Message, 404: Message, 409: Message, 422: Message},
    summary="Return my ballot sheet",
)
def cast(request, code: UUID, body: BallotIn):
    """One option (by label) for every organisation of the round, returned at once; counted once. 409 when the
    caller has voted already or voting is not open; 422 when an organisation is missing, repeated or unknown,
    or an option is not on the sheet. Nothing in the answer or anywhere else ties the choices to the caller."""
    user = request.auth
    review, _group = _rater_round(user, code)
    subjects = dict(Subject.objects.filter(review=review).values_list("code", "pk"))
    options = dict(Option.objects.filter(review=review).values_list("label", "pk"))
    choices: dict[int, int] = {}
    for index, choice in enumerate(body.choices):
        if choice.subject not in subjects or subjects[choice.subject] in choices:
            return Status(
                422, {"detail": _("choices[%(i)d]: unknown or repeated organisation.") % {"i": index}}
            )
        if choice.option not in options:
            return Status(422, {"detail": _("choices[%(i)d]: “%(o)s” is not an option of this round.")
                                % {"i": index, "o": choice.option}})  # fmt: skip
        choices[subjects[choice.subject]] = options[choice.option]
    if len(choices) != len(subjects):
        return Status(422, {"detail": _("Choose an option for every organisation on the ballot sheet.")})
    try:
        cast_ballot(actor=user, review=review, ballot=Ballot(choices))
    except NotARater:
        return Status(404, {"detail": _("You are not a rater in this round.")})
    except AlreadyVoted as exc:
        return Status(409, {"detail": str(exc)})
    except VotingError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, {"detail": _("Your ballot sheet has been counted. Thank you.")})
