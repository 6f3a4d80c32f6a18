"""Model fields shared by every capability."""

from __future__ import annotations

from django.db import models

from tuijin.lib import crypto


class EncryptedCharField(models.TextField):
    """Personal data sealed at rest (SM4-GCM, see tuijin/lib/crypto.py); Python code sees plaintext.

    The database holds only ciphertext, so it cannot filter or sort on the value: keep a blind index
    (`crypto.blind_index`) in a separate indexed column where lookups or duplicate checks are needed.
    `max_length` limits the plaintext (validated in forms and `full_clean`), not the stored text."""

    def __init__(self, *args, **kwargs):
        self.plain_max_length = kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)
        if self.plain_max_length:
            from django.core.validators import MaxLengthValidator

            self.validators.append(MaxLengthValidator(self.plain_max_length))

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        if self.plain_max_length:
            kwargs["max_length"] = self.plain_max_length
        return name, "tuijin.core.fields.EncryptedCharField", args, kwargs

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"form_class": forms.CharField, "max_length": self.plain_max_length}
        defaults.update(kwargs)
        field = super().formfield(**defaults)
        from django.forms import TextInput

        field.widget = TextInput(attrs=field.widget.attrs)
        return field

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.unseal(value)

    def to_python(self, value):
        if isinstance(value, str) and crypto.is_sealed(value):
            return crypto.unseal(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or crypto.is_sealed(value):
            return value
        return crypto.seal(str(value))
