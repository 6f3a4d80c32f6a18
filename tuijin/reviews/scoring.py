"""Results of a closed round: tallies per group and option, validity and quorum, scores, grades and ranking.

The arithmetic, for subject s (exact decimals throughout; rounded once, at the end, to 2 places half-up):

- a group counts when it returned enough ballots (returned × denominator ≥ issued × numerator) and not more
  than it was issued; otherwise it is left out of every subject's score, with the reason;
- per group, votes v = Σ counts over the options (a row left blank on a paper ballot is an abstention and
  not a vote; an electronic ballot sheet has no blank rows, so there v = ballots returned); the cell is void
  when more votes are counted for the subject than ballots were returned;
- group score S_g = Σ_option count × option points / v;
- weighted score = Σ_g W_g × S_g / Σ_g W_g over the groups that count for s — with every group counting,
  Σ W_g = 100 and this is Σ_g (W_g / 100) × S_g; a group left out is not scored as zero: the others' weights
  are scaled back up to 100 %, and the page says so;
- share of the first (best) option = its count / all votes, over the groups that count;
- grade from the bands on the rounded score; rank by the rounded score, ties sharing a rank (1, 1, 3).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import GradeBand, Option, Participation, Rater, RaterGroup, Review, Subject, Tally, VotingCode

TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


class Validity:
    OK = "ok"
    VOID = "void"
    NO_QUORUM = "no_quorum"
    NONE = "none"  # nothing issued, or no votes for the subject


@dataclass
class GroupTotal:
    """What one group returned, and whether it counts."""

    group: RaterGroup
    issued: int
    returned: int
    status: str = Validity.OK
    reason: str = ""
    raters: int = 0  # electronic groups: signed-in raters assigned
    codes: int = 0  # electronic groups: voting codes handed out (not withdrawn, or used)

    @property
    def rate(self) -> Decimal | None:
        """Share of the issued ballots returned, in %."""
        return (
            None
            if not self.issued
            else (Decimal(self.returned * 100) / self.issued).quantize(ONE_PLACE, ROUND_HALF_UP)
        )

    @property
    def counts(self) -> bool:
        return self.status == Validity.OK


@dataclass
class Cell:
    """One subject in one group: the counts per option (in option order), the votes and the group score."""

    counts: list[int]
    votes: int = 0
    score: Decimal | None = None  # exact
    status: str = Validity.OK
    reason: str = ""

    @property
    def counts_toward_score(self) -> bool:
        return self.status == Validity.OK and self.score is not None

    @property
    def score_2dp(self) -> Decimal | None:
        return None if self.score is None else round2(self.score)


@dataclass
class SubjectResult:
    subject: Subject
    cells: list[Cell]
    score: Decimal | None = None  # exact weighted score
    top_share: Decimal | None = None  # exact fraction 0..1
    grade: str = ""
    rank: int | None = None
    rescaled: bool = False  # some group was left out and the others' weights scaled back to 100 %

    @property
    def score_2dp(self) -> Decimal | None:
        return None if self.score is None else round2(self.score)

    @property
    def top_share_percent(self) -> Decimal | None:
        return (
            None if self.top_share is None else (self.top_share * HUNDRED).quantize(ONE_PLACE, ROUND_HALF_UP)
        )


@dataclass
class Results:
    review: Review
    options: list[Option]
    groups: list[GroupTotal]
    bands: list[GradeBand] = field(default_factory=list)
    subjects: list[SubjectResult] = field(default_factory=list)  # in ranking order, unranked last

    @property
    def top_option(self) -> Option | None:
        return self.options[0] if self.options else None

    @property
    def any_rescaled(self) -> bool:
        return any(r.rescaled for r in self.subjects)

    @property
    def issued(self) -> int:
        return sum(g.issued for g in self.groups)

    @property
    def returned(self) -> int:
        return sum(g.returned for g in self.groups)

    def by_grade(self) -> list[tuple[str, list[SubjectResult]]]:
        grades: dict[str, list[SubjectResult]] = {}
        for band in sorted(self.bands, key=lambda b: b.min_score, reverse=True):
            grades.setdefault(band.label, [])
        for result in self.subjects:
            if result.grade:
                grades.setdefault(result.grade, []).append(result)
        return list(grades.items())


# ——— counting what came back ———


def group_totals(review: Review, groups: list[RaterGroup]) -> list[GroupTotal]:
    """Issued and returned ballots per group (3 queries whatever the number of groups)."""
    raters = dict(
        Rater.objects.filter(review=review).order_by().values_list("group_id").annotate(n=Count("id"))
    )
    codes = dict(
        VotingCode.objects.filter(review=review)
        .order_by()
        .values_list("group_id")
        .annotate(n=Count("id", filter=Q(withdrawn=False) | Q(participation__isnull=False)))
    )
    returned = dict(
        Participation.objects.filter(review=review).order_by().values_list("group_id").annotate(n=Count("id"))
    )
    totals = []
    for group in groups:
        if group.is_paper:
            totals.append(GroupTotal(group, group.paper_issued or 0, group.paper_returned or 0))
        else:
            n_raters, n_codes = raters.get(group.pk, 0), codes.get(group.pk, 0)
            totals.append(
                GroupTotal(
                    group, n_raters + n_codes, returned.get(group.pk, 0), raters=n_raters, codes=n_codes
                )
            )
    return totals


def judge_groups(review: Review, totals: list[GroupTotal]) -> None:
    """Mark each group void, short of quorum or without ballots, with the reason in words."""
    for total in totals:
        if total.issued == 0:
            total.status, total.reason = Validity.NONE, _("No ballots were issued to this group.")
        elif total.returned > total.issued:
            total.status = Validity.VOID
            total.reason = _(
                "Void: %(returned)d ballots returned but only %(issued)d issued; this group's count is not used."
            ) % {"returned": total.returned, "issued": total.issued}
        elif total.returned * review.quorum_denominator < total.issued * review.quorum_numerator:
            total.status = Validity.NO_QUORUM
            total.reason = _(
                "Quorum not met: %(returned)d of %(issued)d ballots returned, at least %(quorum)s needed; "
                "this group's count is not used."
            ) % {"returned": total.returned, "issued": total.issued, "quorum": review.quorum_text}


# ——— the arithmetic ———


def score_cell(counts: list[int], points: list[Decimal], returned: int, group_ok: bool) -> Cell:
    cell = Cell(counts=counts, votes=sum(counts))
    if not group_ok:
        cell.status = Validity.NONE
    elif cell.votes > returned:
        cell.status = Validity.VOID
        cell.reason = _(
            "Void: %(votes)d votes counted for this subject but only %(returned)d ballots returned."
        ) % {"votes": cell.votes, "returned": returned}
    elif cell.votes == 0:
        cell.status, cell.reason = Validity.NONE, _("No votes.")
    else:
        cell.score = (
            sum((Decimal(n) * p for n, p in zip(counts, points, strict=True)), Decimal(0)) / cell.votes
        )
    return cell


def weighted(cells: list[Cell], weights: list[Decimal]) -> tuple[Decimal | None, bool]:
    """Σ W_g × S_g / Σ W_g over the cells that count; and whether any group was left out."""
    used = [(w, c.score) for w, c in zip(weights, cells, strict=True) if c.counts_toward_score and w > 0]
    total_weight = sum((w for w, _s in used), Decimal(0))
    if not used or total_weight == 0:
        return None, False
    score = sum((w * s for w, s in used), Decimal(0)) / total_weight
    return score, len(used) < sum(1 for w in weights if w > 0)


def grade_for(score_2dp: Decimal | None, bands: list[GradeBand]) -> str:
    if score_2dp is None:
        return ""
    for band in sorted(bands, key=lambda b: b.min_score, reverse=True):
        if score_2dp >= band.min_score:
            return band.label
    return ""


def rank(results: list[SubjectResult]) -> list[SubjectResult]:
    """Order by rounded score, best first; equal rounded scores share a rank (1, 1, 3); unscored last."""
    scored = sorted(
        (r for r in results if r.score is not None),
        key=lambda r: (-r.score_2dp, r.subject.sort_order, r.subject.pk),
    )
    previous, previous_rank = None, 0
    for position, result in enumerate(scored, start=1):
        if result.score_2dp != previous:
            previous, previous_rank = result.score_2dp, position
        result.rank = previous_rank
    return scored + [r for r in results if r.score is None]


def compute_results(review: Review) -> Results:
    """Everything the results page, the exports and the API show, in a fixed number of queries."""
    subjects = list(Subject.objects.filter(review=review).select_related("unit"))
    groups = list(RaterGroup.objects.filter(review=review))
    options = list(Option.objects.filter(review=review))
    bands = list(GradeBand.objects.filter(review=review))
    totals = group_totals(review, groups)
    judge_groups(review, totals)
    counts: dict[tuple[int, int, int], int] = defaultdict(int)
    for subject_id, group_id, option_id, n in Tally.objects.filter(review=review).values_list(
        "subject_id", "group_id", "option_id", "count"
    ):
        counts[(subject_id, group_id, option_id)] = n
    points = [o.weight for o in options]
    weights = [t.group.weight for t in totals]
    results = []
    for subject in subjects:
        cells = [
            score_cell(
                [counts[(subject.pk, t.group.pk, o.pk)] for o in options], points, t.returned, t.counts
            )
            for t in totals
        ]
        result = SubjectResult(subject=subject, cells=cells)
        result.score, result.rescaled = weighted(cells, weights)
        votes = sum(c.votes for c in cells if c.counts_toward_score)
        if votes and options:
            result.top_share = Decimal(sum(c.counts[0] for c in cells if c.counts_toward_score)) / votes
        result.grade = grade_for(result.score_2dp, bands)
        results.append(result)
    return Results(review=review, options=options, groups=totals, bands=bands, subjects=rank(results))


def returned_counts(review: Review) -> list[GroupTotal]:
    """While voting is open: only how many ballots each group has returned (no partial results)."""
    return group_totals(review, list(RaterGroup.objects.filter(review=review)))
