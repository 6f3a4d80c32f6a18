"""A year of work for the cockpit to show, built through the task services with the clock moved.

On 15 July 2026 (`mid_july`) the 2026 plan holds, besides the cast's own task fixtures:

| task | lead (support)            | deadline | what happened                        |
|------|---------------------------|----------|--------------------------------------|
| t1   | unit_a (unit_b)           | 03-31    | closed 03-20: on time                |
| t2   | unit_a                    | 03-31    | closed 04-03: late                   |
| t3   | sector_b                  | 05-31    | open: overdue                        |
| t4   | district                  | 06-30    | open: overdue                        |
| t5   | unit_b (unit_a)           | 12-31    | open                                 |
| t6   | unit_c                    | 07-17    | open: due within 3 working days      |
| t7   | unit_a + sector_b         | 12-31    | open                                 |
| t8   | unit_a                    | 06-30    | closed 06-30 at 23:30 Beijing time   |
| t9   | unit_c                    | 07-31    | closed 07-10: early                  |

and a 2025 plan with one overdue task (another year), an event plan with one task, and supervision orders:
an issued blue order to sector_b and a responded orange one to the district (open), an accepted red one
(not open), and an issued reminder to unit_b.
"""

import datetime
import io
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tuijin.conftest import make_user
from tuijin.org.models import Role, Unit, UnitKind
from tuijin.supervision.models import Order
from tuijin.tasks import services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Plan, Task

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 7, 15)


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def photo(name="site.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 210)).save(out, "JPEG")
    return check_upload(SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg"))


def close(time_machine, task, *, lead_user, sup, when: datetime.datetime) -> Task:
    """Acknowledge, ask for closure with a photo and close (销号) — the day before, and at `when`."""
    time_machine.move_to(when - datetime.timedelta(days=1))
    task = Task.objects.for_list().get(pk=task.pk)
    services.acknowledge(actor=lead_user, task=task)
    services.request_closure(actor=lead_user, task=task, note="已完成", files=[photo()])
    time_machine.move_to(when)
    return services.close_task(actor=sup, task=Task.objects.for_list().get(pk=task.pk))


@pytest.fixture
def sector_b(db):
    return Unit.objects.create(name="北龙湖金融岛管委会", short_name="北龙湖金融岛", kind=UnitKind.SECTOR)


@pytest.fixture
def district(db):
    return Unit.objects.create(name="郑东新区管委会", short_name="郑东新区", kind=UnitKind.DISTRICT)


@pytest.fixture
def applicant(db):
    return make_user("applicant", Role.APPLICANT)


@pytest.fixture
def rater(db):
    return make_user("rater", Role.RATER)


def build_world(
    time_machine, *, plan, sup, alice, charlie, unit_a, unit_b, unit_c, sector_b, district
) -> dict:
    time_machine.move_to(at(1, 5))

    def new(number, lead, limit, support=(), **fields):
        return services.create_task(
            actor=sup, plan=plan, number=number, title=f"驾驶舱测试任务{number}", lead_units=lead,
            supporting_units=list(support), limit_text=limit, **fields,
        )  # fmt: skip

    tasks = {
        "t1": new("1", [unit_a], "3月底前", [unit_b]),
        "t2": new("2", [unit_a], "3月底前"),
        "t3": new("3", [sector_b], "5月31日前"),
        "t4": new("4", [district], "6月底前"),
        "t5": new("5", [unit_b], "年底前", [unit_a]),
        "t6": new("6", [unit_c], "7月17日前"),
        "t7": new("7", [unit_a, sector_b], "年底前"),
        "t8": new("8", [unit_a], "6月底前"),
        "t9": new("9", [unit_c], "7月31日前"),
    }
    old = Plan.objects.create(name="2025年重点任务清单", year=2025)
    services.create_task(actor=sup, plan=old, number="1", title="上一年度的逾期任务", lead_units=[unit_a],
                         limit_text="6月底前")  # fmt: skip
    event = Plan.objects.create(name="2026年文化月筹备清单", year=2026, kind=Plan.Kind.EVENT)
    tasks["e1"] = services.create_task(actor=sup, plan=event, number="1", title="驾驶舱测试活动任务",
                                       lead_units=[sector_b], limit_text="4月30日前")  # fmt: skip

    close(time_machine, tasks["t1"], lead_user=alice, sup=sup, when=at(3, 20))
    close(time_machine, tasks["t2"], lead_user=alice, sup=sup, when=at(4, 3))
    close(time_machine, tasks["t8"], lead_user=alice, sup=sup, when=at(6, 30, 23, 30))
    close(time_machine, tasks["t9"], lead_user=charlie, sup=sup, when=at(7, 10))

    def order(task, unit, level, state, number=None):
        return Order.objects.create(task=task, unit=unit, level=level, state=state, year=2026, number=number,
                                    requirement="请加快推进", issued_at=at(6, 5), issued_by=sup)  # fmt: skip

    order(tasks["t3"], sector_b, Order.Level.BLUE, Order.State.ISSUED, 1)
    order(tasks["t4"], district, Order.Level.ORANGE, Order.State.RESPONDED, 2)
    order(tasks["t3"], sector_b, Order.Level.RED, Order.State.ACCEPTED, 3)
    order(tasks["t5"], unit_b, Order.Level.REMINDER, Order.State.ISSUED)

    time_machine.move_to(at(7, 15))
    services.refresh_status(Task.objects.select_related("plan"), today=TODAY)
    return {k: Task.objects.get(pk=t.pk) for k, t in tasks.items()}


@pytest.fixture
def world(time_machine, plan, sup, alice, bob, charlie, unit_a, unit_b, unit_c, sector_b, district):
    return build_world(time_machine, plan=plan, sup=sup, alice=alice, charlie=charlie, unit_a=unit_a,
                       unit_b=unit_b, unit_c=unit_c, sector_b=sector_b, district=district)  # fmt: skip
