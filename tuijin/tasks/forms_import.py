"""Forms of the import pages: the upload (file, plan, create-units) and the column mapping."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.lib import file_checks

from .models import Plan

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".docx")
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .docx
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)


def check_list_file(upload) -> None:
    """Refuse what is not a workbook, a CSV text file or a Word document, and what is too large, with a clear
    message. Which reader a file gets is decided by its content later, not by its name."""
    name = (upload.name or "").lower()
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Split the list or remove pictures from it.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )
    if not name.endswith(ALLOWED_SUFFIXES):
        raise ValidationError(
            _(
                "Upload an Excel workbook (.xlsx, .xls), a CSV file or a Word document (.docx); “%(name)s” is none of these."
            )
            % {"name": upload.name}
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    file_checks.refuse_active_content(upload.name, head)
    if head.startswith(ZIP_MAGIC):  # zip bomb, macros: checked from the archive's directory, not unpacked
        file_checks.check_office_zip(upload.name, upload)
    elif head.startswith(OLE_MAGIC):
        file_checks.check_ole(upload.name, upload.read())
        upload.seek(0)
    if name.endswith(".csv"):
        if b"\x00" in head or head.startswith((ZIP_MAGIC, OLE_MAGIC)):
            raise ValidationError(_("“%(name)s” is not a text CSV file.") % {"name": upload.name})
    elif name.endswith(".docx") and not head.startswith(ZIP_MAGIC):
        raise ValidationError(
            _(
                "“%(name)s” is not a Word document (.docx), whatever its name says. Open it in Word and save it as .docx."
            )
            % {"name": upload.name}
        )
    elif not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise ValidationError(
            _(
                "“%(name)s” is not an Excel workbook, whatever its name says. Open it in Excel and save it as .xlsx."
            )
            % {"name": upload.name}
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Task list"),
        help_text=_(
            "Excel workbook (.xlsx, .xls), CSV or the Word document (.docx) itself, as sent by the municipal office."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.csv,.docx"}),
    )
    plan = forms.ModelChoiceField(
        label=_("Existing plan"),
        queryset=Plan.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("— a new plan —"),
        help_text=_("Tasks whose number is already in the plan are updated, the others added."),
    )
    plan_name = forms.CharField(label=_("New plan name"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    create_units = forms.BooleanField(
        label=_("Create new units"),
        required=False,
        help_text=_("Units the list names that are not known yet are created; otherwise they are reported."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_list_file(upload)
        return upload

    def clean(self):
        data = super().clean()
        plan = data.get("plan")
        if plan is not None:
            data["plan_name"], data["year"] = plan.name, plan.year
            return data
        if not (data.get("plan_name") or "").strip():
            self.add_error("plan_name", _("Choose an existing plan or name the new one."))
        else:
            data["plan_name"] = data["plan_name"].strip()
        if not data.get("year") and "year" not in self.errors:
            data["year"] = timezone.localdate().year
        return data


class ColumnMappingForm(forms.Form):
    """One select per field: which column letter of the sheet holds it."""

    def __init__(
        self, *args, fields: list[tuple[str, str]], columns: list[tuple[str, str]], initial_map=None, **kw
    ):
        super().__init__(*args, **kw)
        choices = [("", _("— not in the list —"))] + [
            (letter, f"{letter}: {header}" if header else letter) for letter, header in columns
        ]
        initial_map = initial_map or {}
        for name, label in fields:
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=initial_map.get(name, "")
            )

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for name, letter in list(data.items()):
            if not letter:
                continue
            if letter in used:
                self.add_error(
                    name, _("Column %(col)s is already chosen for “%(other)s”.") % {
                        "col": letter, "other": self.fields[used[letter]].label
                    }
                )  # fmt: skip
            used[letter] = name
        return data

    def mapping(self) -> dict[str, str]:
        return {name: letter for name, letter in self.cleaned_data.items() if letter}
