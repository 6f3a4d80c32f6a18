"""The fixed cast of the test suite, so every permission test reads as a sentence.

- sup: the supervision office (督查室) — sees and verifies everything
- leader: a city leader — reads everything, changes nothing
- alice: unit user of 中原科技城管委会 (unit_a), which leads the task
- bob: unit user of 市科技局 (unit_b), which supports the task
- charlie: unit user of 市商务局 (unit_c) — an outsider to the task
- auditor, sysadmin, secadmin: the 三员
"""

import datetime
import re
from pathlib import Path

import pytest

from tuijin.org.models import Membership, Role, Unit, UnitKind, User
from tuijin.tasks.models import Plan
from tuijin.tasks.services import create_task

PASSWORD = "Tuijin-test-2021"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the cast's authenticator apps (supervisor and 三员)
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def shot(page, name: str, *, full_page: bool = True, settle_ms: int = 0) -> None:
    """Save a screenshot under var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def sign_in(page, live_server, user, password: str = PASSWORD) -> None:
    """Sign in through the login page as a browser user would, typing the authenticator code when asked
    (read from the user's device in the database) or setting the app up when the role requires it."""
    from tuijin.security.models import TOTPDevice
    from tuijin.security.otp import next_code

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    # staff land on /, outside applicants on their portal (core.views.home), some roles on the code page first
    done = re.compile(re.escape(live_server.url) + r"/(security/login/(otp|enrol)/|spaces/my/|services/portal/)?$")
    page.wait_for_url(done)
    if "/security/login/" in page.url:
        enrolling = page.url.endswith("/enrol/")
        page.fill("#id_code", next_code(TOTPDevice.objects.get(user=user)))
        page.click("button[type=submit]")
        if enrolling:
            page.click("[data-testid=continue]")
        page.wait_for_url(f"{live_server.url}/")


def with_authenticator(user: User) -> User:
    """Give `user` a confirmed authenticator app, as the 2FA roles (supervisor, 三员) have after enrolling."""
    from django.utils import timezone

    from tuijin.security.models import TOTPDevice

    TOTPDevice.objects.create(user=user, secret=TOTP_SECRET, confirmed_at=timezone.now())
    return user


def make_user(username: str, role: str, unit: Unit | None = None, name: str = "") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=name or username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


# The rows data migrations put in (migration module, function, model whose emptiness says they are gone).
SEEDS = [
    ("tuijin.investment.migrations.0002_default_categories", "add_categories", "investment.ProjectCategory"),
    ("tuijin.partybuilding.migrations.0002_default_posts", "add_posts", "partybuilding.Post"),
    ("tuijin.spaces.migrations.0002_default_policies", "seed", "spaces.Policy"),
]
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def data_migration_rows(request):
    """Tests that commit (browser, races) end with a flush that also empties what the data migrations seeded, and
    the suite runs in random order: put the seeded rows back before each database test that finds them gone."""
    if not (DB_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db")):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("_django_db_helper")
    for module, function, model in SEEDS:
        if not apps.get_model(model).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def security_policy_defaults():
    """Every test starts from the settings' security policy, served without a query (tuijin/security/policy.py),
    so page query counts do not depend on which test ran before."""
    from tuijin.security import policy

    policy.use_defaults()


@pytest.fixture
def office(db):
    return Unit.objects.create(name="市委督查室", kind=UnitKind.CITY_OFFICE)


@pytest.fixture
def unit_a(db):
    return Unit.objects.create(name="中原科技城管委会", short_name="科技城管委会", kind=UnitKind.SECTOR)


@pytest.fixture
def unit_b(db):
    return Unit.objects.create(name="市科技局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def unit_c(db):
    return Unit.objects.create(name="市商务局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def sup(office):
    return with_authenticator(make_user("sup", Role.SUPERVISOR, office, "督查室王科长"))


@pytest.fixture
def leader(db):
    return make_user("leader", Role.LEADER, None, "李市长")


@pytest.fixture
def alice(unit_a):
    return make_user("alice", Role.UNIT, unit_a, "张科技")


@pytest.fixture
def bob(unit_b):
    return make_user("bob", Role.UNIT, unit_b, "刘配合")


@pytest.fixture
def charlie(unit_c):
    return make_user("charlie", Role.UNIT, unit_c, "赵局外")


@pytest.fixture
def auditor(db):
    return with_authenticator(make_user("auditor", Role.AUDITOR))


@pytest.fixture
def sysadmin(db):
    return with_authenticator(make_user("sysadmin", Role.SYSADMIN))


@pytest.fixture
def secadmin(db):
    return with_authenticator(make_user("secadmin", Role.SECADMIN))


@pytest.fixture
def plan(sup):
    return Plan.objects.create(
        name="2026年中原科技城建设重点任务清单", year=2026, start_date=datetime.date(2026, 1, 1)
    )


@pytest.fixture
def task(plan, sup, unit_a, unit_b):
    """A task led by unit_a (alice) and supported by unit_b (bob); charlie's unit has nothing to do with it."""
    return create_task(
        actor=sup,
        plan=plan,
        number="1",
        title="建成中原科技城创新孵化基地",
        target="孵化面积10万平方米",
        lead_units=[unit_a],
        supporting_units=[unit_b],
        limit_text="年底前",
        leader="周副市长",
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser; flags that keep it quiet on a closed network."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }  # fmt: skip
