from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from tuijin.org.forms import BootstrapForm
from tuijin.org.models import Role

from .models import ALWAYS_TWO_FACTOR, SecurityPolicy


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(max_length=4096, strip=False)


class CodeForm(BootstrapForm, forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                   "class": "form-control-lg text-center font-monospace"}
        ),
    )  # fmt: skip


class PasswordChangeForm(BootstrapForm, DjangoPasswordChangeForm):
    """Django's form: the old password, the new one twice. The policy's validators run once, in
    `services.change_password` (history checks hash every old password, which is slow on purpose)."""

    def validate_password_for_user(self, user, password_field_name="password2"):
        pass

    def save(self, commit=True):  # pragma: no cover - the view calls services.change_password instead
        raise NotImplementedError


class ConfirmPasswordForm(BootstrapForm, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class PolicyForm(BootstrapForm, forms.ModelForm):
    two_factor_roles = forms.MultipleChoiceField(
        label=_("Roles that must use two-factor sign-in"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The system administrator, security administrator and auditor always must."),
    )

    class Meta:
        model = SecurityPolicy
        fields = SecurityPolicy.AUDIT_FIELDS
        help_texts = {
            "password_min_length": _("At least 8 (等保 2.0)."),
            "password_min_classes": _("Of capital letters, small letters, digits and symbols; at least 3."),
            "password_history": _("A new password may not be any of the last N; 0 turns this off."),
            "password_max_age_days": _("0: passwords never expire. 等保 practice: 90."),
            "lockout_threshold": _("Failures within the lockout time that lock the user name."),
            "lockout_address_threshold": _(
                "Failures from one network address (any user name) that lock the address. Raise it if many "
                "people share one address."
            ),
            "lockout_minutes": _("How long a lock lasts, and the time within which failures are counted."),
            "idle_minutes": _(
                "等保 practice: 5 to 30 minutes. Background refreshes do not count as activity."
            ),
        }

    LIMITS = {
        "password_min_length": (8, 128),
        "password_min_classes": (3, 4),
        "password_history": (0, 24),
        "password_max_age_days": (0, 365),
        "lockout_threshold": (3, 20),
        "lockout_address_threshold": (3, 1000),
        "lockout_minutes": (1, 1440),
        "idle_minutes": (1, 480),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.LIMITS.items():
            field = self.fields[name]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update({"min": low, "max": high})
        self.fields["two_factor_roles"].initial = self.instance.two_factor_roles
        self.fields["two_factor_roles"].widget.attrs["class"] = "form-check-input"

    def clean_two_factor_roles(self):
        return sorted(set(self.cleaned_data["two_factor_roles"]) | set(ALWAYS_TWO_FACTOR))
