"""The world the access-control matrix runs in: the demo scenario, one persona per role, and a sample object
for every URL parameter, so that every route can be requested by everyone."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import override_settings

from tuijin.core import demo
from tuijin.org.models import Role, Unit, User
from tuijin.tasks.models import Evidence, Task, TaskState, TaskUnit

# Personas: who asks. "lead" works in the lead unit of the sample task, "support" in a supporting unit of it,
# "outsider" in a unit with nothing to do with it; "community" is the staff of a community (双报到).
PERSONAS = [
    "anonymous",
    "supervisor",
    "leader",
    "lead",
    "support",
    "outsider",
    "community",
    "investment",
    "space_manager",
    "applicant",
    "rater",
    "sysadmin",
    "secadmin",
    "auditor",
]
ADMINS = {"sysadmin", "secadmin", "auditor"}
UNITS = {"lead", "support", "outsider", "community"}
STAFF = {"supervisor", "leader"} | UNITS
SIGNED_IN = set(PERSONAS) - {"anonymous"}


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)


def _first_user(role: str, **filters) -> User:
    return User.objects.filter(memberships__role=role, is_active=True, **filters).order_by("pk").first()


def build_world() -> World:
    with override_settings(DEMO_MODE=True):
        demo.load_demo()
    task = (
        Task.objects.filter(
            plan__is_illustrative=True,
            state=TaskState.IN_PROGRESS,
            evidence__isnull=False,
            task_units__role=TaskUnit.SUPPORT,
        )
        .order_by("pk")
        .distinct()
        .first()
    )
    lead_unit = task.units_with_role(TaskUnit.LEAD)[0]
    support_unit = task.units_with_role(TaskUnit.SUPPORT)[0]
    involved = set(TaskUnit.objects.filter(task=task).values_list("unit_id", flat=True))
    outsider_unit = (
        Unit.objects.exclude(pk__in=involved)
        .filter(memberships__role=Role.UNIT, community__isnull=True)
        .order_by("pk")
        .first()
    )
    # 双报到: the staff of the community the first registration was made with
    from tuijin.partybuilding.models import Registration

    community_unit = Registration.objects.order_by("pk").first().community.unit
    world = World()
    world.users = {
        "anonymous": None,
        "supervisor": _first_user(Role.SUPERVISOR),
        "leader": _first_user(Role.LEADER),
        "lead": _first_user(Role.UNIT, memberships__unit=lead_unit),
        "support": _first_user(Role.UNIT, memberships__unit=support_unit),
        "outsider": _first_user(Role.UNIT, memberships__unit=outsider_unit),
        "community": _first_user(Role.UNIT, memberships__unit=community_unit),
        "investment": _first_user(Role.INVESTMENT),
        "space_manager": _first_user(Role.SPACE_MANAGER),
        "applicant": _first_user(Role.APPLICANT),
        "rater": _first_user(Role.RATER),
        "sysadmin": _first_user(Role.SYSADMIN),
        "secadmin": _first_user(Role.SECADMIN),
        "auditor": _first_user(Role.AUDITOR),
    }
    world.objects = {
        "task": task,
        "plan": task.plan,
        "evidence": Evidence.objects.filter(task=task).order_by("pk").first(),
        "unit": lead_unit,
    }
    return world
