"""Access-control matrix entries for the spaces app: URL kwargs for each route and who may use it.

Merged into tests/access_routes.py (KWARGS) and tests/test_access_matrix.py (MATRIX).

Space managers (the demo's `spaces` manages both buildings) review every application and keep their buildings;
supervisors and leaders read the inventory and the aggregates; the applicant persona (the demo's `applicant`)
sees only their own application — the sample — and its documents; everyone else nothing."""

from __future__ import annotations

READERS = {"supervisor", "leader"}
MANAGER = {"space_manager"}
STAFF = READERS | MANAGER


def _application(w):
    from tuijin.spaces.models import Application

    return Application.objects.filter(applicant=w.users["applicant"]).order_by("pk").first()


def _space(w):
    from tuijin.spaces.models import SpacePhoto

    return SpacePhoto.objects.order_by("pk").first().space


def _photo(w):
    from tuijin.spaces.models import SpacePhoto

    return SpacePhoto.objects.order_by("pk").first()


def _document(w):
    return _application(w).documents.order_by("pk").first()


def _lease(w):
    """A current lease of someone who is none of the personas."""
    from tuijin.spaces.models import Lease

    return Lease.objects.filter(state=Lease.State.ACTIVE).order_by("pk").first()


def _policy(w):
    from tuijin.spaces.models import Policy

    return Policy.objects.get(kind="apartment")


def _code(getter):
    return lambda w: {"code": getter(w).code}


# route name → function(world) → URL kwargs
KWARGS: dict = {
    "spaces_policy_edit": lambda w: {"code": _policy(w).code},
    "spaces_building_edit": lambda w: {"code": _space(w).building.code},
    "spaces_space_detail": _code(_space),
    "spaces_space_edit": _code(_space),
    "spaces_space_photo_add": _code(_space),
    "spaces_photo": _code(_photo),
    "spaces_apply": lambda w: {"kind": "apartment"},
    "spaces_application": _code(_application),
    "spaces_application_withdraw": _code(_application),
    "spaces_document": _code(_document),
    "spaces_application_review": lambda w: {"code": _application(w).code, "step": "first"},
    "spaces_application_objection": _code(_application),
    "spaces_allocate": _code(_application),
    "spaces_queue": lambda w: {"kind": "apartment"},
    "spaces_lease_detail": _code(_lease),
    "spaces_lease_check_in": _code(_lease),
    "spaces_lease_check_out": _code(_lease),
    "spaces_lease_notice": _code(_lease),
    "spaces_lease_renew": _code(_lease),
    "spaces_lease_payment": _code(_lease),
}

# route name → set of personas (see access_world.PERSONAS), or "public"
MATRIX: dict = {
    "spaces_home": STAFF | {"applicant"},  # an applicant is sent on to their portal
    "spaces_dashboard_xlsx": STAFF,
    "spaces_policy_list": STAFF,
    "spaces_policy_edit": MANAGER,
    "spaces_space_list": STAFF,
    "spaces_building_list": STAFF,
    "spaces_building_create": MANAGER,
    "spaces_building_edit": MANAGER,
    "spaces_space_create": MANAGER,
    "spaces_space_detail": STAFF,
    "spaces_space_edit": MANAGER,
    "spaces_space_photo_add": MANAGER,
    "spaces_photo": STAFF,  # and the tenant of the space, who is none of the personas
    "spaces_portal": {"applicant"},
    "spaces_apply": {"applicant"},
    "spaces_application": MANAGER | {"applicant"},  # the sample is the applicant persona's own
    "spaces_application_withdraw": {"applicant"},
    "spaces_document": MANAGER | {"applicant"},
    "spaces_application_list": MANAGER,
    "spaces_application_review": MANAGER,
    "spaces_application_objection": MANAGER,
    "spaces_allocate": MANAGER,
    "spaces_queue": MANAGER,
    "spaces_lease_list": MANAGER,
    "spaces_lease_detail": MANAGER,  # the tenant is none of the personas
    "spaces_lease_check_in": MANAGER,
    "spaces_lease_check_out": MANAGER,
    "spaces_lease_notice": MANAGER,
    "spaces_lease_renew": MANAGER,
    "spaces_lease_payment": MANAGER,
}
