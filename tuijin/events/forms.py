import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tuijin.core import privacy
from tuijin.org.models import Unit
from tuijin.tasks.models import Plan, Task

from .models import Activity, PrepTemplate, PrepTemplateItem, Programme
from .services import activities_outside, activity_problems, venue_clashes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class StyledMixin:
    """Bootstrap classes on every widget, so templates need no script to add them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def split_categories(text: str) -> list[str]:
    seen: list[str] = []
    for part in re.split(r"[、,，;；\s]+", text or ""):
        part = part.strip()
        if part and part not in seen:
            seen.append(part[:20])
    return seen


class ProgrammeForm(StyledMixin, forms.ModelForm):
    categories_text = forms.CharField(
        label=_("Preparation categories"), max_length=300,
        help_text=_("Separated by 、 or commas, e.g. 安全、宣传、保障、交通、医疗、接待、其他"),
    )  # fmt: skip

    class Meta:
        model = Programme
        fields = ["name", "plan", "start_date", "end_date", "organiser", "description"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "plan": _("The event plan that holds the preparation tasks; leave empty to make a new one.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plans = Plan.objects.filter(kind=Plan.Kind.EVENT)
        if self.instance.pk:
            self.fields.pop("plan")
        else:
            self.fields["plan"].queryset = plans.filter(programme__isnull=True)
            self.fields["plan"].required = False
        self.fields["organiser"].queryset = Unit.objects.active()
        self.fields["categories_text"].initial = "、".join(
            self.instance.categories
            if self.instance.pk
            else Programme._meta.get_field("categories").default()
        )

    def clean_categories_text(self):
        categories = split_categories(self.cleaned_data["categories_text"])
        if not categories:
            raise ValidationError(_("Name at least one preparation category."))
        return categories

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        elif start and end and self.instance.pk:
            outside = activities_outside(self.instance, start, end)
            if outside:
                self.add_error(None, _("These activities would fall outside the programme's days: %(list)s.") % {
                    "list": "、".join(f"{a.title}（{a.date:%Y-%m-%d}）" for a in outside)})  # fmt: skip
        return data


class ActivityForm(StyledMixin, forms.ModelForm):
    confirm_clash = forms.BooleanField(
        label=_("Keep both: the venue is booked at an overlapping time, and that is intended"), required=False
    )

    class Meta:
        model = Activity
        fields = ["title", "date", "start_time", "end_time", "venue", "lead_unit", "supporting_units", "capacity",
                  "contact_name", "contact_phone", "notes", "is_main"]  # fmt: skip
        widgets = {
            "date": DATE, "start_time": TIME, "end_time": TIME, "notes": forms.Textarea(attrs={"rows": 3}),
            "supporting_units": forms.SelectMultiple(attrs={"size": 6}),
        }  # fmt: skip

    def __init__(self, *args, programme: Programme, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.clashes: list[Activity] = []
        self.fields["lead_unit"].queryset = Unit.objects.active()
        self.fields["supporting_units"].queryset = Unit.objects.active()
        self.fields["contact_phone"].help_text = _("Shown masked; the organising office may show it in full.")
        # A stored phone is not put back into the page in full: an empty answer keeps it.
        self.withheld = privacy.withhold_in_form(self, viewer, ["contact_phone"])

    def clean_contact_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data.get("contact_phone") or "")
        if not phone and "contact_phone" in self.withheld:
            return self.withheld["contact_phone"]
        if phone and not re.fullmatch(r"\+?\d{7,15}", phone):
            raise ValidationError(_("Enter a phone number of 7 to 15 digits."))
        return phone

    def clean(self):
        data = super().clean()
        problems = activity_problems(self.programme, date=data.get("date"), start_time=data.get("start_time"),
                                     end_time=data.get("end_time"), is_main=data.get("is_main"),
                                     instance=self.instance)  # fmt: skip
        for name, message in problems.items():
            self.add_error(name or None, message)
        if not problems:
            self.clashes = venue_clashes(venue=data.get("venue"), date=data.get("date"),
                                         start_time=data.get("start_time"), end_time=data.get("end_time"),
                                         exclude=self.instance)  # fmt: skip
            if self.clashes and not data.get("confirm_clash"):
                self.add_error("venue", _("%(venue)s is booked at an overlapping time: %(list)s. Change the time or "
                                          "venue, or tick the box below to keep both.") % {
                    "venue": data.get("venue"),
                    "list": "；".join(f"{a.programme.name} · {a.title} {a.start_time:%H:%M}—{a.end_time:%H:%M}"
                                     for a in self.clashes)})  # fmt: skip
        return data


class PrepTaskForm(StyledMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    title = forms.CharField(label=_("Task"), max_length=500)
    target = forms.CharField(label=_("Target"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lead_units = forms.ModelMultipleChoiceField(
        label=_("Lead units"), queryset=Unit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 5})
    )
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.fields["category"].choices = [(c, c) for c in activity.programme.categories or []]
        for name in ("lead_units", "supporting_units"):
            self.fields[name].queryset = Unit.objects.active()
        self.fields["lead_units"].initial = [activity.lead_unit_id]
        self.fields["deadline"].help_text = _("By the activity's day, %(d)s.") % {
            "d": f"{activity.date:%Y-%m-%d}"
        }

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline > self.activity.date:
            raise ValidationError(_("A preparation task must be due by the activity's day (%(d)s).")
                                  % {"d": f"{self.activity.date:%Y-%m-%d}"})  # fmt: skip
        return deadline


class LinkTaskForm(StyledMixin, forms.Form):
    task = forms.ModelChoiceField(
        label=_("Task of the plan"), queryset=Task.objects.none(), to_field_name="code"
    )
    category = forms.ChoiceField(label=_("Category"))

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = activity.programme.plan.tasks.filter(
            activity_link__isnull=True
        ).order_by("sort_key", "id")
        self.fields["category"].choices = [(c, c) for c in activity.programme.categories or []]


class ChecklistItemForm(StyledMixin, forms.Form):
    title = forms.CharField(
        label=_("Item"), max_length=200, help_text=_("e.g. 场地验收, 安保演练, 应急预案, 物资到位")
    )
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    task = forms.ModelChoiceField(
        label=_("Signed off when this preparation task is closed"), queryset=Task.objects.none(), required=False,
        to_field_name="code",
    )  # fmt: skip
    due_date = forms.DateField(label=_("Due"), required=False, widget=DATE)

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active()
        self.fields["unit"].initial = activity.lead_unit_id
        self.fields["task"].queryset = Task.objects.filter(activity_link__activity=activity).order_by(
            "sort_key"
        )


class SignOffForm(StyledMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class UndoForm(StyledMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TemplateForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = PrepTemplate
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TemplateItemForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = PrepTemplateItem
        fields = ["kind", "category", "title", "workdays_before", "unit", "needs_task"]

    def __init__(self, *args, template: PrepTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active()
        self.fields["needs_task"].queryset = template.items.filter(kind=PrepTemplateItem.Kind.TASK)
        self.fields["needs_task"].help_text = _("Checklist items only: the task that must be closed first.")

    def clean_workdays_before(self):
        days = self.cleaned_data["workdays_before"]
        if days > 120:
            raise ValidationError(_("Enter at most 120 working days."))
        return days


class GenerateForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("Items"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(str(r.item.code), r.title) for r in rows if not r.done]
        self.fields["items"].initial = [str(r.item.code) for r in rows if not r.done]
        self.fields["items"].error_messages["required"] = _("Choose at least one item.")


class RunSheetForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DATE)
