"""Forms of the pipeline. Money is typed in 万元 or 亿元 (`MoneyField`) and always cleaned to 万元."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core import privacy
from tuijin.lib.credit_code import credit_code_problem, normalise_credit_code
from tuijin.org.models import Role, Unit, UnitKind, User

from .models import (
    AgreementType,
    Channel,
    Enterprise,
    FollowUp,
    Fund,
    MeasureBinding,
    Origin,
    Policy,
    Project,
    ProjectCategory,
    ProjectKind,
    Stage,
    VentureFirm,
)

YI = Decimal(10000)


def date_input():
    # ISO values: a type=date input shows nothing for a localised one.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MoneyWidget(forms.MultiWidget):
    template_name = "investment/widgets/money.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "inputmode": "decimal", "class": "form-control"}
            ),
            forms.Select(
                choices=[("wan", _("万元")), ("yi", _("亿元"))], attrs={"class": "form-select tj-unit"}
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value in (None, ""):
            return [None, "yi"]
        value = Decimal(value)
        if value >= YI:
            return [(value / YI).normalize(), "yi"]
        return [value.normalize(), "wan"]


class MoneyField(forms.MultiValueField):
    """An amount with its unit (万元 or 亿元); cleans to a Decimal in 万元 (two decimals) or None."""

    widget = MoneyWidget

    def __init__(self, *, required=False, **kwargs):
        fields = (
            forms.DecimalField(max_digits=16, decimal_places=6, min_value=0, required=False),
            forms.ChoiceField(choices=[("wan", "万元"), ("yi", "亿元")], required=False),
        )
        super().__init__(fields, required=required, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or data_list[0] in (None, ""):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        amount, unit = data_list[0], data_list[1] or "wan"
        value = (amount * YI if unit == "yi" else amount).quantize(Decimal("0.01"))
        if value >= Decimal("1e12"):
            raise ValidationError(_("This amount is too large."))
        return value


def officers():
    return (
        User.objects.filter(is_active=True, memberships__role=Role.INVESTMENT).distinct().order_by("username")
    )


def sectors():
    return Unit.objects.active().filter(kind=UnitKind.SECTOR)


# ——— enterprises ———


class EnterpriseForm(forms.ModelForm):
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different enterprise"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "industry", "origin", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "credit_code": forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 30})}  # fmt: skip

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data.get("credit_code"))
        if code:
            problem = credit_code_problem(code)
            if problem:
                raise ValidationError(problem)
            same = Enterprise.objects.filter(credit_code=code).exclude(pk=self.instance.pk or 0).first()
            if same is not None:
                raise ValidationError(_("%(name)s already has this credit code.") % {"name": same.name})
        return code


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    position = forms.CharField(label=_("Position"), max_length=50, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)

    def __init__(self, *args, viewer=None, contact=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = contact
        if contact is not None and not self.is_bound:
            self.initial.update(name=contact.name, position=contact.position, phone=contact.phone)
        self.withheld = privacy.withhold_in_form(self, viewer, ["phone"]) if contact is not None else {}

    def clean_phone(self):
        phone = re.sub(r"\s", "", self.cleaned_data.get("phone") or "")
        if not phone:
            return self.withheld.get("phone", "")
        if not re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?", phone):
            raise ValidationError(_("Enter an 11-digit mobile number or a landline such as 0371-12345678."))
        return phone


# ——— projects ———


class ProjectForm(forms.ModelForm):
    planned_investment = MoneyField(label=_("Planned investment"))
    funds_arrived = MoneyField(label=_("Funds arrived"))
    increment_amount = MoneyField(
        label=_("Increase or upgrade amount"),
        help_text=_("For a capital increase or an upgrade: the part that is new; only this counts."),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[(Stage.LEAD, Stage.LEAD.label), (Stage.NEGOTIATING, Stage.NEGOTIATING.label)],
    )
    stage_since = forms.DateField(label=_("Since"), widget=date_input())

    class Meta:
        model = Project
        fields = ["name", "enterprise", "sector", "category", "channel", "venture_firm", "fund", "anchor_project",
                  "kind", "base_project", "industry", "description", "responsible_leader", "officer", "service_team"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "service_team": forms.SelectMultiple(attrs={"size": 5})}  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        from . import access

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sector"].queryset = access.sectors_for(user)
        self.fields["category"].queryset = ProjectCategory.objects.filter(is_active=True)
        self.fields["venture_firm"].queryset = VentureFirm.objects.filter(is_active=True)
        self.fields["fund"].queryset = Fund.objects.select_related("firm")
        landed = Project.objects.visible_to(user).filter(landed_on__isnull=False).select_related("enterprise")
        self.fields["anchor_project"].queryset = landed.exclude(pk=self.instance.pk or 0)
        self.fields["base_project"].queryset = Project.objects.visible_to(user).exclude(
            pk=self.instance.pk or 0
        )
        self.fields["officer"].queryset = officers()
        self.fields["service_team"].queryset = (
            User.objects.filter(is_active=True, memberships__role__in=[Role.INVESTMENT, Role.UNIT])
            .distinct()
            .order_by("username")
        )
        self.fields["enterprise"].queryset = Enterprise.objects.all()
        if self.instance.pk:
            # The stage moves through its own form; the contract amount through signing.
            del self.fields["stage"], self.fields["stage_since"]
        else:
            self.fields["stage_since"].initial = timezone.localdate()
            self.fields["officer"].initial = user.pk if user.has_role(Role.INVESTMENT) else None

    def clean(self):
        data = super().clean()
        channel, firm, fund = data.get("channel"), data.get("venture_firm"), data.get("fund")
        if channel == Channel.VENTURE and not firm and not fund:
            self.add_error("venture_firm", _("Name the venture-capital firm this project came with."))
        if fund and firm and fund.firm_id != firm.pk:
            self.add_error("fund", _("This fund is not one of the chosen firm's."))
        kind, base = data.get("kind"), data.get("base_project")
        if kind in (ProjectKind.INCREASE, ProjectKind.UPGRADE):
            if not base:
                self.add_error(
                    "base_project", _("Choose the project this capital increase or upgrade adds to.")
                )
            elif data.get("enterprise") and base.enterprise_id != data["enterprise"].pk:
                self.add_error("base_project", _("The base project must be of the same enterprise."))
        since = data.get("stage_since")
        if since and since > timezone.localdate():
            self.add_error("stage_since", _("The date cannot be in the future."))
        return data


class StageMoveForm(forms.Form):
    """The date and the fields the target stage requires; built for one project and one target."""

    date = forms.DateField(label=_("Date"), widget=date_input())
    agreement_type = forms.ChoiceField(label=_("Agreement"), choices=AgreementType.choices, required=False)
    contract_amount = MoneyField(label=_("Contract amount"))
    increment_amount = MoneyField(
        label=_("Increase or upgrade amount"), help_text=_("Only this part counts in the signed totals.")
    )
    registered_capital = MoneyField(label=_("Registered capital"))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, project: Project, to_stage: str, **kwargs):
        from .services import stage_requirements

        super().__init__(*args, **kwargs)
        self.project, self.to_stage = project, to_stage
        self.requirements = stage_requirements(project, to_stage)
        self.fields["date"].initial = timezone.localdate()
        for name in ("agreement_type", "contract_amount", "increment_amount", "registered_capital", "reason"):
            if name not in self.requirements:
                del self.fields[name]
            else:
                self.fields[name].required = True
        if "agreement_type" not in self.requirements:
            del self.fields["note"]
        if "reason" in self.fields and to_stage != Stage.DROPPED:
            self.fields["reason"].label = _("Why does the project move back?")

    def move_kwargs(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()}


class SignAgainForm(forms.Form):
    agreement_type = forms.ChoiceField(label=_("Agreement"), choices=AgreementType.choices, initial="formal")
    date = forms.DateField(label=_("Date"), widget=date_input())
    amount = MoneyField(label=_("Contract amount"), required=True)
    increment_amount = MoneyField(label=_("Increase or upgrade amount"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        if project.kind == ProjectKind.NEW:
            del self.fields["increment_amount"]
        else:
            self.fields["increment_amount"].required = True


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "method", "content", "next_step", "next_step_due"]
        widgets = {"date": date_input(), "next_step_due": date_input(),
                   "content": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    sector = forms.ModelChoiceField(label=_("Sector"), required=False, queryset=sectors(), to_field_name="code",
                                    empty_label=_("All sectors"))  # fmt: skip
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=ProjectCategory.objects.all(),
                                      empty_label=_("All categories"))  # fmt: skip
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    partner = forms.ModelChoiceField(label=_("Venture-capital partner"), required=False,
                                     queryset=VentureFirm.objects.all(), to_field_name="code",
                                     empty_label=_("All partners"))  # fmt: skip
    officer = forms.ModelChoiceField(label=_("Officer"), required=False, queryset=officers(), to_field_name="code",
                                     empty_label=_("All officers"))  # fmt: skip
    year = forms.IntegerField(label=_("Year signed"), required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label=_("Next step overdue"), required=False)
    # With `reached`, `year` is the year the project reached that stage instead of the year it was first signed:
    # the drill-down of the landed / started / operating counts.
    reached = forms.ChoiceField(label=_("Reached"), required=False, choices=[("", "—")] + [
        (s.value, s.label) for s in (Stage.SIGNED, Stage.REGISTERED, Stage.LANDED, Stage.STARTED, Stage.OPERATING)])  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets are evaluated per request, not once at import.
        self.fields["sector"].queryset = sectors()
        self.fields["category"].queryset = ProjectCategory.objects.all()
        self.fields["partner"].queryset = VentureFirm.objects.all()
        self.fields["officer"].queryset = officers()

    def filter(self, projects):
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            projects = projects.filter(
                Q(name__icontains=q)
                | Q(enterprise__name__icontains=q)
                | Q(industry__icontains=q)
                | Q(enterprise__credit_code=q.upper())
            )
        if data.get("stage"):
            projects = projects.filter(stage=data["stage"])
        if data.get("sector"):
            projects = projects.filter(sector=data["sector"])
        if data.get("category"):
            projects = projects.filter(category=data["category"])
        if data.get("channel"):
            projects = projects.filter(channel=data["channel"])
        if data.get("partner"):
            projects = projects.filter(venture_firm=data["partner"])
        if data.get("officer"):
            projects = projects.filter(officer=data["officer"])
        if data.get("reached"):
            projects = projects.reached(data["reached"], year=data.get("year"))
        elif data.get("year"):
            projects = projects.filter(first_signed_on__year=data["year"])
        if data.get("overdue"):
            projects = projects.overdue_next_steps(timezone.localdate())
        return projects


# ——— registries ———


class PolicyForm(forms.ModelForm):
    min_investment = MoneyField(label=_("Minimum investment"))
    origins = forms.MultipleChoiceField(label=_("Origins"), choices=Origin.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: any origin."))  # fmt: skip
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=Channel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: any channel."))  # fmt: skip

    class Meta:
        model = Policy
        fields = ["title", "document_number", "summary", "categories", "min_investment", "origins", "channels",
                  "valid_from", "valid_until", "is_active"]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "categories": forms.CheckboxSelectMultiple,
                   "valid_from": date_input(), "valid_until": date_input()}  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end of validity is before its start."))
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = ProjectCategory
        fields = ["name", "description", "sort_order", "is_active"]


class VentureFirmForm(forms.ModelForm):
    class Meta:
        model = VentureFirm
        fields = ["name", "note", "is_active"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class FundForm(forms.Form):
    name = forms.CharField(label=_("Fund"), max_length=200)
    size = MoneyField(label=_("Fund size"))


class MeasureBindingForm(forms.ModelForm):
    class Meta:
        model = MeasureBinding
        fields = ["metric", "amount_unit", "year", "sector", "category", "channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors()
        self.fields["sector"].empty_label = _("All sectors")
        self.fields["category"].empty_label = _("All categories")
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
        self.fields["amount_unit"].help_text = _("Used by the signed-amount measure only.")
