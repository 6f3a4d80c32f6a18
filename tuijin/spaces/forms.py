"""Forms of the spaces app: each says what is wrong and where, and changes nothing until everything is valid."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuijin.lib.credit_code import credit_code_problem, normalise_credit_code
from tuijin.lib.masking import id_number_is_valid
from tuijin.org.models import Role, Unit, UnitKind, User
from tuijin.tasks.evidence import allowed_text, check_upload

from .models import ENTERPRISE_KINDS, TALENT_CATEGORIES, Building, Category, Policy, Space, SpaceKind

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    """The self-service application: who, which category, the score items that apply, and each document."""

    category = forms.ChoiceField(label=_("Category"))
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=11, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    employer = forms.CharField(label=_("Employer / enterprise"), max_length=100)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False)
    score_items = forms.MultipleChoiceField(
        label=_("Scoring items that apply to you"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Young talents only; reviewers check each item against your documents."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    consent = forms.BooleanField(
        label=_("I agree that my ID number and documents are used to review this application and are kept "
                "encrypted; only the reviewers see them."),
    )  # fmt: skip

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.fields["category"].choices = [(c, Category(c).label) for c in policy.eligible_categories]
        if policy.kind == SpaceKind.APARTMENT:
            del self.fields["credit_code"]
            self.fields["score_items"].choices = [
                (i["key"], f"{i['label']}（{i['points']}）") for i in policy.score_items
            ]
        else:
            del self.fields["score_items"]
            self.fields["credit_code"].required = True
            self.fields["employer"].label = _("Enterprise")
            self.fields["name"].label = _("Name of the legal representative or contact person")
        self.document_fields = []
        for index, title in enumerate(policy.required_documents):
            name = f"document_{index}"
            self.fields[name] = forms.FileField(label=title, help_text=allowed_text())
            self.document_fields.append((name, title))
        self.fields["consent"] = self.fields.pop("consent")  # asked last, after the documents

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip().upper()
        if not id_number_is_valid(value):
            raise ValidationError(_("This is not a valid resident ID number (18 characters; the last is the check "
                                    "digit of GB 11643, 0–9 or X)."))  # fmt: skip
        return value

    def clean_phone(self) -> str:
        value = re.sub(r"[\s-]", "", self.cleaned_data["phone"])
        if not MOBILE_RE.match(value):
            raise ValidationError(_("Enter an 11-digit mobile number, e.g. 13812345678."))
        return value

    def clean_credit_code(self) -> str:
        value = normalise_credit_code(self.cleaned_data.get("credit_code", ""))
        if value:
            problem = credit_code_problem(value)
            if problem:
                raise ValidationError(problem)
        return value

    def clean(self):
        data = super().clean()
        documents = []
        for name, title in self.document_fields:
            upload = data.get(name)
            if upload is None:
                continue
            try:
                documents.append((title, check_upload(upload)))
            except ValidationError as exc:
                self.add_error(name, exc)
        data["documents"] = documents
        return data


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "1", widget=forms.RadioSelect,
        choices=[("1", _("Approve")), ("0", _("Do not approve"))],
    )  # fmt: skip
    note = forms.CharField(label=_("Opinion"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the application is not approved; the applicant reads it."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Objection"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class AllocateForm(forms.Form):
    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none(), to_field_name="code")
    start = forms.DateField(label=_("Lease starts"), widget=DATE)
    reason = forms.CharField(label=_("Reason for allocating out of turn"), max_length=300, required=False,
                             help_text=_("Only when the application is not at the head of the queue."))  # fmt: skip

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces
        self.fields["space"].label_from_instance = lambda s: (
            f"{s.building.name} {s.label} · {s.size_text} · {s.area.normalize()}㎡ · {s.market_rent:.0f}元/月"
        )
        self.fields["start"].initial = timezone.localdate()


class ChecklistForm(forms.Form):
    """One tick per furnishing item: present and in order."""

    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, space: Space, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []
        for index, item in enumerate(space.furnishing):
            self.fields[f"item_{index}"] = forms.BooleanField(label=item, required=False, initial=True)
            self.items.append((f"item_{index}", item))

    def present(self) -> dict:
        return {item: self.cleaned_data.get(name, False) for name, item in self.items}


class NoticeForm(forms.Form):
    move_out_on = forms.DateField(label=_("Move out on"), widget=DATE)


class RenewForm(forms.Form):
    requalified = forms.BooleanField(label=_("The tenant still qualifies (annual re-qualification checked)"))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=10, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class SpaceForm(forms.ModelForm):
    furnishing_text = forms.CharField(
        label=_("Furnishing"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line, e.g. 双人床, 空调, 洗衣机."),
    )  # fmt: skip

    class Meta:
        model = Space
        fields = ["building", "kind", "label", "rooms", "desks", "area", "market_rent", "status", "note"]

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        self.fields["furnishing_text"].initial = "\n".join(self.instance.furnishing or [])

    def clean_furnishing_text(self) -> list[str]:
        lines = re.split(r"[\n、,，]", self.cleaned_data.get("furnishing_text") or "")
        items = []
        for line in lines:
            line = line.strip()
            if line and line not in items:
                items.append(line[:50])
        return items

    def clean_area(self):
        area = self.cleaned_data["area"]
        if area is not None and area <= 0:
            raise ValidationError(_("The area must be more than zero."))
        return area

    def save(self, commit: bool = True):
        self.instance.furnishing = self.cleaned_data["furnishing_text"]
        return super().save(commit=commit)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))

    def clean_photo(self):
        checked = check_upload(self.cleaned_data["photo"])
        if checked.kind != "photo":
            raise ValidationError(_("%(name)s is not a photo (JPG, PNG or WebP).") % {"name": checked.name})
        return checked


def _lines(text: str) -> list[str]:
    items = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line and line not in items:
            items.append(line)
    return items


class PolicyForm(forms.ModelForm):
    """A policy in plain fields: categories ticked, documents and scoring items one per line, percentages."""

    eligible = forms.MultipleChoiceField(label=_("Who may apply"), widget=forms.CheckboxSelectMultiple)
    unscored = forms.MultipleChoiceField(label=_("Housed without scoring, first, by application time"),
                                         widget=forms.CheckboxSelectMultiple, required=False)  # fmt: skip
    documents = forms.CharField(label=_("Required documents"), widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("One per line."))  # fmt: skip
    items = forms.CharField(
        label=_("Scoring items"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: the item, a vertical bar, the points — e.g. 博士研究生学历|30."),
    )  # fmt: skip
    schedule = forms.CharField(label=_("Rent subsidy by lease year (%)"), required=False,
                               help_text=_("Offices: percentages separated by “/”, e.g. 100/50/50."))  # fmt: skip

    class Meta:
        model = Policy
        fields = ["name", "term_years", "area_cap", "first_review_days", "second_review_days", "publicity_days",
                  "notice_days", "reminder_days"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = self.instance
        choices = [(c.value, c.label) for c in (TALENT_CATEGORIES if policy.kind == SpaceKind.APARTMENT
                                                 else ENTERPRISE_KINDS)]  # fmt: skip
        self.fields["eligible"].choices = self.fields["unscored"].choices = choices
        self.fields["eligible"].initial = policy.eligible_categories
        self.fields["unscored"].initial = policy.unscored_categories
        self.fields["documents"].initial = "\n".join(policy.required_documents)
        self.fields["items"].initial = "\n".join(f"{i['label']}|{i['points']}" for i in policy.score_items)
        self.fields["schedule"].initial = "/".join(str(p) for p in policy.subsidy_by_year)
        if policy.kind == SpaceKind.APARTMENT:
            del self.fields["schedule"]
            del self.fields["area_cap"]
            for value, label in choices:
                self.fields[f"rent_{value}"] = forms.IntegerField(
                    label=_("Rent charged for %(c)s (%% of the market rent; 0 = free)") % {"c": label},
                    min_value=0, max_value=100, initial=policy.rent_percent.get(value, 100),
                )  # fmt: skip
        else:
            del self.fields["items"]
            self.fields["schedule"].required = True

    def clean_documents(self) -> list[str]:
        documents = _lines(self.cleaned_data["documents"])
        if not documents:
            raise ValidationError(_("Name at least one document."))
        return [d[:100] for d in documents]

    def clean_items(self) -> list[dict]:
        items = []
        for number, line in enumerate(_lines(self.cleaned_data.get("items", "")), start=1):
            label, bar, points = line.rpartition("|")
            if not bar or not label.strip() or not points.strip().isdigit():
                raise ValidationError(_("Line %(n)d: write the item, a vertical bar and the points, e.g. "
                                        "博士研究生学历|30.") % {"n": number})  # fmt: skip
            existing = {i["label"]: i["key"] for i in self.instance.score_items}
            key = existing.get(label.strip()) or f"item{number}"
            items.append({"key": key, "label": label.strip()[:50], "points": int(points)})
        return items

    def clean_schedule(self) -> list[int]:
        text = (self.cleaned_data.get("schedule") or "").replace("%", "")
        parts = [p.strip() for p in re.split(r"[/、,，\s]+", text) if p.strip()]
        if not parts or not all(p.isdigit() and 0 <= int(p) <= 100 for p in parts):
            raise ValidationError(
                _("Write whole percentages from 0 to 100 separated by “/”, e.g. 100/50/50.")
            )
        return [int(p) for p in parts]

    def clean(self):
        data = super().clean()
        if set(data.get("unscored") or ()) - set(data.get("eligible") or ()):
            self.add_error("unscored", _("Only categories that may apply can be housed without scoring."))
        return data

    def save(self, commit: bool = True):
        policy = self.instance
        data = self.cleaned_data
        policy.eligible_categories = list(data["eligible"])
        policy.unscored_categories = list(data["unscored"])
        policy.required_documents = data["documents"]
        if policy.kind == SpaceKind.APARTMENT:
            policy.score_items = data["items"]
            policy.rent_percent = {value: data[f"rent_{value}"] for value in TALENT_CATEGORIES}
        else:
            policy.subsidy_by_year = data["schedule"]
        return super().save(commit=commit)


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = ["name", "address", "sector", "operator", "managers"]
        widgets = {"managers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Unit.objects.filter(kind=UnitKind.SECTOR, is_active=True).order_by(
            "sort_order", "name"
        )
        self.fields["managers"].queryset = (
            User.objects.filter(memberships__role=Role.SPACE_MANAGER, is_active=True)
            .distinct()
            .order_by("username")
        )
        self.fields["managers"].label_from_instance = lambda u: u.display_name or u.username
        self.fields["managers"].required = True
