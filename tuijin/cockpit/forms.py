"""The cockpit's parameters: which year or plan it shows, and what a drill-down list is of."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit, UnitKind
from tuijin.supervision.models import Order
from tuijin.tasks.models import Plan, Task, TaskStatus

from .metrics import Params


class ScopeForm(forms.Form):
    """Year (default: this year) and optionally one plan of that year, among the plans the user has tasks in."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), required=False, to_field_name="code"
    )

    def __init__(self, data, *, user, today):
        super().__init__(data)
        self.today = today
        year = self.today.year
        try:
            year = int(data.get("year") or year)
        except (TypeError, ValueError):
            pass
        visible = Task.objects.visible_to(user).filter(plan__year=year)
        plans = Plan.objects.filter(year=year)
        if not user.sees_all_tasks:
            plans = plans.filter(tasks__in=visible).distinct()
        self.fields["plan"].queryset = plans.order_by("name")

    def scope_args(self) -> dict:
        """year and plan, falling back to this year and all plans when the input is not valid."""
        if not self.is_valid():
            return {"year": self.today.year, "plan": None}
        return {"year": self.cleaned_data["year"] or self.today.year, "plan": self.cleaned_data["plan"]}


class DrillDownForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "—"), *TaskStatus.choices], required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    kind = forms.ChoiceField(choices=[("", "—"), *UnitKind.choices], required=False)
    month = forms.IntegerField(min_value=1, max_value=12, required=False)
    level = forms.ChoiceField(choices=[("", "—"), *Order.Level.choices], required=False)

    def params(self) -> Params:
        data = self.cleaned_data
        return Params(status=data["status"], unit=data["unit"], kind=data["kind"], month=data["month"],
                      level=data["level"])  # fmt: skip
