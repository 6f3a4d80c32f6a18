"""`tuijin generate` also fills the spaces (buildings, spaces, applications, leases, rents) and the service desk
(requests with their clocks and history): the same seed gives the same rows, the rows keep the apps' own rules,
and the apps' pages and figures read them as the generator meant them. Run at a reduced size."""

import datetime
import hashlib
import re
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from tuijin.conftest import with_authenticator
from tuijin.core import generate as core_generate
from tuijin.core import generate_servicedesk, generate_spaces
from tuijin.core.generate import Generator
from tuijin.investment.models import Enterprise
from tuijin.lib import crypto
from tuijin.lib.masking import id_number_is_valid
from tuijin.org.models import Role, Unit, User
from tuijin.servicedesk import services as desk_services
from tuijin.servicedesk.models import OPEN_STATES, Category, Event, ServiceRequest, State
from tuijin.servicedesk.tick import step_servicedesk
from tuijin.spaces import services as spaces_services
from tuijin.spaces.demo import make_id_number
from tuijin.spaces.models import Application, Building, Lease, Payment, Space
from tuijin.spaces.queue import queue_of

TODAY = datetime.date(2026, 6, 10)  # a Wednesday in a year chinesecalendar covers
NOW = datetime.datetime.combine(TODAY, datetime.time(8), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
NEW_TABLES = ["buildings", "building_managers", "spaces", "space_applications", "leases", "payments",
              "service_categories", "enterprise_accounts", "service_requests", "request_events",
              "request_extensions", "request_callbacks"]  # fmt: skip


@pytest.fixture
def small(monkeypatch):
    """A city at a tenth or less of its size, so that a test generates in a second or two."""
    for module, values in (
        (core_generate, {"TASKS_PER_CITY": 100, "REPORTS_PER_CITY": 600, "EVIDENCE_PER_CITY": 100,
                         "ENTERPRISES_PER_CITY": 120, "PROJECTS_PER_CITY": 150}),
        (generate_spaces, {"SPACES_PER_CITY": 240, "BUILDINGS_PER_CITY": 6, "APARTMENT_BUILDINGS": 4}),
        (generate_servicedesk, {"REQUESTS_PER_CITY": 1_500}),
    ):  # fmt: skip
        for name, value in values.items():
            monkeypatch.setattr(module, name, value)


def run(seed: int = 2021) -> Generator:
    gen = Generator(scale="city", seed=seed, today=TODAY, out=lambda line: None)
    gen.run()
    return gen


def digest(gen: Generator) -> str:
    """A hash of every row of the new tables, as stored (ciphertext included)."""
    h = hashlib.sha256()
    with connection.cursor() as cursor:
        for name in NEW_TABLES:
            meta = gen.tables[name].model._meta
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(meta.db_table)} ORDER BY id")
            for row in cursor.fetchall():
                h.update(repr(row).encode())
    return h.hexdigest()


def test_it_gives_the_same_rows_for_the_same_seed(db, small):
    hashes, counts = [], []
    for seed in (2021, 2021, 7):
        with transaction.atomic():
            gen = run(seed)
            hashes.append(digest(gen))
            counts.append({name: gen.tables[name].written for name in NEW_TABLES})
            transaction.set_rollback(True)
    assert hashes[0] == hashes[1]
    assert hashes[2] != hashes[0]
    assert all(counts[0].values()), counts[0]
    assert counts[0]["spaces"] == 240 and counts[0]["service_requests"] == 1_500


def test_it_keeps_the_spaces_rules(db, small):
    gen = run()
    # a space's status follows its lease: one current lease on each let space, none on the others
    current = dict(Lease.objects.filter(state__in=Lease.ACTIVE_STATES).values_list("space_id", "state"))
    for pk, status in Space.objects.values_list("pk", "status"):
        expected = {Space.Status.OCCUPIED: {Lease.State.ACTIVE, Lease.State.NOTICE},
                    Space.Status.RESERVED: {Lease.State.SIGNED}}.get(status, {None})  # fmt: skip
        assert current.get(pk) in expected, (pk, status, current.get(pk))
    assert Space.objects.values("building").annotate(n=Count("pk")).filter(n=40).count() == 6
    assert Building.objects.values("sector").distinct().count() == 6
    # every lease has its allocated application, its tenant is the applicant, the kinds agree
    for lease in Lease.objects.select_related("application", "space"):
        application = lease.application
        assert application.state == Application.State.ALLOCATED
        assert lease.tenant_id == application.applicant_id and lease.space.kind == application.kind
        assert application.submitted_at < application.queued_at < application.allocated_at == lease.allocated_at
        assert lease.start < lease.end <= lease.term_ends
        if lease.state in (Lease.State.ACTIVE, Lease.State.NOTICE):
            assert lease.end >= TODAY and lease.checked_in_at is not None
        if lease.state == Lease.State.ENDED:
            assert lease.checked_out_at is not None and lease.move_out_on <= lease.end
    assert Application.objects.filter(state=Application.State.ALLOCATED).count() == Lease.objects.count()
    assert not Payment.objects.filter(lease__state=Lease.State.SIGNED).exists()
    # ID numbers and phones are sealed as the field seals them, and read back with their blind index
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number, phone FROM spaces_application")
        raw = {pk: (id_number, phone) for pk, id_number, phone in cursor.fetchall()}
    current_key = crypto.keyring().current_id
    for application in Application.objects.all():
        sealed_id, sealed_phone = raw[application.pk]
        assert crypto.key_id_of(sealed_id) == crypto.key_id_of(sealed_phone) == current_key
        assert id_number_is_valid(application.id_number)
        assert application.id_index == spaces_services.id_index(application.id_number)
        assert re.fullmatch(r"1\d{10}", application.phone)
        assert application.number.startswith(f"{'GY' if application.kind == 'apartment' else 'BG'}"
                                             f"{application.submitted_at.astimezone(gen.tz).year}-")  # fmt: skip
    # the review clocks and the queue as the services keep them
    for application in Application.objects.filter(state=Application.State.SUBMITTED):
        assert application.first_review_due == spaces_services.workdays_after(
            application.submitted_at.astimezone(gen.tz).date(), application.policy.first_review_days
        )
    assert not Application.objects.filter(state=Application.State.PUBLICITY, publicity_ends__lt=TODAY).exists()
    assert queue_of("apartment") and queue_of("office")
    # the next number the service gives is a new one
    for kind in ("apartment", "office"):
        number = spaces_services._next_number(kind, TODAY.year)
        assert not Application.objects.filter(number=number).exists()


def test_it_keeps_the_service_desk_rules(db, small):
    gen = run()
    categories = {c.pk: c for c in Category.objects.all()}
    assert [c.name for c in categories.values()] == ["政策咨询", "审批服务", "要素保障", "人才服务", "融资服务", "园区配套"]
    for req in ServiceRequest.objects.prefetch_related("events", "extensions").order_by("pk")[:600]:
        category = categories[req.category_id]
        events = list(req.events.all())
        assert events[0].kind == Event.Kind.RAISED and events[0].at == req.raised_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        # the reply clock as the app computes it, moved on by an approved extension
        clock = desk_services.clocks.clock_for(category, started=req.clock_started_at)
        approved = [e for e in req.extensions.all() if e.approved and req.reopen_count == 0]
        due = clock.due
        for extension in approved:
            due, _provisional = desk_services.clocks.extend(due, extension.days)
            assert extension.new_due == due
        assert req.due == due
        if not any(e.kind == Event.Kind.TRANSFERRED for e in events):
            assert req.ack_due == clock.ack_due
        assert req.state != State.CLOSED or req.closed_at is not None
        assert req.state != State.REPLIED or (req.replied_at and req.reply)
        if req.acknowledged_at:
            assert req.ack_late == any(e.kind == Event.Kind.ACKNOWLEDGED and e.text for e in events)
        assert all(e.requested_at < e.new_due for e in req.extensions.all() if e.new_due)
    assert ServiceRequest.objects.filter(state__in=OPEN_STATES).exists()
    assert ServiceRequest.objects.filter(state=State.CLOSED, satisfaction="").exists()  # closed unrated
    assert ServiceRequest.objects.exclude(satisfaction="").exists()
    assert Event.objects.filter(kind=Event.Kind.REMINDED).exists()
    # every event is in the past of "now" (08:00 of the day of generation), and the counts are the generator's
    assert not Event.objects.filter(at__gt=NOW).exists()
    assert ServiceRequest.objects.overdue(now=NOW).count() == gen.servicedesk.stats["overdue"] > 0
    assert not ServiceRequest.objects.filter(number=desk_services.next_number(TODAY.year)).exists()


def test_it_reuses_the_categories_there_are(db, small):
    only = Category.objects.create(name="综合服务", ack_limit=1, ack_unit="days", close_days=5)
    gen = run()
    assert gen.tables["service_categories"].written == 0
    assert set(ServiceRequest.objects.values_list("category", flat=True).distinct()) == {only.pk}


@pytest.mark.django_db
def test_it_serves_the_pages_on_generated_data(client, small, django_assert_max_num_queries):
    gen = run()
    supervisor = with_authenticator(User.objects.get(username="supervisor"))
    manager = User.objects.get(username="spaces")
    unit_user = User.objects.filter(memberships__role=Role.UNIT, memberships__unit__short_name="发展改革委").get()
    stats = gen.spaces.stats
    with time_machine.travel(NOW, tick=False):
        client.force_login(manager)
        response = client.get(reverse("spaces_home"))
        assert response.status_code == 200
        by_kind = response.context["occupancy"]["kind"]
        for status in Space.Status.values:
            assert sum(o.get(status) for o in by_kind) == stats[f"space:{status}"]
        let = stats["space:occupied"] + stats["space:reserved"]
        assert sum(o.let for o in by_kind) == let and sum(o.total for o in by_kind) == 240
        assert response.context["overdue"] == stats["review_overdue"]
        queued = {q["kind"]: q["queued"] for q in response.context["queues"]}
        assert sum(queued.values()) == stats["application:queued"]
        lease = Lease.objects.filter(state=Lease.State.ACTIVE).order_by("pk").first()
        application = Application.objects.filter(state=Application.State.QUEUED).order_by("pk").first()
        for url in (reverse("spaces_space_list"), reverse("spaces_application_list"), reverse("spaces_lease_list"),
                    reverse("spaces_queue", args=["apartment"]), reverse("spaces_lease_detail", args=[lease.code]),
                    reverse("spaces_application", args=[application.code]),
                    reverse("spaces_space_detail", args=[lease.space.code])):  # fmt: skip
            assert client.get(url).status_code == 200, url
        client.force_login(supervisor)
        assert client.get(reverse("spaces_home")).status_code == 200
        assert client.get(reverse("spaces_space_list")).status_code == 200
        with django_assert_max_num_queries(25):
            response = client.get(reverse("servicedesk_list"))
        assert response.status_code == 200
        assert response.context["counts"]["overdue"] == gen.servicedesk.stats["overdue"]
        assert response.context["counts"]["open"] == sum(
            gen.servicedesk.stats[f"request:{state}"] for state in OPEN_STATES
        )
        assert client.get(reverse("servicedesk_list") + "?overdue=on").status_code == 200
        busy = (ServiceRequest.objects.annotate(n=Count("events")).order_by("-n", "pk").first())
        for req in (busy, ServiceRequest.objects.filter(state=State.IN_PROGRESS).first()):
            response = client.get(reverse("servicedesk_detail", args=[req.code]))
            assert response.status_code == 200
            assert len(response.context["events"]) == req.events.count()
        client.force_login(unit_user)
        assert client.get(reverse("servicedesk_inbox")).status_code == 200


def test_it_leaves_nothing_for_the_tick_to_redo(db, small):
    gen = run()
    events, states = Event.objects.count(), list(ServiceRequest.objects.values_list("state", flat=True))
    with time_machine.travel(NOW, tick=False):
        summary = step_servicedesk(NOW)
        daily = spaces_services.run_daily(today=TODAY)
    assert "ack reminders: 0, overdue notices: 0, closed unrated: 0, clocks recomputed: 0" in summary
    assert Event.objects.count() == events
    assert list(ServiceRequest.objects.values_list("state", flat=True)) == states
    assert daily["queued"] == daily["reminded"] == 0
    assert daily["overdue_reviews"] == gen.spaces.stats["review_overdue"]


def is_newest(obj) -> bool:
    """Created after the generated rows without a key collision: its key is above every other row's. (Not equal
    to the count: in random order an earlier test may have advanced SQLite's AUTOINCREMENT counter.)"""
    return not type(obj).objects.exclude(pk=obj.pk).filter(pk__gte=obj.pk).exists()


def test_it_leaves_the_apps_working_on_the_generated_rows(db, small):
    """New rows after the generated ones: primary keys, numbers and the one-lease-per-space rule still hold."""
    run()
    manager, supervisor = User.objects.get(username="spaces"), User.objects.get(username="supervisor")
    applicant = User.objects.filter(memberships__role=Role.APPLICANT).order_by("pk").first()
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        head = queue_of("apartment")[0]
        free = Space.objects.filter(kind="apartment", status=Space.Status.AVAILABLE).order_by("pk").first()
        lease = spaces_services.allocate(actor=manager, application=head, space=free, start=TODAY)
        assert is_newest(lease) and Space.objects.get(pk=free.pk).status == Space.Status.RESERVED
        application = spaces_services.submit_application(
            actor=applicant, policy=head.policy, category="C", name="新申请人", id_number=make_id_number("41010219900101123"),
            phone="13800000000", employer="郑州大学", documents=[],
        )  # fmt: skip
        assert is_newest(application)
        req = desk_services.raise_request(
            actor=supervisor, category=Category.objects.first(), enterprise=Enterprise.objects.first(),
            unit=Unit.objects.get(short_name="发展改革委"), title="新诉求", description="新诉求内容",
        )  # fmt: skip
        assert is_newest(req)
        assert ServiceRequest.objects.filter(number=req.number).count() == 1
        assert is_newest(Category.objects.create(name="新类别"))


@pytest.mark.django_db
def test_it_refuses_to_start_without_the_field_keys(small):
    with override_settings(FIELD_KEYS=""), pytest.raises(CommandError, match="FIELD_KEYS"):
        call_command("generate", scale="city", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not User.objects.exists()
