from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuijin.core import privacy

from . import importing, services
from .models import Liaison, Membership, Role, Unit, UnitAlias, UnitKind, User

STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))]
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class BootstrapForm:
    """Bootstrap classes on every widget, so templates can render fields in a plain loop."""

    small = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self:
            widget = bound.field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if self.small:
                css += f" {css}-sm"
                widget.attrs.setdefault("aria-label", bound.label)
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


def _by_status(queryset, status: str):
    if status == "all":
        return queryset
    return queryset.filter(is_active=status != "inactive")


class UnitFilterForm(BootstrapForm, forms.Form):
    small = True

    q = forms.CharField(
        label=_("Name, short name or alias"), required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, short name or alias")}),
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *UnitKind.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def filter(self, units):
        data = self.cleaned_data if self.is_valid() else {}
        units = _by_status(units, data.get("status") or "active")
        if data.get("kind"):
            units = units.filter(kind=data["kind"])
        if q := (data.get("q") or "").strip():
            units = units.filter(
                Q(name__icontains=q)
                | Q(short_name__icontains=q)
                | Q(pk__in=UnitAlias.objects.filter(name__icontains=q).values("unit"))
            )
        return units


class UnitForm(BootstrapForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.DEPARTMENT)
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=Unit.objects.none(), required=False)
    sort_order = forms.IntegerField(label=_("Order"), initial=0, required=False)
    aliases = forms.CharField(
        label=_("Aliases"), required=False, max_length=2000,
        help_text=_("Other names lists use for this unit, separated by 、 or commas, e.g. 市发改委、发改委"),
    )  # fmt: skip

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        self.unit = unit
        if unit is not None:
            kwargs.setdefault("initial", {
                "name": unit.name, "short_name": unit.short_name, "kind": unit.kind, "parent": unit.parent_id,
                "sort_order": unit.sort_order, "aliases": "、".join(a.name for a in unit.aliases.all()),
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(Q(is_active=True) | Q(pk=unit.parent_id if unit else None))
        self.fields["parent"].queryset = parents.exclude(pk=unit.pk if unit else None)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_sort_order(self):
        return self.cleaned_data["sort_order"] or 0

    def clean_aliases(self):
        return services.split_aliases(self.cleaned_data["aliases"])

    def clean(self):
        data = super().clean()
        if "name" in data and "aliases" in data:
            aliases = [a for a in data["aliases"] if a != data["name"]]
            problems = services.unit_problems(
                unit=self.unit, name=data["name"], parent=data.get("parent"), aliases=aliases
            )
            for field_name, messages in problems.items():
                for message in messages:
                    self.add_error(field_name, message)
        return data


class LiaisonForm(BootstrapForm, forms.ModelForm):
    class Meta:
        model = Liaison
        fields = ["name", "position", "phone", "office_phone", "user"]
        help_texts = {"user": _("The account of the liaison officer, if they sign in themselves.")}

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        # Stored phones the viewer may not see as they are stay out of the page (empty input = keep).
        self.withheld = privacy.withhold_in_form(self, viewer, ["phone", "office_phone"])
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.username})"

    def clean_phone(self):
        if "phone" in self.withheld and not self.cleaned_data["phone"].strip():
            return self.withheld["phone"]
        return services.normalise_mobile(self.cleaned_data["phone"])

    def clean_office_phone(self):
        value = self.cleaned_data["office_phone"].strip()
        if not value and "office_phone" in self.withheld:
            return self.withheld["office_phone"]
        if value and not services.OFFICE_PHONE.fullmatch(value):
            raise ValidationError(_("Enter a telephone number such as 0371-67181234."))
        return value


class UnitImportForm(BootstrapForm, forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        self.cleaned_data["sheet"] = importing.read_unit_sheet(upload.name, upload.read())
        return upload


class UserFilterForm(BootstrapForm, forms.Form):
    small = True

    q = forms.CharField(
        label=_("Username, name or unit"), required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Username, name or unit")}),
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def filter(self, users):
        data = self.cleaned_data if self.is_valid() else {}
        users = _by_status(users, data.get("status") or "active")
        if data.get("role"):
            users = users.filter(pk__in=Membership.objects.filter(role=data["role"]).values("user"))
        if q := (data.get("q") or "").strip():
            users = users.filter(
                Q(username__icontains=q)
                | Q(display_name__icontains=q)
                | Q(pk__in=Membership.objects.filter(unit__name__icontains=q).values("user"))
            )
        return users


class UserCreateForm(BootstrapForm, forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only; used to sign in."),
    )  # fmt: skip
    display_name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    title = forms.CharField(label=_("Position"), max_length=50, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("A user named “%(name)s” already exists.") % {"name": username})
        return username

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return services.normalise_mobile(phone) if phone.strip() else ""


class MembershipForm(BootstrapForm, forms.Form):
    """A role and, for roles tied to one, the unit in which it is held."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.active(), required=False,
        help_text=_("Required for unit users; optional for other roles."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("role") in services.ROLES_NEEDING_UNIT and not data.get("unit"):
            self.add_error("unit", _("This role needs a unit."))
        return data
