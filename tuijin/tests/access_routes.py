"""Sample URL parameters for every named route, drawn from the access world (tests/access_world.py).

A route missing here fails the completeness test: a new page must say who may use it."""

from __future__ import annotations

import uuid

from tuijin.assessment.models import Adjustment, Indicator, ManualScore, Round, Scheme
from tuijin.notifications.models import Notification
from tuijin.supervision.models import Order

NOWHERE = uuid.UUID(int=0)


def _liaison_unit(w):
    """A unit with a liaison officer that none of the personas works in or is."""
    from tuijin.org.models import Liaison

    mine = set().union(*(u.unit_ids() for u in w.users.values() if u))
    people = [u.pk for u in w.users.values() if u]
    return Liaison.objects.exclude(unit__in=mine).exclude(user__in=people).order_by("pk").first().unit


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
    "security_user_unlock": lambda w: {"code": w.users["lead"].code},
    "security_user_two_factor_reset": lambda w: {"code": w.users["lead"].code},
    "personal_data_reveal": lambda w: {"key": "org.liaison.phone", "code": _liaison_unit(w).code},
}


# ——— reviews (述职评议): the published round P, the open round O ———


def _review(status: str):
    from tuijin.reviews.models import Review

    return Review.objects.filter(status=status).order_by("pk").first()


def _review_subject(w):
    review = _review("published")
    return review.subjects.filter(unit=w.objects["unit"]).first() or review.subjects.order_by("pk").first()


def _review_group(w):
    return _review("published").groups.order_by("pk").first()


def _p(w):
    return {"code": _review("published").code}


def _p_subject(w):
    return {"code": _review("published").code, "subject_code": _review_subject(w).code}


def _p_group(w):
    return {"code": _review("published").code, "group_code": _review_group(w).code}


KWARGS.update(
    {
        "reviews_round_detail": _p,
        "reviews_round_edit": _p,
        "reviews_round_rules": _p,
        "reviews_ballot": lambda w: {"code": _review("open").code},
        "reviews_results_xlsx": _p,
        "reviews_results_docx": _p,
        "reviews_subject_create": _p,
        "reviews_subject_edit": _p_subject,
        "reviews_subject_delete": _p_subject,
        "reviews_subject_report": _p_subject,
        "reviews_group_raters": _p_group,
        "reviews_group_codes": _p_group,
        "reviews_group_codes_withdraw": _p_group,
        "reviews_group_counting": _p_group,
        "reviews_group_paper": _p_group,
        "reviews_round_action": lambda w: {"code": _review("published").code, "action": "close"},
    }
)


# ——— events (活动筹备) ———


def _programme():
    from tuijin.events.models import Programme

    return Programme.objects.order_by("pk").first()


def _activity():
    from tuijin.events.models import Activity

    return Activity.objects.filter(programme=_programme(), is_main=True).first()


def _check_item():
    from tuijin.events.models import ChecklistItem

    return ChecklistItem.objects.filter(activity=_activity()).order_by("pk").first()


def _template_code():
    from tuijin.events.models import PrepTemplate

    return PrepTemplate.objects.order_by("pk").first().code


def _template_item_code():
    from tuijin.events.models import PrepTemplateItem

    return PrepTemplateItem.objects.order_by("pk").first().code


KWARGS.update(
    {
        **{
            name: (lambda w: {"code": _programme().code})
            for name in ("events_programme_detail", "events_programme_edit", "events_run_sheet",
                         "events_run_sheet_docx", "events_run_sheet_xlsx")  # fmt: skip
        },
        "events_activity_create": lambda w: {"programme_code": _programme().code},
        **{
            name: (lambda w: {"code": _activity().code})
            for name in ("events_activity_detail", "events_activity_edit", "events_activity_delete",
                         "events_generate", "events_prep_task_add", "events_prep_task_link",
                         "events_check_add")  # fmt: skip
        },
        **{
            name: (lambda w: {"code": _check_item().code})
            for name in ("events_check_sign", "events_check_undo", "events_check_delete")
        },
        "events_template_detail": lambda w: {"code": _template_code()},
        "events_template_edit": lambda w: {"code": _template_code()},
        "events_template_item_delete": lambda w: {"code": _template_item_code()},
    }
)


# ——— party building (双报到, 办实事) ———


def _party(model_name: str):
    from django.apps import apps

    return apps.get_model("partybuilding", model_name).objects.order_by("pk").first()


def _registration(w):
    """The supporting unit's registration with the community persona's community."""
    from tuijin.partybuilding.models import Registration

    return Registration.objects.filter(unit__in=w.users["support"].unit_ids()).order_by("pk").first()


def _membership(w):
    from tuijin.partybuilding.models import MemberRegistration

    return MemberRegistration.objects.filter(member=w.users["support"]).order_by("pk").first()


def _need(w):
    from tuijin.partybuilding.models import Need

    return Need.objects.filter(community=_registration(w).community).order_by("pk").first()


def _service_record(w):
    from tuijin.partybuilding.models import ServiceRecord

    return ServiceRecord.objects.filter(community=_registration(w).community).order_by("pk").first()


def _practical_plan():
    return _party("PracticalList").plan


def _public_update():
    return _party("PublicUpdate")


KWARGS.update(
    {
        "party_community_edit": lambda w: {"code": _party("Community").code},
        "party_registration_detail": lambda w: {"code": _registration(w).code},
        "party_registration_edit": lambda w: {"code": _registration(w).code},
        "party_registration_decide": lambda w: {"code": _registration(w).code},
        "party_member_detail": lambda w: {"code": _membership(w).code},
        "party_member_edit": lambda w: {"code": _membership(w).code},
        "party_member_decide": lambda w: {"code": _membership(w).code},
        "party_member_withdraw": lambda w: {"code": _membership(w).code},
        "party_need_detail": lambda w: {"code": _need(w).code},
        "party_need_edit": lambda w: {"code": _need(w).code},
        "party_need_action": lambda w: {"code": _need(w).code, "action": "claim"},
        "party_record_decide": lambda w: {"code": _service_record(w).code},
        "party_feedback": lambda w: {"unit_code": w.objects["unit"].code, "period": "2026-Q1"},
        "party_feedback_xlsx": lambda w: {"unit_code": w.objects["unit"].code, "period": "2026-Q1"},
        "party_summary_xlsx": lambda w: {"year": 2026},
        "party_practical_public": lambda w: {"code": _practical_plan().code},
        "party_practical_manage": lambda w: {"code": _practical_plan().code},
        "party_practical_settings": lambda w: {"code": _practical_plan().code},
        "party_public_update_create": lambda w: {"task_code": _practical_plan().tasks.order_by("pk").first().code},
        "party_public_update_action": lambda w: {"code": _public_update().code, "action": "publish"},
    }
)


# ——— investment pipeline (项目招商): a project in the lead persona's sector that can still move on ———


def _project(w):
    from tuijin.investment.models import Project, Stage

    return (
        Project.objects.filter(sector=w.objects["unit"])
        .exclude(stage__in=[Stage.OPERATING, Stage.DROPPED])
        .order_by("pk")
        .first()
    )


def _enterprise(w):
    return _project(w).enterprise


def _contact(w):
    from tuijin.investment.models import Contact

    return Contact.objects.filter(enterprise=_enterprise(w)).order_by("pk").first() or Contact.objects.order_by(
        "pk"
    ).first()


def _inv(model_name: str):
    from django.apps import apps

    return apps.get_model("investment", model_name).objects.order_by("pk").first()


def _bound_task(w):
    from tuijin.investment.models import MeasureBinding

    return MeasureBinding.objects.order_by("pk").first().task


KWARGS.update(
    {
        **{
            name: (lambda w: {"code": _project(w).code})
            for name in ("investment_project_detail", "investment_project_edit", "investment_project_move",
                         "investment_project_sign_again", "investment_project_follow_up")  # fmt: skip
        },
        "investment_enterprise_detail": lambda w: {"code": _enterprise(w).code},
        "investment_enterprise_edit": lambda w: {"code": _enterprise(w).code},
        "investment_contact_create": lambda w: {"code": _enterprise(w).code},
        "investment_contact_edit": lambda w: {"code": _contact(w).enterprise.code, "contact_code": _contact(w).code},
        "investment_contact_delete": lambda w: {
            "code": _contact(w).enterprise.code,
            "contact_code": _contact(w).code,
        },
        "investment_category_edit": lambda w: {"code": _inv("ProjectCategory").code},
        "investment_firm_edit": lambda w: {"code": _inv("VentureFirm").code},
        "investment_fund_create": lambda w: {"code": _inv("VentureFirm").code},
        "investment_policy_edit": lambda w: {"code": getattr(_inv("Policy"), "code", NOWHERE)},
        "investment_measure_form": lambda w: {"task_code": _bound_task(w).code},
        "investment_measure_unbind": lambda w: {"task_code": _bound_task(w).code},
        "investment_import_template": lambda w: {"kind": "projects"},
        "investment_import_preview": lambda w: {"token": "no-such-import"},
        "investment_import_confirm": lambda w: {"token": "no-such-import"},
        "investment_import_cancel": lambda w: {"token": "no-such-import"},
    }
)


def _merge_app_routes() -> None:
    from . import access_coordination, access_servicedesk, access_spaces

    for module in (access_spaces, access_coordination, access_servicedesk):
        KWARGS.update(module.KWARGS)


_merge_app_routes()
