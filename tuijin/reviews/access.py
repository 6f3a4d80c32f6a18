"""Who sees what of a 述职评议 round.

- The supervision office organises rounds: sees and changes everything; sees results once voting has closed.
- City leaders, and unit users whose unit has an organisation under review, see published results only.
- Raters see their ballot sheets only — never results, unless another role of theirs allows it.
- Voting-code holders are not signed in: they see one ballot sheet, through a valid unused code.
- The 三员 and every other role see nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from tuijin.org.models import Role

from .models import Rater, Review, Subject

READERS = (Role.SUPERVISOR, Role.LEADER, Role.UNIT)


def require_supervisor(user) -> None:
    if not user.is_supervisor:
        raise PermissionDenied


def require_reader(user) -> None:
    if not user.has_role(*READERS):
        raise PermissionDenied


def require_rater(user) -> None:
    if not user.has_role(Role.RATER):
        raise PermissionDenied


def visible_reviews(user):
    """Rounds whose page the user may open: all for the office, published ones for leaders and subjects' units."""
    rounds = Review.objects.all()
    if user.is_supervisor:
        return rounds
    published = Q(status=Review.Status.PUBLISHED)
    if user.has_role(Role.LEADER):
        return rounds.filter(published)
    if user.has_role(Role.UNIT):
        own = Subject.objects.filter(review=OuterRef("pk"), unit_id__in=user.unit_ids(Role.UNIT))
        return rounds.filter(published, Exists(own))
    return rounds.none()


def rater_reviews(user):
    """Rounds the user rates in (from the moment voting opens)."""
    if not user.has_role(Role.RATER):
        return Review.objects.none()
    mine = Rater.objects.filter(review=OuterRef("pk"), user=user)
    return Review.objects.filter(Exists(mine)).exclude(status=Review.Status.DRAFT)


@dataclass(frozen=True)
class ReviewAccess:
    manage: bool  # prepare, run, count and publish
    results: bool  # the tallies, scores and ranking

    @property
    def downloads(self) -> bool:
        return self.results


def get_review(user, code) -> tuple[Review, ReviewAccess]:
    """The round with what the user may do with it; 403 for roles with no business here, 404 when out of sight."""
    require_reader(user)
    try:
        review = visible_reviews(user).select_related("organiser").get(code=code)
    except (Review.DoesNotExist, ValueError):
        raise Http404 from None
    manage = user.is_supervisor
    return review, ReviewAccess(manage=manage, results=review.has_results if manage else review.is_published)


def may_read_report(user, subject: Subject) -> bool:
    """A written report: the office, the subject's own unit, the round's raters once voting opened, and whoever
    sees the published round."""
    review = subject.review
    if user.is_supervisor or subject.unit_id in user.unit_ids(Role.UNIT):
        return True
    if (
        not review.is_draft
        and Rater.objects.filter(review=review, user=user).exists()
        and user.has_role(Role.RATER)
    ):
        return True
    return user.has_role(*READERS) and visible_reviews(user).filter(pk=review.pk).exists()
