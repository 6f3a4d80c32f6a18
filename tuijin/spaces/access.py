"""Who sees what of the spaces: space managers their buildings (and every application, which they review);
applicants only their own applications and leases; supervisors and leaders the inventory and the aggregates;
everyone else — unit users, investment officers, raters and the 三员 — nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from tuijin.org.models import Role

from .models import Application, ApplicationDocument, Lease, Space


@dataclass(frozen=True)
class Scope:
    user: object
    is_manager: bool = False
    is_applicant: bool = False
    reads_all: bool = False  # supervisors and leaders: inventory and aggregates, never applicants' files
    building_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.is_manager or self.reads_all


def scope_of(user) -> Scope:
    cached = getattr(user, "_spaces_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        return Scope(user=user)
    is_manager = user.has_role(Role.SPACE_MANAGER)
    scope = Scope(
        user=user,
        is_manager=is_manager,
        is_applicant=user.has_role(Role.APPLICANT),
        reads_all=user.has_role(Role.SUPERVISOR, Role.LEADER),
        building_ids=frozenset(user.managed_buildings.values_list("pk", flat=True))
        if is_manager
        else frozenset(),
    )
    user._spaces_scope = scope
    return scope


def require_staff(user) -> Scope:
    scope = scope_of(user)
    if not scope.is_staff:
        raise PermissionDenied
    return scope


def require_manager(user) -> Scope:
    scope = scope_of(user)
    if not scope.is_manager:
        raise PermissionDenied
    return scope


def require_applicant(user) -> Scope:
    scope = scope_of(user)
    if not scope.is_applicant:
        raise PermissionDenied
    return scope


def visible_spaces(user) -> QuerySet[Space]:
    scope = scope_of(user)
    if scope.reads_all:
        return Space.objects.all()
    if scope.is_manager:
        return Space.objects.filter(building__in=scope.building_ids)
    return Space.objects.none()


def managed_spaces(user) -> QuerySet[Space]:
    scope = scope_of(user)
    return Space.objects.filter(building__in=scope.building_ids) if scope.is_manager else Space.objects.none()


def visible_applications(user) -> QuerySet[Application]:
    scope = scope_of(user)
    if scope.is_manager:
        return Application.objects.all()
    if scope.is_applicant:
        return Application.objects.filter(applicant=user)
    return Application.objects.none()


def visible_documents(user) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(application__in=visible_applications(user))


def visible_leases(user) -> QuerySet[Lease]:
    scope = scope_of(user)
    if scope.is_manager:
        return Lease.objects.filter(space__building__in=scope.building_ids)
    if scope.is_applicant:
        return Lease.objects.filter(tenant=user)
    return Lease.objects.none()


def manages_lease(user, lease: Lease) -> bool:
    return lease.space.building_id in scope_of(user).building_ids


def may_see_photos(user, space: Space) -> bool:
    scope = scope_of(user)
    if scope.reads_all or space.building_id in scope.building_ids:
        return True
    # a tenant sees the photos of the space let to them
    return scope.is_applicant and Lease.objects.filter(space=space, tenant=user).exists()
