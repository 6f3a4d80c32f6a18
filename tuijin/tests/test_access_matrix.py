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
    "plan_detail": STAFF,
    "plan_edit": SUP,
    "plan_reporting": STAFF,
    "plan_policy": SUP,
    "plan_import": SUP,
    "plan_export_xlsx": STAFF,
    "plan_export_csv": STAFF,
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
    "cockpit_list": STAFF,
}

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
    personal = {"home", "logout", "inbox", "notifications_read_all", "notification_preferences", "notification_test",
                "token_list", "plan_list", "task_list"}  # fmt: skip
    for name, allowed in MATRIX.items():
        if allowed == PUBLIC or name in personal:
            continue
        admins = allowed & ADMINS
        if name not in shared:
            assert len(admins) <= 1, name
        assert not (admins and allowed & (STAFF | UNITS) - {"supervisor"}), name
