"""The latest published assessment round's rankings: the top and bottom units of each group.

The assessment capability is optional for the cockpit: without its models, or before a round is published,
the cockpit says so instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from tuijin.org.models import UnitKind

SHOWN = 3  # top and bottom per group


@dataclass
class Ranked:
    rank: int
    unit: str
    score: object
    grade: str = ""


@dataclass
class Group:
    label: str
    top: list[Ranked] = field(default_factory=list)
    bottom: list[Ranked] = field(default_factory=list)


@dataclass
class Ranking:
    title: str
    url: str | None
    groups: list[Group]


def _models():
    if not apps.is_installed("tuijin.assessment"):
        return None
    try:
        return apps.get_model("assessment", "Round"), apps.get_model("assessment", "Result")
    except LookupError:
        return None


def latest_rankings() -> Ranking | None:
    """Published rounds are public to every signed-in role that may open the cockpit. Two queries."""
    found = _models()
    if found is None:
        return None
    round_model, result_model = found
    latest = (
        round_model.objects.filter(state="published")
        .select_related("scheme")
        .order_by("-published_at", "-id")
        .first()
    )
    if latest is None:
        return None
    # Plain values: a province ranks a thousand units, of which the cockpit shows the first and last three per group.
    results = (
        result_model.objects.filter(round=latest)
        .order_by("group", "rank", "unit_name")
        .values_list("group", "rank", "unit__short_name", "unit_name", "total", "grade")
    )
    kinds = dict(UnitKind.choices)
    groups: dict[str, list[Ranked]] = {}
    for group, rank, short_name, unit_name, total, grade in results:
        name = short_name or unit_name  # short names keep each line on a wall screen to one line
        groups.setdefault(group, []).append(Ranked(rank, name, total, grade))
    order = list(latest.snapshot.get("groups") or []) if isinstance(latest.snapshot, dict) else []
    ordered = sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))
    url = None
    for key in (getattr(latest, "code", None), latest.pk):  # public code where rounds have one
        try:
            url = reverse("round_detail", args=[key])
            break
        except NoReverseMatch:
            continue
    return Ranking(
        title=f"{latest.scheme.name} {latest.period}",
        url=url,
        groups=[
            Group(
                label=str(kinds.get(g, g)),
                top=groups[g][:SHOWN],
                bottom=groups[g][SHOWN:][-SHOWN:],
            )
            for g in ordered
        ],
    )
