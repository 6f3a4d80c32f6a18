import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core import privacy
from tuijin.org.models import Unit

from .access import scope_of, serving_community_ids
from .models import (
    Availability,
    Community,
    MemberRegistration,
    Need,
    Post,
    PracticalList,
    Registration,
    ServiceRecord,
)
from .services_service import hours_problem, served_on_problem

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{6,19}$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def clean_phone(value: str, required: bool = False) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if not PHONE_RE.match(value):
        raise ValidationError(_("Enter a phone number of digits, e.g. 13812345678 or 0371-66881234."))
    return value


class CommunityForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "street", "district", "address", "contact_name", "contact_phone", "is_active"]

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The office sees the stored phone masked: the input starts empty and an empty answer keeps it.
        self.withheld = privacy.withhold_in_form(self, viewer, ["contact_phone"])

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone")
        if not value and "contact_phone" in self.withheld:
            return self.withheld["contact_phone"]
        return clean_phone(value)


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["name", "sort_order", "is_active"]


def _unit_field(user) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.filter(pk__in=scope_of(user).units).order_by("name"),
        empty_label=None,
    )  # fmt: skip


def _community_field(label=None) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label or _("Community"), queryset=Community.objects.filter(is_active=True), to_field_name="code"
    )


class RegistrationForm(forms.ModelForm):
    """The 报到单 a unit fills in; unit and community only when it is first submitted."""

    class Meta:
        model = Registration
        fields = ["registered_on", "contact_name", "contact_phone", "commitments"]
        widgets = {"registered_on": DATE, "commitments": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "commitments": _("What the unit commits to: joint projects, posts it takes, fixed service days.")
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields = {"unit": _unit_field(user), "community": _community_field(), **self.fields}
            self.fields["registered_on"].initial = timezone.localdate()

    def clean_contact_phone(self):
        return clean_phone(self.cleaned_data.get("contact_phone"), required=True)

    def clean_registered_on(self):
        day = self.cleaned_data["registered_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The registration date cannot be in the future."))
        return day


class MemberRegistrationForm(forms.ModelForm):
    """A member's registration where they live; unit and community only when first submitted."""

    posts = forms.ModelMultipleChoiceField(
        label=_("Preferred volunteer posts"), queryset=Post.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = MemberRegistration
        fields = ["address", "phone", "skills", "posts", "availability"]
        help_texts = {
            "address": _("Only the community sees it in full; elsewhere it is masked."),
            "skills": _("e.g. 法律咨询, 医疗护理, 电脑维修, 书法"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["availability"].choices = Availability.choices
        if self.instance.pk is None:
            self.fields = {"unit": _unit_field(user),
                           "community": _community_field(_("Community where you live")), **self.fields}  # fmt: skip

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Accept")), ("0", _("Return"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason for returning"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("accept") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why it is returned."))
        return data


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["kind", "title", "description", "post", "needed_on", "places"]
        widgets = {"needed_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(is_active=True)
        self.fields["places"].min_value = 1
        self.fields["places"].widget.attrs["min"] = 1
        if self.instance.pk is None and user is not None:
            communities = Community.objects.filter(pk__in=scope_of(user).communities)
            if len(communities) > 1:
                self.fields = {"community": forms.ModelChoiceField(label=_("Community"), queryset=communities,
                                                                   to_field_name="code"), **self.fields}  # fmt: skip

    def clean_places(self):
        places = self.cleaned_data["places"]
        if places < 1 or places > 500:
            raise ValidationError(_("Enter between 1 and 500 places."))
        return places

    def clean_needed_on(self):
        day = self.cleaned_data["needed_on"]
        if self.instance.pk is None and day < timezone.localdate():
            raise ValidationError(_("The date cannot be in the past."))
        return day


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class ServiceRecordForm(forms.Form):
    """A member logs service; the same form checks the API's body."""

    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), to_field_name="code", required=False
    )
    need = forms.ModelChoiceField(
        label=_("For a need you claimed"), queryset=Need.objects.none(), to_field_name="code", required=False
    )
    served_on = forms.DateField(label=_("Date of service"), widget=DATE)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=3, decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24", "inputmode": "decimal"}),
    )  # fmt: skip
    activity = forms.CharField(label=_("Activity"), max_length=200)
    note = forms.CharField(
        label=_("Details"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        communities = Community.objects.filter(pk__in=serving_community_ids(user))
        self.fields["community"].queryset = communities
        self.fields["need"].queryset = Need.objects.filter(
            claims__member=user, claims__withdrawn_at__isnull=True
        ).select_related("community")
        if not self.is_bound:
            self.fields["served_on"].initial = timezone.localdate()
            if len(communities) == 1:
                self.fields["community"].initial = communities[0].code

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        problem = hours_problem(hours)
        if problem:
            raise ValidationError(problem)
        return hours

    def clean_served_on(self):
        day = self.cleaned_data["served_on"]
        problem = served_on_problem(day)
        if problem:
            raise ValidationError(problem)
        return day

    def clean(self):
        data = super().clean()
        need, community = data.get("need"), data.get("community")
        if need and community and need.community_id != community.pk:
            self.add_error("need", _("The need belongs to another community."))
        if not need and not community and "community" not in self.errors and "need" not in self.errors:
            self.add_error("community", _("Choose the community where you served."))
        return data


class RecordDecisionForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Confirm")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("confirm") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why it is rejected."))
        return data


class NeedFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *Need.State.choices], required=False
    )


class RecordFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *ServiceRecord.State.choices], required=False
    )


class PracticalListForm(forms.ModelForm):
    class Meta:
        model = PracticalList
        fields = ["is_public", "title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"intro": _("Shown at the top of the public page. Do not name persons.")}


class PublicUpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Progress summary for the public"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Plain words for residents; no names of persons and no internal matters."),
    )  # fmt: skip
    publish = forms.BooleanField(label=_("Publish now"), required=False)
