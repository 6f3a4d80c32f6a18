"""Who may do what with service requests. Pages and API share these rules.

- Supervisors (督查室) see and supervise every request; leaders read every request.
- A unit user sees the requests routed to their units and handles them (acknowledge, transfer, extension, reply).
- An enterprise account (an applicant login linked to an enterprise) sees and rates its own enterprise's requests.
- The 三员 and every other role see nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tuijin.org.models import Role

from .models import EnterpriseAccount, ServiceRequest


def is_staff_reader(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT)


def require_staff(user) -> None:
    if not is_staff_reader(user):
        raise PermissionDenied


def require_supervisor(user) -> None:
    if not (user.is_authenticated and user.is_supervisor):
        raise PermissionDenied


def enterprise_account(user) -> EnterpriseAccount | None:
    if not (user.is_authenticated and user.has_role(Role.APPLICANT)):
        return None
    cached = getattr(user, "_servicedesk_account", False)
    if cached is False:
        cached = EnterpriseAccount.objects.select_related("enterprise").filter(user=user).first()
        user._servicedesk_account = cached
    return cached


def can_raise(user) -> bool:
    return user.is_authenticated and (
        user.is_supervisor or user.has_role(Role.UNIT) or enterprise_account(user) is not None
    )


def handles(user, request: ServiceRequest) -> bool:
    """A user of the unit the request is routed to."""
    return user.is_authenticated and request.unit_id in user.unit_ids(Role.UNIT)


def speaks_for(user, request: ServiceRequest) -> bool:
    account = enterprise_account(user)
    return account is not None and account.enterprise_id == request.enterprise_id


def get_visible(user, code) -> ServiceRequest:
    """The request if the user may see it; 404 otherwise (a request out of sight does not exist for them)."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(ServiceRequest.objects.visible_to(user).for_list(), code=code)
