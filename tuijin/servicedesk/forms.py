"""Forms of the service desk: raising a request (staff and portal), the unit's steps, rating, call-backs,
categories and policy, and the list filters."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.investment.models import Enterprise, Project
from tuijin.org.models import Unit
from tuijin.tasks.forms import EvidenceField

from .models import Callback, Category, Policy, Satisfaction, State

FILES_HELP = _("Photos, PDF, Word or Excel files; checked by their content.")


def _units():
    return Unit.objects.active().order_by("kind", "sort_order", "name")


class _RequestFields(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    contact_name = forms.CharField(label=_("Contact"), max_length=50, required=False)
    files = EvidenceField(label=_("Attachments"), help_text=FILES_HELP)


class StaffRequestForm(_RequestFields):
    """A request entered by staff (from a phone call, a visit, a letter) for any enterprise."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.order_by("name"))
    project = forms.ModelChoiceField(label=_("Related project"), required=False,
                                     queryset=Project.objects.select_related("enterprise").order_by("name"))  # fmt: skip
    unit = forms.ModelChoiceField(label=_("Handling unit"), required=False, queryset=_units(),
                                  help_text=_("Empty: the category's default unit."))  # fmt: skip
    field_order = [
        "enterprise",
        "category",
        "project",
        "unit",
        "title",
        "description",
        "contact_name",
        "files",
    ]

    def clean(self):
        data = super().clean()
        project, enterprise = data.get("project"), data.get("enterprise")
        if project and enterprise and project.enterprise_id != enterprise.pk:
            self.add_error("project", _("This project belongs to another enterprise."))
        category = data.get("category")
        if category and not data.get("unit") and not category.default_unit_id:
            self.add_error("unit", _("The category has no default unit: choose the unit that handles it."))
        return data


class PortalRequestForm(_RequestFields):
    """A request an enterprise raises itself; it goes to the category's default unit."""

    project = forms.ModelChoiceField(
        label=_("Related project"), required=False, queryset=Project.objects.none()
    )

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(enterprise=enterprise).order_by("name")
        self.fields["category"].queryset = Category.objects.filter(is_active=True, default_unit__isnull=False)
        self.order_fields(["category", "project", "title", "description", "contact_name", "files"])


class TransferForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Transfer to"), queryset=_units())
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    files = EvidenceField(label=_("Attachments"), help_text=FILES_HELP)


class AttachForm(forms.Form):
    files = EvidenceField(label=_("Attachments"), required=True, help_text=FILES_HELP)


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("How satisfied are you?"), choices=Satisfaction.choices,
                                     widget=forms.RadioSelect)  # fmt: skip
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when you are not satisfied: the request goes back to the unit."))  # fmt: skip


class CallbackForm(forms.ModelForm):
    class Meta:
        model = Callback
        fields = ["called_on", "method", "satisfaction", "notes"]
        widgets = {
            "called_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["called_on"].initial = timezone.localdate()


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "ack_limit", "ack_unit", "close_days", "default_unit", "sort_order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_unit"].queryset = _units()


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["day_start", "day_end", "callback_percent", "rating_days"]
        widgets = {"day_start": forms.TimeInput(attrs={"type": "time"}),
                   "day_end": forms.TimeInput(attrs={"type": "time"})}  # fmt: skip


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Login of the applicant"), max_length=150)
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.order_by("name"))


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states"))] + list(State.choices))  # fmt: skip
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=Category.objects.all(),
                                      empty_label=_("All categories"), to_field_name="code")  # fmt: skip
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=_units(), empty_label=_("All units"),
                                  to_field_name="code")  # fmt: skip
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    callback = forms.ChoiceField(label=_("Call-back"), required=False,
                                 choices=[("", _("Any")), ("none", _("Not called back")), ("done", _("Called back"))])  # fmt: skip
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "unit"):
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm",
                                                   "aria-label": str(self.fields[name].label)})  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
