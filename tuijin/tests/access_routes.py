"""Sample URL parameters for every named route, drawn from the access world (tests/access_world.py).

A route missing here fails the completeness test: a new page must say who may use it."""

from __future__ import annotations

import uuid

from tuijin.assessment.models import Adjustment, Indicator, ManualScore, Round, Scheme
from tuijin.notifications.models import Notification
from tuijin.supervision.models import Order

NOWHERE = uuid.UUID(int=0)


def _order(w):
    return Order.objects.filter(task=w.objects["task"]).first() or Order.objects.order_by("pk").first()


def _round(w):
    return Round.objects.order_by("pk").first()


def _scheme(w):
    return _round(w).scheme if _round(w) else Scheme.objects.order_by("pk").first()


def _notification(w):
    return Notification.objects.filter(user=w.users["supervisor"]).order_by("pk").first()


def _manual_or_adjustment(w):
    manual = ManualScore.objects.filter(scheme=_scheme(w)).first()
    if manual:
        return {"code": _scheme(w).code, "kind": "manual", "entry_code": manual.code}
    adj = Adjustment.objects.filter(scheme=_scheme(w)).first()
    return {"code": _scheme(w).code, "kind": "adjustment", "entry_code": adj.code if adj else NOWHERE}


# name → function(world) → URL kwargs
KWARGS = {
    "unit_edit": lambda w: {"code": w.objects["unit"].code},
    "unit_set_active": lambda w: {"code": w.objects["unit"].code},
    "unit_liaison": lambda w: {"code": w.objects["unit"].code},
    "user_detail": lambda w: {"code": w.users["lead"].code},
    "user_roles": lambda w: {"code": w.users["lead"].code},
    "user_reset_password": lambda w: {"code": w.users["lead"].code},
    "user_set_active": lambda w: {"code": w.users["lead"].code},
    "plan_detail": lambda w: {"code": w.objects["plan"].code},
    "plan_edit": lambda w: {"code": w.objects["plan"].code},
    "plan_reporting": lambda w: {"code": w.objects["plan"].code},
    "task_create": lambda w: {"plan_code": w.objects["plan"].code},
    "task_edit": lambda w: {"plan_code": w.objects["plan"].code, "code": w.objects["task"].code},
    "task_detail": lambda w: {"code": w.objects["task"].code},
    "report_create": lambda w: {"code": w.objects["task"].code},
    "task_action": lambda w: {"code": w.objects["task"].code, "action": "acknowledge"},
    "evidence_file": lambda w: {"code": w.objects["evidence"].code},
    "evidence_thumb": lambda w: {"code": w.objects["evidence"].code},
    "plan_import": lambda w: {"code": w.objects["plan"].code},
    "import_preview": lambda w: {"token": "no-such-import"},
    "import_columns": lambda w: {"token": "no-such-import"},
    "import_confirm": lambda w: {"token": "no-such-import"},
    "import_cancel": lambda w: {"token": "no-such-import"},
    "plan_export_xlsx": lambda w: {"code": w.objects["plan"].code},
    "plan_export_csv": lambda w: {"code": w.objects["plan"].code},
    "notification_read": lambda w: {"pk": _notification(w).pk},
    "notification_open": lambda w: {"pk": _notification(w).pk},
    "notification_test": lambda w: {"channel": "email"},
    "order_detail": lambda w: {"code": _order(w).code},
    "order_docx": lambda w: {"code": _order(w).code},
    "order_action": lambda w: {"code": _order(w).code, "action": "respond"},
    "order_issue": lambda w: {"task_code": w.objects["task"].code},
    "plan_policy": lambda w: {"code": w.objects["plan"].code},
    "scheme_detail": lambda w: {"code": _scheme(w).code},
    "scheme_edit": lambda w: {"code": _scheme(w).code},
    "scheme_compute": lambda w: {"code": _scheme(w).code},
    "indicator_create": lambda w: {"code": _scheme(w).code},
    "indicator_edit": lambda w: {
        "code": _scheme(w).code,
        "indicator_code": Indicator.objects.filter(scheme=_scheme(w)).first().code,
    },
    "indicator_delete": lambda w: {
        "code": _scheme(w).code,
        "indicator_code": Indicator.objects.filter(scheme=_scheme(w)).first().code,
    },
    "manual_scores": lambda w: {"code": _scheme(w).code},
    "adjustments": lambda w: {"code": _scheme(w).code},
    "entry_delete": _manual_or_adjustment,
    "manual_evidence": lambda w: {"code": (ManualScore.objects.first().code if ManualScore.objects.exists() else NOWHERE)},
    "round_detail": lambda w: {"code": _round(w).code},
    "round_circular_docx": lambda w: {"code": _round(w).code},
    "round_scores_xlsx": lambda w: {"code": _round(w).code},
    "score_detail": lambda w: {"code": _round(w).code, "unit_code": w.objects["unit"].code},
    "round_action": lambda w: {"code": _round(w).code, "action": "review"},
    "cockpit_list": lambda w: {"metric": "open"},
}
