from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit

from .evidence import check_upload
from .models import Plan, SourceKind, Task, TaskState, TaskStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files, each checked by content; errors name the file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_upload(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["name", "year", "kind", "cadence", "report_day", "start_date", "yellow_workdays",
                  "progress_lag_points", "description"]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Enter a year between 2000 and 2100."))
        return year

    def clean_report_day(self):
        day = self.cleaned_data["report_day"]
        if not 1 <= day <= 28:
            raise ValidationError(_("Choose a day between 1 and 28."))
        return day


class TaskForm(forms.ModelForm):
    lead_units = forms.ModelMultipleChoiceField(
        label=_("Lead units"), queryset=Unit.objects.active(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=Unit.objects.active(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    limit_text = forms.CharField(
        label=_("Time limit as written"), max_length=300, required=False,
        help_text=_("e.g. 6月底前, 年底前, 每月28日前, 6月底前完成主体，年底前完工"),
    )  # fmt: skip

    class Meta:
        model = Task
        fields = ["number", "category", "title", "target", "measure_quantity", "measure_unit", "leader", "owner",
                  "source_kind", "source_ref", "tags", "parent"]  # fmt: skip
        widgets = {"target": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["parent"].queryset = plan.tasks.filter(parent__isnull=True).exclude(
            pk=self.instance.pk or 0
        )
        self.fields["parent"].required = False
        if self.instance.pk:
            self.fields["lead_units"].initial = self.instance.lead_units
            self.fields["supporting_units"].initial = self.instance.supporting_units
            self.fields["limit_text"].initial = self.instance.limit_text

    def clean(self):
        data = super().clean()
        lead, support = data.get("lead_units") or [], data.get("supporting_units") or []
        both = set(lead) & set(support)
        if both:
            self.add_error(
                "supporting_units",
                _("%(units)s cannot both lead and support.") % {"units": "、".join(u.name for u in both)},
            )
        if data.get("source_kind") in (
            SourceKind.MEETING,
            SourceKind.INSTRUCTION,
            SourceKind.DOCUMENT,
        ) and not data.get("source_ref"):
            self.add_error(
                "source_ref", _("Give the document, minute or instruction number for this source.")
            )
        return data


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Progress this period"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    progress = forms.IntegerField(label=_("Complete (%)"), min_value=0, max_value=100, required=False)
    value = forms.DecimalField(
        label=_("Measured value"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    files = EvidenceField(
        label=_("Photos and documents"),
        widget=MultipleFileInput(
            attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx", "capture": "environment"}
        ),
    )

    consolidated = forms.BooleanField(
        label=_("This report consolidates the supporting units' parts"), required=False
    )

    period = forms.ChoiceField(label=_("Reporting period"), required=False)

    def __init__(self, *args, task: Task, is_lead: bool = True, periods: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        from . import hooks

        # 自动统计: figures bound to another capability are computed there, never typed into a report.
        self.measured_elsewhere = any(check(task) for check in hooks.measured_elsewhere)
        if self.measured_elsewhere:
            del self.fields["progress"], self.fields["value"]
        if not is_lead:
            del self.fields["consolidated"]
        periods = periods or []
        if len(periods) > 1:
            # The previous period is still owed: let the unit file its late report there.
            self.fields["period"].choices = [(p, p) for p in periods]
            self.fields["period"].help_text = _(
                "The report for %(p)s is missing; choose it to file that report late."
            ) % {"p": periods[1]}
        else:
            del self.fields["period"]

    def clean(self):
        data = super().clean()
        if not data.get("period"):
            data.pop("period", None)
        if (
            not self.measured_elsewhere
            and data.get("progress") is None
            and data.get("value") is None
            and not self.errors
        ):
            raise ValidationError(_("Give the percentage complete or the measured value."))
        progress = data.get("progress")
        if progress is not None and progress < self.task.progress and self.task.state != TaskState.ASSIGNED:
            self.add_error(
                "progress",
                _(
                    "Progress cannot go back from %(old)s%% to %(new)s%%; explain a setback in the text and keep the figure."
                )
                % {"old": self.task.progress, "new": progress},
            )
        return data


class ClosureForm(forms.Form):
    note = forms.CharField(
        label=_("What was achieved"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    files = EvidenceField(label=_("Evidence of completion"))


class AttachmentForm(forms.Form):
    files = EvidenceField(label=_("Files"), required=True)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Verification note"), required=False, max_length=1000)


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class DecideExtensionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Approve")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.all(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *TaskStatus.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *TaskState.choices], required=False
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.active(), required=False)

    def filter(self, tasks):
        data = self.cleaned_data
        if data.get("q"):
            from django.db.models import Q

            q = data["q"]
            tasks = tasks.filter(
                Q(title__icontains=q) | Q(target__icontains=q) | Q(number=q) | Q(category__icontains=q)
            )
        if data.get("plan"):
            tasks = tasks.filter(plan=data["plan"])
        if data.get("status"):
            tasks = tasks.filter(status=data["status"])
        if data.get("state"):
            tasks = tasks.filter(state=data["state"])
        if data.get("unit"):
            tasks = tasks.filter(task_units__unit=data["unit"])
        return tasks
