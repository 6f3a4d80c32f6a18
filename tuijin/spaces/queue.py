"""The waiting queue (轮候) of one kind of space, in the order the policy sets, and why each applicant stands
where they stand.

Order: the categories housed without scoring first (C/D talents: 应保尽保), among them by application time; then
the scored applicants (young talents) by score, highest first, ties by application time. Only applications that
passed both reviews and their publicity wait in the queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Application, Category, Policy


def sort_key(application: Application, policy: Policy) -> tuple:
    scored = policy.is_scored(application.category)
    return (1 if scored else 0, -application.score if scored else 0, application.submitted_at, application.pk)


def queue_of(kind: str, policy: Policy | None = None) -> list[Application]:
    """The applications waiting for `kind`, head first (two queries whatever the length)."""
    policy = policy or Policy.objects.get(kind=kind)
    waiting = list(
        Application.objects.filter(kind=kind, state=Application.State.QUEUED).select_related("policy")
    )
    return sorted(waiting, key=lambda a: sort_key(a, policy))


@dataclass
class Standing:
    position: int  # 1 = head of the queue
    length: int
    ahead_unscored: int
    ahead_scored: int
    reason: str


def standing(application: Application, queue: list[Application] | None = None) -> Standing | None:
    """Where a waiting application stands, and the reason in words; None when it is not in the queue."""
    if application.state != Application.State.QUEUED:
        return None
    policy = application.policy
    queue = queue if queue is not None else queue_of(application.kind, policy)
    ids = [a.pk for a in queue]
    if application.pk not in ids:
        return None
    index = ids.index(application.pk)
    ahead = queue[:index]
    ahead_unscored = sum(1 for a in ahead if not policy.is_scored(a.category))
    ahead_scored = index - ahead_unscored
    submitted = formats.date_format(timezone.localtime(application.submitted_at), "DATETIME_FORMAT")
    category = Category(application.category).label
    if not policy.is_scored(application.category):
        reason = _(
            "%(category)s applicants are housed without scoring, before scored applicants, in the order they "
            "applied. You applied at %(time)s; %(ahead)d applicant(s) of the same group applied earlier."
        ) % {"category": category, "time": submitted, "ahead": ahead_unscored}
    else:
        same_score_earlier = sum(
            1 for a in ahead if policy.is_scored(a.category) and a.score == application.score
        )
        reason = _(
            "%(category)s applicants are ranked by score after those housed without scoring (%(unscored)d ahead "
            "of you). Your score is %(score)d; %(higher)d applicant(s) scored higher and %(tied)d with the same "
            "score applied before you (%(time)s)."
        ) % {
            "category": category,
            "unscored": ahead_unscored,
            "score": application.score,
            "higher": ahead_scored - same_score_earlier,
            "tied": same_score_earlier,
            "time": submitted,
        }
    return Standing(index + 1, len(queue), ahead_unscored, ahead_scored, reason)
