"""The access-control matrix (等保 2.0 访问控制): every named route, requested by every persona.

For each route the matrix names who may use it. Everyone else gets 403 or 404 (never the page, never a change),
and an anonymous visitor is sent to sign in unless the route is public. Routes that only accept POST are
posted to, empty, by everyone not allowed — and must leave no audit row behind, i.e. change nothing.
A route missing from the matrix fails `test_it_covers_every_route`: a new page must say who may use it."""

from __future__ import annotations

from django.test import Client, TestCase
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver

from tuijin.core.models import AuditEvent

from . import access_coordination, access_servicedesk, access_spaces
from .access_routes import KWARGS
from .access_world import ADMINS, PERSONAS, SIGNED_IN, STAFF, UNITS, build_world

EVERYONE = set(PERSONAS)
NOBODY: set[str] = set()
SUP = {"supervisor"}
READERS = {"supervisor", "leader"}
TASK_PARTIES = {"supervisor", "leader", "lead", "support"}
UNIT_ADMIN = {"supervisor", "sysadmin"}
ACCOUNTS = {"sysadmin", "secadmin"}
PUBLIC = "public"  # anyone, signed in or not
PIPELINE = {"supervisor", "leader", "lead", "outsider", "investment"}

# route name → the personas who may use it (GET, or POST for POST-only routes)
MATRIX: dict[str, set[str] | str] = {
    # platform
    "home": SIGNED_IN,
    "login": PUBLIC,
    "logout": SIGNED_IN,
    "set_language": PUBLIC,
    "healthz": PUBLIC,
    "calendar": {"supervisor", "sysadmin"},
    "audit_log": {"auditor"},
    "inbox": SIGNED_IN,
    "notifications_read_all": SIGNED_IN,
    "notification_read": SUP,  # the sample notification is the supervisor's own
    "notification_open": SUP,
    "notification_preferences": SIGNED_IN,
    "notification_test": SIGNED_IN,
    # organisation: units by the supervision office and the system administrator; accounts by the 三员
    "unit_list": UNIT_ADMIN,
    "unit_create": UNIT_ADMIN,
    "unit_edit": UNIT_ADMIN,
    "unit_set_active": UNIT_ADMIN,
    "unit_liaison": UNIT_ADMIN,
    "unit_import": UNIT_ADMIN,
    "unit_import_template": UNIT_ADMIN,
    "user_list": ACCOUNTS,
    "user_detail": ACCOUNTS,
    "user_create": {"sysadmin"},
    "user_reset_password": {"sysadmin"},
    "user_set_active": {"sysadmin"},
    "user_roles": {"secadmin"},
    "token_list": SIGNED_IN,  # each person's own tokens
    # plans and tasks
    "plan_list": SIGNED_IN,  # filtered to what each may see; empty for the 三员
    "plan_create": SUP,
    "plan_detail": TASK_PARTIES,  # a plan is seen by the units with tasks in it
    "plan_edit": SUP,
    "plan_reporting": TASK_PARTIES,  # a plan is seen by the units with tasks in it
    "plan_policy": SUP,
    "plan_import": SUP,
    "plan_export_xlsx": TASK_PARTIES,  # a plan is seen by the units with tasks in it
    "plan_export_csv": TASK_PARTIES,  # a plan is seen by the units with tasks in it
    "import_upload": SUP,
    "import_preview": NOBODY,  # the sample token does not exist: 404 for the supervisor, 403 for others
    "import_columns": NOBODY,
    "import_confirm": NOBODY,
    "import_cancel": SUP,  # cancelling an import that is not there is a no-op
    "task_list": SIGNED_IN,  # filtered; empty for people without units
    "task_create": SUP,
    "task_edit": SUP,
    "task_detail": TASK_PARTIES,
    "report_create": {"lead", "support"},
    "task_action": {"lead"},  # acknowledge: the lead unit
    "evidence_file": TASK_PARTIES,
    "evidence_thumb": TASK_PARTIES,
    # supervision
    "warning_board": STAFF,
    "order_list": STAFF,
    "order_detail": READERS,  # the sample order goes to another unit
    "order_docx": READERS,
    "order_action": NOBODY,  # the sample order is not awaiting the lead's answer
    "order_issue": SUP,
    "evidence_checks": STAFF,
    # assessment
    "assessment_home": STAFF,
    "scheme_create": SUP,
    "scheme_detail": STAFF,
    "scheme_edit": SUP,
    "scheme_compute": SUP,
    "indicator_create": SUP,
    "indicator_edit": SUP,
    "indicator_delete": SUP,
    "manual_scores": STAFF,
    "adjustments": STAFF,
    "entry_delete": SUP,
    "manual_evidence": NOBODY,
    "round_detail": STAFF,
    "round_circular_docx": STAFF,
    "round_scores_xlsx": STAFF,
    "score_detail": {"supervisor", "leader", "lead"},  # a unit sees its own score sheet
    "round_action": SUP,
    # cockpit
    "cockpit": STAFF,
    "cockpit_data": STAFF,
    "cockpit_recount": STAFF,
    "cockpit_list": STAFF,
    # security (issue 8): one's own account; the policy, locks and two-factor resets are the secadmin's
    # the sign-in steps after the password: without a pending sign-in they send everyone on (to sign in, or home)
    "security_login_otp": PUBLIC,
    "security_login_enrol": PUBLIC,
    "security_password_change": SIGNED_IN,
    "security_account": SIGNED_IN,
    "security_two_factor_enrol": SIGNED_IN,
    "security_two_factor_disable": SIGNED_IN,
    "security_recovery_codes": SIGNED_IN,
    "security_policy": {"secadmin"},
    "security_lock_release": {"secadmin"},
    "security_user_unlock": {"secadmin"},
    "security_user_two_factor_reset": {"secadmin"},
    "personal_data_reveal": SUP,  # the supervisor may see a liaison officer's phone in full, logged
    # 述职评议: the supervision office organises; raters vote; the published results are read by staff
    "reviews_round_list": STAFF | {"rater"},
    "reviews_vote": PUBLIC,  # with a one-time code handed out at the meeting
    "reviews_round_detail": TASK_PARTIES,  # the organisations reviewed (lead's and support's units) and readers
    "reviews_results_xlsx": TASK_PARTIES,
    "reviews_results_docx": TASK_PARTIES,
    "reviews_subject_report": TASK_PARTIES,
    "reviews_ballot": {"rater"},
    **{
        name: SUP
        for name in ("reviews_round_create", "reviews_round_edit", "reviews_round_rules", "reviews_subject_create",
                     "reviews_subject_edit", "reviews_subject_delete", "reviews_group_raters",
                     "reviews_group_codes", "reviews_group_codes_withdraw", "reviews_group_counting",
                     "reviews_group_paper", "reviews_round_action")  # fmt: skip
    },
    # event programmes: organised by the supervision office; units see the programmes they work on
    "events_programme_list": STAFF,
    **{
        name: READERS
        for name in ("events_programme_detail", "events_run_sheet", "events_run_sheet_docx", "events_run_sheet_xlsx",
                     "events_activity_detail")  # fmt: skip
    },
    "events_check_sign": NOBODY,  # the sample item belongs to a unit none of the personas works in
    **{
        name: SUP
        for name in ("events_programme_create", "events_programme_edit", "events_activity_create",
                     "events_activity_edit", "events_activity_delete", "events_generate", "events_prep_task_add",
                     "events_prep_task_link", "events_check_add", "events_check_undo", "events_check_delete",
                     "events_template_list", "events_template_create", "events_template_standard",
                     "events_template_detail", "events_template_edit", "events_template_item_delete")  # fmt: skip
    },
    # 双报到 and 办实事: units and their members, communities, the organisation office (supervisor)
    "party_home": STAFF,
    "party_community_list": STAFF,
    "party_community_create": SUP,
    "party_community_edit": SUP,
    "party_post_list": SUP,
    "party_registration_list": STAFF,
    "party_registration_create": {"lead", "support", "outsider"},
    "party_registration_detail": READERS | {"support", "community"},  # the sample is the support unit's
    "party_registration_edit": {"support"},
    "party_registration_decide": {"community"},
    "party_member_list": STAFF,
    "party_member_register": {"lead", "support", "outsider"},
    "party_member_detail": READERS | {"support", "community"},  # the sample member is the support persona
    "party_member_edit": {"support"},
    "party_member_decide": {"community"},
    "party_member_withdraw": {"support"},
    "party_need_list": STAFF,
    "party_need_create": {"community"},
    "party_need_detail": READERS | {"support", "community"},  # units registered with the community
    "party_need_edit": {"community"},
    "party_need_action": {"support"},
    "party_record_list": STAFF,
    "party_record_create": {"lead", "support", "outsider"},
    "party_record_decide": {"community"},
    "party_feedback_index": STAFF - {"community"},
    "party_feedback": READERS | {"lead"},  # a unit's own feedback
    "party_feedback_xlsx": READERS | {"lead"},
    "party_summary": READERS,
    "party_summary_xlsx": READERS,
    "party_practical_list": STAFF,
    "party_practical_public": PUBLIC,
    "party_practical_manage": READERS,
    "party_practical_settings": SUP,
    "party_public_update_create": SUP,
    "party_public_update_action": SUP,
    # 项目招商: officers keep the pipeline; supervisors and leaders read it all; a sector's unit users read their
    # sector's projects (lead and outsider work in sectors, support in a department)
    **{
        name: PIPELINE
        for name in ("investment_board", "investment_project_list", "investment_enterprise_list",
                     "investment_policy_list", "investment_firm_list", "investment_category_list",
                     "investment_category_edit", "investment_analytics", "investment_analytics_batches",
                     "investment_export_projects", "investment_export_enterprises", "investment_import_upload",
                     "investment_import_template")  # fmt: skip
    },
    "investment_analytics_projects": NOBODY,  # without the figure to drill into (query string): 404
    "investment_project_detail": READERS | {"lead", "investment"},  # the sample is in the lead's sector
    "investment_enterprise_detail": READERS | {"lead", "investment"},
    **{
        name: {"investment"}
        for name in ("investment_project_create", "investment_project_edit", "investment_project_move",
                     "investment_project_sign_again", "investment_project_follow_up",
                     "investment_enterprise_create", "investment_enterprise_edit", "investment_contact_create",
                     "investment_contact_edit", "investment_contact_delete")  # fmt: skip
    },
    "investment_firm_edit": {"supervisor", "investment"},
    "investment_fund_create": {"supervisor", "investment"},
    "investment_policy_create": {"supervisor", "investment"},
    "investment_policy_edit": NOBODY,  # the demo has no policy record: 404
    "investment_measure_form": SUP,
    "investment_measure_unbind": SUP,
    "investment_import_preview": NOBODY,  # the sample token does not exist
    "investment_import_confirm": NOBODY,
    "investment_import_cancel": {"investment"},  # cancelling an import that is not there is a no-op
}
for _module in (access_spaces, access_coordination, access_servicedesk):
    MATRIX.update({name: (PUBLIC if allowed == "public" else allowed) for name, allowed in _module.MATRIX.items()})

DENIED = {403, 404}


def route_names() -> set[str]:
    def walk(resolver):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("api/"):
                    continue  # the API has its own matrix (test_api_access_matrix.py)
                yield from walk(p)
            elif p.name:
                yield p.name

    return set(walk(get_resolver()))


class AccessMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def client_for(self, persona: str) -> Client:
        client = Client()
        user = self.world.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    def url(self, name: str) -> str:
        kwargs = KWARGS[name](self.world) if name in KWARGS else None
        return reverse(name, kwargs=kwargs)

    def test_it_covers_every_route(self):
        missing = route_names() - set(MATRIX)
        assert not missing, f"routes without an access rule: {sorted(missing)}"
        assert not set(MATRIX) - route_names(), "rules for routes that no longer exist"

    def test_it_has_a_sample_for_every_route_parameter(self):
        for name in MATRIX:
            with self.subTest(name):
                self.url(name)

    def test_it_admits_exactly_the_allowed_personas(self):
        for name, allowed in MATRIX.items():
            url = self.url(name)
            post_only = self.client_for("supervisor").get(url).status_code == 405
            for persona in PERSONAS:
                with self.subTest(route=name, persona=persona):
                    self.check(name, url, persona, allowed, post_only)

    def check(self, name, url, persona, allowed, post_only):
        client = self.client_for(persona)
        if allowed == PUBLIC:
            response = client.get(url)
            assert response.status_code < 400, response.status_code
            return
        if persona == "anonymous":
            response = client.post(url) if post_only else client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], response.status_code
            return
        if post_only:
            if persona in allowed:
                return  # an allowed POST would change data; the capability's own tests cover it
            before = AuditEvent.objects.count()
            response = client.post(url)
            assert response.status_code in DENIED, response.status_code
            changed = AuditEvent.objects.count() - before
            denied_rows = AuditEvent.objects.filter(action="permission.denied").count()
            assert changed <= denied_rows, "a refused POST wrote an audit row other than the denial"
            return
        response = client.get(url)
        if persona in allowed:
            assert response.status_code in (200, 302), response.status_code
            if response.status_code == 302:
                assert "/login/" not in response["Location"]
        else:
            assert response.status_code in DENIED, response.status_code


def test_it_keeps_the_three_administrators_apart():
    """三员分立 in the matrix itself: no route is open to two of the three administrators except the account
    list and page (read by both the system and the security administrator), and none reaches business pages."""
    shared = {"user_list", "user_detail"}
    personal = {"home", "logout", "security_password_change", "security_account", "security_two_factor_enrol",
                "security_two_factor_disable", "security_recovery_codes", "inbox", "notifications_read_all", "notification_preferences", "notification_test",
                "token_list", "plan_list", "task_list"}  # fmt: skip
    for name, allowed in MATRIX.items():
        if allowed == PUBLIC or name in personal:
            continue
        admins = allowed & ADMINS
        if name not in shared:
            assert len(admins) <= 1, name
        assert not (admins and allowed & (STAFF | UNITS) - {"supervisor"}), name
