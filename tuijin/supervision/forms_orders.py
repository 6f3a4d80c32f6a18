"""Forms for supervision orders: the list's filters, issuing, responding, deciding and the interview record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit
from tuijin.tasks.models import Plan

from .models import Order


class OrderFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.all(), required=False, to_field_name="code"
    )

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("All levels")), *Order.Level.choices]
        self.fields["state"].choices = [("", _("All states")), *Order.State.choices]
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=orders.values("unit_id"))

    def filter(self, orders):
        data = self.cleaned_data
        for name, lookup in (
            ("level", "level"),
            ("state", "state"),
            ("unit", "unit"),
            ("plan", "task__plan"),
        ):
            if data.get(name):
                orders = orders.filter(**{lookup: data[name]})
        return orders


class IssueOrderForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), widget=forms.Select(attrs={"class": "form-select"}))
    requirement = forms.CharField(
        label=_("Requirement"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        max_length=2000,
        help_text=_("What the unit must do and report."),
    )
    response_workdays = forms.IntegerField(
        label=_("Respond within (working days)"),
        required=False,
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text=_("Leave empty for the plan's default for this level."),
    )
    urgent = forms.BooleanField(label=_("Urgent: may start at orange or red"), required=False)
    suggested_by = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(v, label) for v, label in Order.Level.choices if v in levels]


class RespondForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class EscalateForm(forms.Form):
    requirement = forms.CharField(
        label=_("Requirement of the next order"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to repeat this order's requirement."),
    )


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    interviewee = forms.CharField(label=_("Interviewee"), max_length=100)
    interviewers = forms.CharField(label=_("Interviewers"), max_length=200)
    notes = forms.CharField(label=_("Record"), widget=forms.Textarea(attrs={"rows": 4}))
    commitments = forms.CharField(
        label=_("Commitments"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
