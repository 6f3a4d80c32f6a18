"""Access-control matrix entries for the servicedesk app: URL kwargs for each route and who may use it.

Merged into tests/access_routes.py (KWARGS) and tests/test_access_matrix.py (MATRIX).

The sample request is the demo's reopened request routed to the lead persona's unit (中原科技城管委会), raised by
the demo's enterprise login `qiye`; the matrix's "applicant" persona is another applicant, linked to no
enterprise, so the portal answers it with a page that says so and refuses it everything else."""

from __future__ import annotations

READERS = {"supervisor", "leader"}
UNITS = {"lead", "support", "outsider", "community"}
STAFF = READERS | UNITS
SUP = {"supervisor"}


def _request(world):
    from tuijin.servicedesk.models import ServiceRequest

    return (ServiceRequest.objects.filter(unit=world.objects["unit"], state="reopened").order_by("pk").first()
            or ServiceRequest.objects.filter(unit=world.objects["unit"]).order_by("pk").first())  # fmt: skip


def _attachment(world):
    from tuijin.servicedesk.models import Attachment

    return Attachment.objects.filter(request__unit=world.objects["unit"]).order_by("pk").first()


def _category(world):
    from tuijin.servicedesk.models import Category

    return Category.objects.order_by("pk").first()


KWARGS: dict = {  # route name → function(world) → URL kwargs
    "servicedesk_detail": lambda w: {"code": _request(w).code},
    "servicedesk_action": lambda w: {"code": _request(w).code, "action": "acknowledge"},
    "servicedesk_attachment": lambda w: {"code": _attachment(w).code},
    "servicedesk_portal_detail": lambda w: {"code": _request(w).code},
    "servicedesk_portal_rate": lambda w: {"code": _request(w).code},
    "servicedesk_category_edit": lambda w: {"code": _category(w).code},
}
MATRIX: dict = {  # route name → set of personas (see access_world.PERSONAS), or "public"
    "servicedesk_list": STAFF,  # filtered: a unit sees the requests routed to it
    "servicedesk_inbox": UNITS,
    "servicedesk_create": SUP | UNITS,
    "servicedesk_export": STAFF,
    "servicedesk_detail": READERS | {"lead"},  # the sample is routed to the lead's unit
    "servicedesk_action": {"lead"},  # acknowledge: the unit it is routed to
    "servicedesk_attachment": READERS | {"lead"},
    "servicedesk_import": SUP,
    "servicedesk_import_template": SUP,
    "servicedesk_settings": SUP,
    "servicedesk_category_create": SUP,
    "servicedesk_category_edit": SUP,
    "servicedesk_accounts": SUP,
    "servicedesk_portal": {"applicant"},  # an applicant without an enterprise is told to ask for a link
    "servicedesk_portal_create": set(),  # only applicants linked to an enterprise (the demo's `qiye`)
    "servicedesk_portal_detail": set(),  # the sample belongs to qiye's enterprise
    "servicedesk_portal_rate": set(),
}
