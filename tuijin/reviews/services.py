"""Preparing and running a round: rules, subjects, raters, voting codes, the status steps and paper counts.

Each function checks, validates, saves and audits in one transaction. Casting ballots is in `voting.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.org.models import Role, Unit
from tuijin.tasks.evidence import CheckedFile
from tuijin.tasks.models import Evidence

from . import codes as voting_codes
from .models import (
    DEFAULT_BANDS,
    DEFAULT_GROUPS,
    DEFAULT_OPTIONS,
    GradeBand,
    Option,
    Participation,
    Rater,
    RaterGroup,
    Review,
    Subject,
    Tally,
    VotingCode,
)

REVIEW_FIELDS = ["title", "year", "date", "issuing_organ", "document_number", "status",
                 "quorum_numerator", "quorum_denominator"]  # fmt: skip
SUBJECT_FIELDS = ["organisation", "unit_id", "secretary", "report_name", "report_sha256"]
REPORT_KINDS = (Evidence.Kind.PDF, Evidence.Kind.WORD)
MAX_CODES = 500
SMALL_GROUP = 3


class ReviewError(Exception):
    """The step is not allowed now; the message says why, for the user."""


def _require_status(review: Review, *statuses: str, message: str) -> None:
    if review.status not in statuses:
        raise ReviewError(message)


def _lock(review: Review) -> Review:
    """The round, locked against concurrent status changes and votes (a no-op on SQLite, which locks it all)."""
    return Review.objects.select_for_update().get(pk=review.pk)


# ——— the round ———


@transaction.atomic
def create_review(*, actor, title: str, year: int, date, issuing_organ: str = "") -> Review:
    """A new round in preparation, with the default groups, options and grade bands (all editable)."""
    review = Review.objects.create(
        title=title,
        year=year,
        date=date,
        organiser=actor,
        issuing_organ=issuing_organ or Review().issuing_organ,
    )
    _replace_rules(review, groups=DEFAULT_GROUPS, options=DEFAULT_OPTIONS, bands=DEFAULT_BANDS)
    record(actor=actor, action="reviews.created", obj=review, after=snapshot(review, REVIEW_FIELDS))
    return review


@transaction.atomic
def update_review(*, actor, review: Review, title: str, year: int, date, issuing_organ: str) -> Review:
    review = _lock(review)
    if review.is_published:
        raise ReviewError(_("The results are published; the round can no longer be changed."))
    before = snapshot(review, REVIEW_FIELDS)
    review.title, review.year, review.date, review.issuing_organ = title, year, date, issuing_organ
    review.save(update_fields=["title", "year", "date", "issuing_organ"])
    record(
        actor=actor,
        action="reviews.updated",
        obj=review,
        before=before,
        after=snapshot(review, REVIEW_FIELDS),
    )
    return review


def rules_of(review: Review) -> dict:
    return {
        "quorum": review.quorum_text,
        "groups": [[g.name, str(g.weight)] for g in review.groups.all()],
        "options": [[o.label, str(o.weight)] for o in review.options.all()],
        "bands": [[b.label, str(b.min_score)] for b in review.bands.all()],
    }


def check_rules(groups: Sequence, options: Sequence, bands: Sequence) -> list[str]:
    """What is wrong with a set of rules, in words; empty when they can be used."""
    problems = []
    if not groups:
        problems.append(_("Give at least one rater group."))
    total = sum((Decimal(w) for _n, w in groups), Decimal(0))
    if groups and total != 100:
        problems.append(
            _("The group weights add up to %(total)s %%; they must add up to 100 %%.") % {"total": total}
        )
    if len({n for n, _w in groups}) < len(groups):
        problems.append(_("Two rater groups have the same name."))
    if len(options) < 2:
        problems.append(_("Give at least two options."))
    if len({n for n, _w in options}) < len(options):
        problems.append(_("Two options have the same label."))
    if options and [Decimal(w) for _n, w in options] != sorted(
        (Decimal(w) for _n, w in options), reverse=True
    ):
        problems.append(_("List the options from the best (most points) to the worst."))
    if not bands:
        problems.append(_("Give at least one grade band."))
    if len({Decimal(m) for _n, m in bands}) < len(bands):
        problems.append(_("Two grade bands start at the same score."))
    return problems


def _replace_rules(review: Review, *, groups, options, bands) -> None:
    kept = {g.name: g for g in review.groups.all()}
    wanted = [name for name, _w in groups]
    for name, group in kept.items():
        if name not in wanted:
            if group.raters.exists() or group.voting_codes.exists():
                raise ReviewError(
                    _("The group %(name)s has raters or voting codes; remove them before removing the group.")
                    % {"name": name}
                )
            group.delete()
    for position, (name, weight) in enumerate(groups):
        group = kept.get(name) or RaterGroup(review=review, name=name)
        group.weight, group.sort_order = Decimal(weight), position
        group.save()
    review.options.all().delete()
    Option.objects.bulk_create(
        [
            Option(review=review, label=label, weight=Decimal(w), sort_order=i)
            for i, (label, w) in enumerate(options)
        ]
    )
    review.bands.all().delete()
    GradeBand.objects.bulk_create(
        [GradeBand(review=review, label=label, min_score=Decimal(m)) for label, m in bands]
    )


@transaction.atomic
def set_rules(
    *, actor, review: Review, quorum_numerator: int, quorum_denominator: int,
    groups: Sequence[tuple[str, Decimal]], options: Sequence[tuple[str, Decimal]],
    bands: Sequence[tuple[str, Decimal]],
) -> Review:  # fmt: skip
    """Quorum, rater groups with weights, options with points and grade bands, while the round is prepared."""
    review = _lock(review)
    _require_status(review, Review.Status.DRAFT, message=_("The rules are fixed once voting has opened."))
    problems = check_rules(groups, options, bands)
    if not 0 < quorum_numerator <= quorum_denominator:
        problems.append(_("The quorum must be a fraction between 0 and 1, such as 2/3."))
    if problems:
        raise ReviewError(" ".join(problems))
    before = rules_of(review)
    review.quorum_numerator, review.quorum_denominator = quorum_numerator, quorum_denominator
    review.save(update_fields=["quorum_numerator", "quorum_denominator"])
    _replace_rules(review, groups=groups, options=options, bands=bands)
    record(actor=actor, action="reviews.rules_set", obj=review, before=before, after=rules_of(review))
    return review


# ——— subjects ———


def _attach_report(subject: Subject, checked: CheckedFile) -> None:
    if checked.kind not in REPORT_KINDS:
        raise ReviewError(
            _("%(name)s: the written report must be a PDF or Word file.") % {"name": checked.name}
        )
    subject.report_name = checked.name
    subject.report_size = len(checked.content)
    subject.report_sha256 = checked.sha256
    extension = checked.name.rsplit(".", 1)[-1].lower() if "." in checked.name else checked.kind
    subject.report.save(f"{subject.review.code}/{subject.code}.{extension[:5]}", ContentFile(checked.content),
                        save=False)  # fmt: skip


@transaction.atomic
def add_subject(
    *, actor, review: Review, organisation: str, unit: Unit, secretary: str, report: CheckedFile | None = None
) -> Subject:
    review = _lock(review)
    _require_status(review, Review.Status.DRAFT, message=_("Subjects are fixed once voting has opened."))
    if Subject.objects.filter(review=review, organisation=organisation).exists():
        raise ReviewError(_("%(name)s is already a subject of this round.") % {"name": organisation})
    last = (
        Subject.objects.filter(review=review)
        .order_by("-sort_order")
        .values_list("sort_order", flat=True)
        .first()
    )
    subject = Subject(review=review, organisation=organisation, unit=unit, secretary=secretary,
                      sort_order=(last or 0) + 1)  # fmt: skip
    if report is not None:
        _attach_report(subject, report)
    subject.save()
    record(actor=actor, action="reviews.subject_added", obj=subject, after=snapshot(subject, SUBJECT_FIELDS))
    return subject


@transaction.atomic
def update_subject(
    *,
    actor,
    subject: Subject,
    organisation: str,
    unit: Unit,
    secretary: str,
    report: CheckedFile | None = None,
) -> Subject:
    _require_status(
        _lock(subject.review), Review.Status.DRAFT, message=_("Subjects are fixed once voting has opened.")
    )
    if (
        Subject.objects.filter(review=subject.review, organisation=organisation)
        .exclude(pk=subject.pk)
        .exists()
    ):
        raise ReviewError(_("%(name)s is already a subject of this round.") % {"name": organisation})
    before = snapshot(subject, SUBJECT_FIELDS)
    subject.organisation, subject.unit, subject.secretary = organisation, unit, secretary
    if report is not None:
        old = subject.report.name
        _attach_report(subject, report)
        if old:
            transaction.on_commit(lambda: subject.report.storage.delete(old))
    subject.save()
    record(actor=actor, action="reviews.subject_updated", obj=subject, before=before,
           after=snapshot(subject, SUBJECT_FIELDS))  # fmt: skip
    return subject


@transaction.atomic
def delete_subject(*, actor, subject: Subject) -> None:
    _require_status(
        _lock(subject.review), Review.Status.DRAFT, message=_("Subjects are fixed once voting has opened.")
    )
    before = snapshot(subject, SUBJECT_FIELDS)
    record(actor=actor, action="reviews.subject_deleted", obj=subject, before=before)
    name = subject.report.name
    subject.delete()
    if name:
        transaction.on_commit(lambda: Subject.report.field.storage.delete(name))


# ——— raters, codes, counting ———


def _group_has_votes(group: RaterGroup) -> bool:
    return (
        Participation.objects.filter(group=group).exists()
        or Tally.objects.filter(group=group, count__gt=0).exists()
    )


@transaction.atomic
def set_counting(*, actor, group: RaterGroup, counting: str) -> RaterGroup:
    """Electronic or paper, before anything has been counted for the group."""
    review = _lock(group.review)
    _require_status(review, Review.Status.DRAFT, Review.Status.OPEN,
                    message=_("Voting has closed; the way a group is counted can no longer change."))  # fmt: skip
    if counting not in RaterGroup.Counting.values:
        raise ReviewError(_("Unknown way of counting."))
    if counting == group.counting:
        return group
    if _group_has_votes(group) or group.paper_issued is not None:
        raise ReviewError(_("Ballots of %(name)s have already been counted; the way it is counted cannot change.")
                          % {"name": group.name})  # fmt: skip
    before = {"counting": group.counting}
    group.counting = counting
    group.save(update_fields=["counting"])
    record(actor=actor, action="reviews.counting_set", obj=group, before=before, after={"counting": counting})
    return group


def eligible_raters(review: Review, group: RaterGroup):
    """Users with the rater role who are not in another group of this round."""
    from tuijin.org.models import User

    elsewhere = Rater.objects.filter(review=review, user=OuterRef("pk")).exclude(group=group)
    return (
        User.objects.filter(is_active=True, memberships__role=Role.RATER)
        .exclude(Exists(elsewhere))
        .distinct()
        .order_by("display_name", "username")
    )


@transaction.atomic
def set_raters(*, actor, group: RaterGroup, users: Iterable) -> RaterGroup:
    """The signed-in raters of a group: added while preparing or voting; one who has voted stays."""
    review = _lock(group.review)
    _require_status(review, Review.Status.DRAFT, Review.Status.OPEN,
                    message=_("Voting has closed; raters can no longer change."))  # fmt: skip
    users = list(users)
    allowed = set(eligible_raters(review, group).values_list("pk", flat=True))
    wrong = [u for u in users if u.pk not in allowed]
    if wrong:
        raise ReviewError(_("%(names)s cannot rate in this group (not a rater, or already in another group).")
                          % {"names": "、".join(str(u) for u in wrong)})  # fmt: skip
    current = {r.user_id: r for r in Rater.objects.filter(group=group).select_related("user")}
    wanted = {u.pk for u in users}
    removed = [r for uid, r in current.items() if uid not in wanted]
    voted = set(Participation.objects.filter(review=review, user_id__in=[r.user_id for r in removed])
                .values_list("user_id", flat=True))  # fmt: skip
    if voted:
        raise ReviewError(_("%(names)s already voted and stay in the group.")
                          % {"names": "、".join(str(r.user) for r in removed if r.user_id in voted)})  # fmt: skip
    before = sorted(str(r.user) for r in current.values())
    Rater.objects.filter(pk__in=[r.pk for r in removed]).delete()
    Rater.objects.bulk_create(
        [Rater(review=review, group=group, user=u) for u in users if u.pk not in current]
    )
    after = sorted(str(u) for u in users)
    record(
        actor=actor,
        action="reviews.raters_set",
        obj=group,
        before={"raters": before},
        after={"raters": after},
    )
    return group


@transaction.atomic
def generate_codes(*, actor, group: RaterGroup, count: int) -> list[str]:
    """`count` new one-time codes for the group. Only their hashes are kept: print the slips now."""
    review = _lock(group.review)
    _require_status(review, Review.Status.DRAFT, Review.Status.OPEN,
                    message=_("Voting has closed; no more voting codes can be made."))  # fmt: skip
    if group.is_paper:
        raise ReviewError(_("%(name)s votes on paper; it needs no voting codes.") % {"name": group.name})
    if not 0 < count <= MAX_CODES:
        raise ReviewError(_("Make between 1 and %(max)d codes at a time.") % {"max": MAX_CODES})
    plain = [voting_codes.new_code() for _ in range(count)]
    VotingCode.objects.bulk_create(
        [VotingCode(review=review, group=group, digest=voting_codes.digest(c)) for c in plain]
    )
    record(actor=actor, action="reviews.codes_generated", obj=group, after={"count": count})
    return plain


@transaction.atomic
def withdraw_codes(*, actor, group: RaterGroup) -> int:
    """Withdraw the group's unused codes (lost slips, a misprint); used ones stay counted. Not after voting has
    closed: the codes handed out are the ballots issued, which the quorum is measured against."""
    _require_status(
        _lock(group.review), Review.Status.DRAFT, Review.Status.OPEN,
        message=_("Voting has closed; the ballots issued can no longer change."),
    )  # fmt: skip
    unused = VotingCode.objects.filter(group=group, withdrawn=False, participation__isnull=True)
    count = unused.update(withdrawn=True)
    record(actor=actor, action="reviews.codes_withdrawn", obj=group, after={"count": count})
    return count


# ——— status steps ———


def readiness_problems(review: Review) -> list[str]:
    """What stops the round from opening, in words."""
    problems = []
    subjects = list(review.subjects.all())
    groups = list(review.groups.all())
    if not subjects:
        problems.append(_("Add the party organisations to be reviewed."))
    missing = [s.organisation for s in subjects if not s.report]
    if missing:
        problems.append(_("No written report yet from: %(names)s.") % {"names": "、".join(missing)})
    problems += check_rules(
        [(g.name, g.weight) for g in groups],
        [(o.label, o.weight) for o in review.options.all()],
        [(b.label, b.min_score) for b in review.bands.all()],
    )
    return problems


@transaction.atomic
def open_review(*, actor, review: Review) -> Review:
    """Open voting. Every tally row is created now, at count 0, so none is ever created while voting."""
    review = _lock(review)
    _require_status(review, Review.Status.DRAFT, message=_("Only a round in preparation can be opened."))
    problems = readiness_problems(review)
    if problems:
        raise ReviewError(" ".join(problems))
    Tally.objects.bulk_create(
        [
            Tally(review=review, subject=subject, group=group, option=option)
            for group in review.groups.all()
            for subject in review.subjects.all()
            for option in review.options.all()
        ]
    )
    before = snapshot(review, ["status"])
    review.status, review.opened_at = Review.Status.OPEN, timezone.now()
    review.save(update_fields=["status", "opened_at"])
    record(
        actor=actor, action="reviews.opened", obj=review, before=before, after=snapshot(review, ["status"])
    )
    return review


@transaction.atomic
def close_review(*, actor, review: Review) -> Review:
    """Close voting; from now on the results can be computed."""
    review = _lock(review)
    _require_status(review, Review.Status.OPEN, message=_("Only an open round can be closed."))
    before = snapshot(review, ["status"])
    review.status, review.closed_at = Review.Status.CLOSED, timezone.now()
    review.save(update_fields=["status", "closed_at"])
    record(
        actor=actor, action="reviews.closed", obj=review, before=before, after=snapshot(review, ["status"])
    )
    return review


@transaction.atomic
def publish_review(*, actor, review: Review, document_number: str = "") -> Review:
    """Publish the results to the reviewed organisations' units and to the city leaders; the round is frozen."""
    review = _lock(review)
    _require_status(review, Review.Status.CLOSED, message=_("Close voting before publishing the results."))
    unentered = [g.name for g in review.groups.all() if g.is_paper and g.paper_issued is None]
    if unentered:
        raise ReviewError(_("Enter the paper count of %(names)s first.") % {"names": "、".join(unentered)})
    before = snapshot(review, ["status", "document_number"])
    review.status, review.published_at = Review.Status.PUBLISHED, timezone.now()
    review.document_number = document_number.strip()
    review.save(update_fields=["status", "published_at", "document_number"])
    record(actor=actor, action="reviews.published", obj=review, before=before,
           after=snapshot(review, ["status", "document_number"]))  # fmt: skip
    return review


# ——— paper counts ———


@transaction.atomic
def enter_paper_counts(
    *, actor, group: RaterGroup, issued: int, returned: int, counts: dict[tuple[int, int], int]
) -> RaterGroup:
    """The counting committee's hand count for a paper group: sheets issued and returned, and per subject and
    option the number of ticks. Counts that break the rules are kept as entered and shown void in the results."""
    review = _lock(group.review)
    _require_status(review, Review.Status.OPEN, Review.Status.CLOSED,
                    message=_("Paper counts are entered while voting is open or after it has closed, "
                              "before the results are published."))  # fmt: skip
    if not group.is_paper:
        raise ReviewError(_("%(name)s is counted electronically.") % {"name": group.name})
    tallies = {(t.subject_id, t.option_id): t for t in Tally.objects.filter(group=group)}
    unknown = set(counts) - set(tallies)
    if unknown:
        raise ReviewError(_("The count names a subject or option that is not in this round."))
    before = {"issued": group.paper_issued, "returned": group.paper_returned,
              "counts": {f"{s}:{o}": t.count for (s, o), t in tallies.items()}}  # fmt: skip
    group.paper_issued, group.paper_returned = issued, returned
    group.save(update_fields=["paper_issued", "paper_returned"])
    for key, tally in tallies.items():
        tally.count = counts.get(key, 0)
    Tally.objects.bulk_update(list(tallies.values()), ["count"])
    after = {
        "issued": issued,
        "returned": returned,
        "counts": {f"{s}:{o}": n for (s, o), n in counts.items()},
    }
    record(actor=actor, action="reviews.paper_counts", obj=group, before=before, after=after)
    return group


def small_groups(review: Review, totals) -> list[str]:
    """Groups too small for their ballots to stay secret among their own members."""
    return [t.group.name for t in totals if 0 < t.issued < SMALL_GROUP]
