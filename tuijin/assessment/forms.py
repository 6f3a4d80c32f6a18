"""Forms for schemes, indicators, computing a round, manual scores and adjustments."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit, UnitKind
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Plan

from . import registry
from .models import Adjustment, Indicator, Scheme
from .periods import PeriodError, bounds

RANKED_KINDS = [(k, label) for k, label in UnitKind.choices if k != UnitKind.CITY_OFFICE]


def bands_text(bands) -> str:
    return "\n".join(f"{float(low):g} {label}" for low, label in bands)


class SchemeForm(forms.ModelForm):
    groups = forms.MultipleChoiceField(
        label=_("Ranking groups"), choices=RANKED_KINDS, widget=forms.CheckboxSelectMultiple,
        help_text=_("Each kind of unit is ranked on its own."),
    )  # fmt: skip
    bands = forms.CharField(
        label=_("Grade bands"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: the lowest total for the grade, then its name, e.g. “90 优秀”."),
    )  # fmt: skip
    plans = forms.ModelMultipleChoiceField(
        label=_("Plans covered"), queryset=Plan.objects.order_by("-year", "name"), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: all plans."),
    )  # fmt: skip

    class Meta:
        model = Scheme
        fields = ["name", "description", "method", "base_score", "period_kind", "circular_subject",
                  "issuing_organ", "number_prefix", "requirements", "is_active"]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
        }

    field_order = ["name", "description", "method", "base_score", "period_kind", "groups", "bands", "plans",
                   "circular_subject", "issuing_organ", "number_prefix", "requirements", "is_active"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scheme = self.instance
        self.fields["bands"].initial = bands_text(scheme.sorted_bands())
        self.fields["groups"].initial = scheme.groups
        if scheme.pk:
            self.fields["plans"].initial = list(scheme.plans.all())

    def clean_bands(self):
        bands = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            if not line.strip():
                continue
            low, _sep, label = line.strip().partition(" ")
            try:
                value = float(low)
            except ValueError:
                raise ValidationError(_("Line %(n)s: start with a number.") % {"n": number}) from None
            if not label.strip():
                raise ValidationError(
                    _("Line %(n)s: give the grade's name after the number.") % {"n": number}
                )
            bands.append([value, label.strip()])
        if not bands:
            raise ValidationError(_("Give at least one grade."))
        return sorted(bands, key=lambda b: -b[0])

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["grade_bands"] = self.cleaned_data["bands"]
        data["groups"] = list(self.cleaned_data["groups"])
        return data


class IndicatorForm(forms.ModelForm):
    calculator = forms.ChoiceField(label=_("Calculator"), required=False)
    veto_threshold = forms.DecimalField(
        label=_("Veto threshold"), required=False,
        help_text=_("A rate (0–1) or manual score below it, or a count of warnings or orders above it, fails the veto."),
    )  # fmt: skip
    params_text = forms.CharField(
        label=_("Parameters (JSON)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('e.g. {"points": {"yellow": 0.5, "red": 1}} or {"weights": {"red": 3}} or {"normalise": "max"}'),
    )  # fmt: skip

    class Meta:
        model = Indicator
        fields = ["name", "kind", "calculator", "weight", "veto", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calculator"].choices = [("", "—")] + registry.choices()
        params = dict(self.instance.params or {})
        if "veto_threshold" in params:
            self.fields["veto_threshold"].initial = params.pop("veto_threshold")
        self.fields["params_text"].initial = json.dumps(params, ensure_ascii=False) if params else ""

    def clean_params_text(self):
        text = self.cleaned_data["params_text"].strip()
        if not text:
            return {}
        try:
            params = json.loads(text)
        except ValueError:
            raise ValidationError(_("Write the parameters as JSON.")) from None
        if not isinstance(params, dict):
            raise ValidationError(_("Write the parameters as a JSON object: {…}."))
        return params

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Indicator.Kind.AUTO and not data.get("calculator"):
            self.add_error("calculator", _("Choose a calculator for an automatic indicator."))
        if data.get("veto") and kind == Indicator.Kind.ADJUSTMENT:
            self.add_error("veto", _("Bonuses and deductions cannot be a veto item."))
        return data

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        params = dict(self.cleaned_data.get("params_text") or {})
        if self.cleaned_data.get("veto_threshold") is not None:
            params["veto_threshold"] = float(self.cleaned_data["veto_threshold"])
        data["params"] = params
        return data


class PeriodField(forms.CharField):
    def __init__(self, *args, period_kind: str = "month", **kwargs):
        self.period_kind = period_kind
        kwargs.setdefault("label", _("Period"))
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        try:
            bounds(self.period_kind, value)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None
        return value


class ComputeForm(forms.Form):
    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"] = PeriodField(period_kind=scheme.period_kind)


def _units(scheme: Scheme):
    return Unit.objects.active().filter(kind__in=scheme.groups).order_by("kind", "sort_order", "name")


class ManualScoreForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "period": PeriodField(period_kind=scheme.period_kind),
            "unit": forms.ModelChoiceField(label=_("Unit"), queryset=_units(scheme)),
            "indicator": forms.ModelChoiceField(
                label=_("Indicator"), queryset=scheme.indicators.filter(kind=Indicator.Kind.MANUAL)
            ),
            **self.fields,
        }

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        return check_upload(upload) if upload else None


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Adjustment.Kind.choices)
    points = forms.DecimalField(label=_("Points"), max_digits=6, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "period": PeriodField(period_kind=scheme.period_kind),
            "unit": forms.ModelChoiceField(label=_("Unit"), queryset=_units(scheme)),
            **self.fields,
        }
