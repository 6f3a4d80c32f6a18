"""Who sees and does what in 双报到. Views, the API and exports all ask here.

- The supervision office (here in the organisation department's place) and city leaders read everything;
  only the office administers communities, volunteer posts and 办实事 lists. Leaders never change anything.
- A unit user is a party member of that unit: they see their unit's registrations, members and records, and
  register, claim and log service themselves.
- A community's staff are unit users of the community's own account unit (kind "other"): they see what is
  registered with their community, accept or return it, publish needs and confirm service.
- The 三员 (and any other role) see nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from tuijin.org.models import Role

from .models import (
    Community,
    MemberRegistration,
    Need,
    Registration,
    RegistrationState,
    ServiceRecord,
)


@dataclass(frozen=True)
class Scope:
    reads_all: bool
    is_supervisor: bool
    units: frozenset[int]  # the user's own units (employers), community account units excluded
    communities: frozenset[int]  # communities whose staff the user is

    @property
    def enters(self) -> bool:
        return self.reads_all or bool(self.units) or bool(self.communities)

    @property
    def is_member(self) -> bool:
        return bool(self.units)


NOBODY = Scope(False, False, frozenset(), frozenset())


def scope_of(user) -> Scope:
    """The user's standing here, worked out once per request (kept on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return NOBODY
    cached = getattr(user, "_party_scope", None)
    if cached is not None:
        return cached
    unit_ids = user.unit_ids(Role.UNIT)
    communities = dict(Community.objects.filter(unit_id__in=unit_ids).values_list("pk", "unit_id"))
    scope = Scope(
        reads_all=user.has_role(Role.SUPERVISOR, Role.LEADER),
        is_supervisor=user.has_role(Role.SUPERVISOR),
        units=frozenset(unit_ids - set(communities.values())),
        communities=frozenset(communities),
    )
    user._party_scope = scope
    return scope


def require_entry(user) -> Scope:
    scope = scope_of(user)
    if not scope.enters:
        raise PermissionDenied
    return scope


def require_supervisor(user) -> Scope:
    scope = scope_of(user)
    if not scope.is_supervisor:
        raise PermissionDenied
    return scope


def require_member(user) -> Scope:
    scope = scope_of(user)
    if not scope.is_member:
        raise PermissionDenied
    return scope


def require_community_staff(user) -> Scope:
    scope = scope_of(user)
    if not scope.communities:
        raise PermissionDenied
    return scope


# ——— what each may see ———


def visible_registrations(user) -> QuerySet[Registration]:
    scope = scope_of(user)
    qs = Registration.objects.all()
    if scope.reads_all:
        return qs
    return qs.filter(Q(unit_id__in=scope.units) | Q(community_id__in=scope.communities))


def visible_member_registrations(user) -> QuerySet[MemberRegistration]:
    scope = scope_of(user)
    qs = MemberRegistration.objects.all()
    if scope.reads_all:
        return qs
    return qs.filter(Q(member=user) | Q(unit_id__in=scope.units) | Q(community_id__in=scope.communities))


def visible_records(user) -> QuerySet[ServiceRecord]:
    scope = scope_of(user)
    qs = ServiceRecord.objects.all()
    if scope.reads_all:
        return qs
    return qs.filter(Q(member=user) | Q(unit_id__in=scope.units) | Q(community_id__in=scope.communities))


def serving_community_ids(user) -> set[int]:
    """Communities where this member may claim needs and log service: where they registered and were accepted,
    and where one of their units is registered and accepted."""
    scope = scope_of(user)
    if not scope.units:
        return set()
    mine = MemberRegistration.objects.filter(member=user, state=RegistrationState.ACCEPTED).values_list(
        "community_id", flat=True
    )
    units = Registration.objects.filter(
        unit_id__in=scope.units, state=RegistrationState.ACCEPTED
    ).values_list("community_id", flat=True)
    return set(mine) | set(units)


def visible_needs(user) -> QuerySet[Need]:
    scope = scope_of(user)
    qs = Need.objects.all()
    if scope.reads_all:
        return qs
    claimed = Q(claims__member=user)
    return qs.filter(
        Q(community_id__in=scope.communities) | Q(community_id__in=serving_community_ids(user)) | claimed
    ).distinct()


def order_open_first(needs: QuerySet[Need]) -> QuerySet[Need]:
    open_first = Case(
        When(state=Need.State.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return needs.order_by(open_first, "needed_on", "id")


def get_visible(queryset: QuerySet, code):
    """The object with this public code if it is in the user's view, else 404 (never 403: no existence leak)."""
    try:
        return queryset.get(code=code)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_staff_of(user, community_id: int) -> bool:
    return community_id in scope_of(user).communities


def may_see_unit(user, unit_id: int) -> bool:
    scope = scope_of(user)
    return scope.reads_all or unit_id in scope.units
