"""Model fields shared by every capability."""

from __future__ import annotations

from django.db import models

from tuijin.lib import crypto


class EncryptedCharField(models.TextField):
    """Personal data sealed at rest (SM4-GCM, see tuijin/lib/crypto.py); Python code sees plaintext.

    The database holds only ciphertext, so it cannot filter or sort on the value: keep a blind index
    (`crypto.blind_index`) in a separate indexed column where lookups or duplicate checks are needed.
    `max_length` limits the plaintext (validated in forms and `full_clean`), not the stored text.
    Every such field, in any app, is found by `tuijin rotate-keys` (re-sealing under a new key) and should be
    registered in the app's `privacy.py` (who sees it in full; see tuijin/core/privacy.py)."""

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
        try:
            return crypto.unseal(value)
        except crypto.CryptoError as exc:
            # Name the column, so the operator knows where to look (and that the key or the row is at fault).
            raise type(exc)(f"{self.model._meta.label}.{self.name}: {exc}") from None

    def to_python(self, value):
        # Form and fixture input is plaintext, even if it looks sealed: unsealing it here would let anyone who
        # can write a field read another row's ciphertext through it.
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or isinstance(value, crypto.Sealed):
            return value
        return crypto.seal(str(value))
