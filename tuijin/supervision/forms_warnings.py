"""The warning board's filters."""

import datetime

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit, UnitKind
from tuijin.tasks.models import Plan, TaskUnit

from .models import Warning

OPEN, RESOLVED, ALL = "open", "resolved", "all"


class WarningFilterForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), required=False, to_field_name="code"
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Unit.objects.active().filter(kind=UnitKind.SECTOR), required=False
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.active(), required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Warning.Level.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Warning.Kind.choices], required=False
    )
    age = forms.IntegerField(
        label=_("Older than (days)"), min_value=0, max_value=3650, required=False,
        help_text=_("Warnings first seen more than this many days ago."),
    )  # fmt: skip
    state = forms.ChoiceField(
        label=_("Unresolved or resolved"),
        choices=[(OPEN, _("Unresolved")), (RESOLVED, _("Resolved")), (ALL, _("Unresolved and resolved"))],
        required=False,
    )

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(pk__in=tasks.values("plan_id"))

    @property
    def state_value(self) -> str:
        return (self.cleaned_data.get("state") if self.is_bound and self.is_valid() else "") or OPEN

    def filter(self, warnings, *, now: datetime.datetime | None = None, with_level: bool = True):
        """The warnings that match; `with_level=False` leaves the level out (for the counts by level)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        state = data.get("state") or OPEN
        if state == OPEN:
            warnings = warnings.filter(resolved_at__isnull=True)
        elif state == RESOLVED:
            warnings = warnings.filter(resolved_at__isnull=False)
        if data.get("plan"):
            warnings = warnings.filter(task__plan=data["plan"])
        for name in ("sector", "unit"):
            if data.get(name):
                warnings = warnings.filter(
                    Exists(TaskUnit.objects.filter(task=OuterRef("task_id"), unit=data[name]))
                )
        if data.get("kind"):
            warnings = warnings.filter(kind=data["kind"])
        if data.get("age") is not None:
            now = now or timezone.now()
            warnings = warnings.filter(first_seen__lt=now - datetime.timedelta(days=data["age"]))
        if with_level and data.get("level"):
            warnings = warnings.filter(level=data["level"])
        return warnings
