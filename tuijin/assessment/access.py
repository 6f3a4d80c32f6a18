"""Who sees what of an assessment.

- The supervision office sees and changes everything; leaders read everything and change nothing.
- Unit users see the full ranking of published rounds; of a round not yet published they see only their own
  units' scores (no rank, nobody else's). They open score details of their own units only, since the records
  behind other units' scores are tasks they may not see.
- Everyone else (三员, applicants, raters…) has no business here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from tuijin.org.models import Role

from .models import Result, Round


def reads_all(user) -> bool:
    return user.has_role(Role.SUPERVISOR, Role.LEADER)


def require_reader(user) -> None:
    if not user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT):
        raise PermissionDenied


def require_supervisor(user) -> None:
    if not user.is_supervisor:
        raise PermissionDenied


def visible_rounds(user):
    require_reader(user)
    rounds = Round.objects.all()
    if reads_all(user):
        return rounds
    own = Result.objects.filter(unit_id__in=user.unit_ids()).values("round_id")
    return rounds.filter(Q(state=Round.State.PUBLISHED) | Q(pk__in=own))


@dataclass(frozen=True)
class RoundAccess:
    full: bool  # the whole ranking and every unit's row
    own_units: frozenset[int]
    can_act: bool  # review, publish, recompute

    def sees_unit(self, unit_id: int, reads_all_: bool) -> bool:
        return reads_all_ or unit_id in self.own_units


def get_round(user, code) -> tuple[Round, RoundAccess]:
    """The round with what the user may see of it; 404 when they may see nothing."""
    require_reader(user)
    round_ = get_object_or_404(Round.objects.select_related("scheme", "published_by"), code=code)
    own = frozenset(user.unit_ids())
    if reads_all(user):
        return round_, RoundAccess(full=True, own_units=own, can_act=user.is_supervisor)
    if round_.is_published:
        return round_, RoundAccess(full=True, own_units=own, can_act=False)
    if not Result.objects.filter(round=round_, unit_id__in=own).exists():
        raise Http404
    return round_, RoundAccess(full=False, own_units=own, can_act=False)


def may_see_unit_scores(user, unit_id: int) -> bool:
    return reads_all(user) or unit_id in user.unit_ids()
