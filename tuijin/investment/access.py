"""Who may see and change what in the investment pipeline. Views, the API and the measures all ask here.

- Supervisors and leaders read every project and enterprise; nobody else reads a project out of their scope.
- Investment officers (role `investment`): tied to a sector (a unit of kind SECTOR) they see and keep that
  sector's projects; with no unit, or a unit that is not a sector (市投资促进中心, 市商务局), they work city-wide and
  see and keep every project; in both cases also the projects they are the officer of or serve in the service
  team of. They create enterprises and projects and keep the registries
  (categories, venture-capital firms, policies).
- Unit users of a sector (role `unit` in a unit of kind SECTOR) read their sector's projects, read-only.
- Everyone else — 三员, applicants, raters, space managers, unit users of departments — sees nothing (403).
- Binding a task's measure to the pipeline is the supervision office's (it owns the plans).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tuijin.org.models import Role, Unit, UnitKind

from .models import Enterprise, Project, investment_scope


def _sector_unit_ids(user) -> set[int]:
    cache = getattr(user, "_investment_sector_units", None)
    if cache is None:
        ids = user.unit_ids(Role.UNIT)
        cache = (
            set(Unit.objects.filter(pk__in=ids, kind=UnitKind.SECTOR).values_list("pk", flat=True))
            if ids
            else set()
        )
        user._investment_sector_units = cache
    return cache


def is_city_wide_officer(user) -> bool:
    return investment_scope(user)[0]


def can_use_pipeline(user) -> bool:
    """Whether the pipeline pages open at all for this user."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_role(Role.SUPERVISOR, Role.LEADER, Role.INVESTMENT):
        return True
    return bool(_sector_unit_ids(user))


def require_pipeline(user) -> None:
    if not can_use_pipeline(user):
        raise PermissionDenied


def is_officer(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(Role.INVESTMENT)


def can_edit_project(user, project: Project) -> bool:
    """Investment officers keep the projects in their scope; everyone else reads."""
    if not is_officer(user):
        return False
    if is_city_wide_officer(user) or project.sector_id in investment_scope(user)[1]:
        return True
    if project.officer_id == user.pk:
        return True
    return project.service_team.filter(pk=user.pk).exists()


def require_edit(user, project: Project) -> None:
    if not can_edit_project(user, project):
        raise PermissionDenied


def sectors_for(user):
    """The sectors a user may file new projects in."""
    sectors = Unit.objects.active().filter(kind=UnitKind.SECTOR)
    if is_city_wide_officer(user):
        return sectors
    return sectors.filter(pk__in=investment_scope(user)[1])


def can_manage_registries(user) -> bool:
    """Categories, venture-capital firms and funds, policies."""
    return getattr(user, "is_authenticated", False) and (user.is_supervisor or is_officer(user))


def can_bind_measures(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_supervisor


def sees_all(user) -> bool:
    return user.has_role(Role.SUPERVISOR, Role.LEADER) or is_city_wide_officer(user)


def get_visible_project(user, code) -> Project:
    """The project with this public code if the user may see it, else 404 (never 403: no existence leak)."""
    require_pipeline(user)
    try:
        return Project.objects.visible_to(user).for_list().get(code=code)
    except (Project.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def enterprises_visible_to(user):
    """Every enterprise for those who see every project and for investment officers (who must find duplicates);
    for the others, the enterprises of the projects they see."""
    if not can_use_pipeline(user):
        return Enterprise.objects.none()
    if sees_all(user) or is_officer(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(pk__in=Project.objects.visible_to(user).values("enterprise_id"))


def get_visible_enterprise(user, code) -> Enterprise:
    require_pipeline(user)
    try:
        return enterprises_visible_to(user).get(code=code)
    except (Enterprise.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
