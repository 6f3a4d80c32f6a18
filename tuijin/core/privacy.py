"""Personal data (PIPL; 等保 2.0 个人信息保护): who sees which field in full, disclosure on demand, exports, and
anonymisation when retention ends.

Each app declares its personal data in its own `privacy.py`, found automatically (like `admin.py`):

    from tuijin.core import privacy

    def contact_access(viewer, activity) -> privacy.Access:
        return privacy.Access.REVEAL if viewer.is_supervisor else privacy.Access.MASKED

    privacy.register_field(Activity, "contact_phone", kind="phone", access=contact_access,
                           purpose="The organisers call the contact person on the day.")
    privacy.register_retention(Applicant, fields={"name": anonymous_name, "id_number": ""}, due=applicants_due)

Screens show a registered field with `{% load personal_data %}{% personal_data obj "field" %}`: in full for
`Access.FULL` (the person themselves), masked with a "show in full" button for `Access.REVEAL` (each press is
permission-checked and writes a `personal_data.reveal` audit row), masked for `Access.MASKED`. An unregistered
field is always masked. Exports use `export_value` and `record_export`. Key rotation is in `tuijin/core/keys.py`.
"""

from __future__ import annotations

import datetime
import enum
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from tuijin.lib import masking

DEFAULT_RETENTION_DAYS = 3 * 365


class Access(enum.StrEnum):
    FULL = "full"  # shown in full as it is: the person themselves
    REVEAL = "reveal"  # masked, with a "show in full" action that is checked and logged each time
    MASKED = "masked"  # masked only


def _mask_other(value: str) -> str:
    value = value or ""
    return value[:1] + "***" if len(value) > 1 else "*" * len(value)


MASKS: dict[str, Callable[[str], str]] = {
    "phone": masking.mask_phone,
    "name": masking.mask_name,
    "id_number": masking.mask_id_number,
    "email": masking.mask_email,
    "bank_card": masking.mask_bank_card,
    "other": _mask_other,
}


@dataclass(frozen=True)
class PersonalField:
    """One field holding personal data, with the policy saying who sees it in full."""

    model: type[models.Model]
    name: str
    kind: str
    access: Callable[[Any, models.Model], Access]
    purpose: str
    # a public code (from a URL) → the object; raises DoesNotExist, ValidationError or ValueError otherwise
    lookup: Callable[[str], models.Model]
    code_of: Callable[[models.Model], str]  # the object → its public code
    mask: Callable[[str], str]

    @property
    def key(self) -> str:
        """The field's public name in URLs and audit rows: "org.liaison.phone"."""
        return f"{self.model._meta.label_lower}.{self.name}"

    @property
    def label(self) -> str:
        return str(self.model._meta.get_field(self.name).verbose_name)


@dataclass(frozen=True)
class RetentionRule:
    """Records of one model whose personal data is anonymised once `due(now)` returns them."""

    model: type[models.Model]
    fields: dict[str, Any]  # field → replacement value, or a function of the record returning it
    due: Callable[[datetime.datetime], models.QuerySet]
    description: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label


@dataclass
class _Registry:
    fields: dict[str, PersonalField] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    retention: list[RetentionRule] = field(default_factory=list)
    discovered: bool = False


_registry = _Registry()
_discover_lock = threading.RLock()


def _discovered() -> _Registry:
    """The registry, after importing every installed app's `privacy` module once."""
    if not _registry.discovered:
        with _discover_lock:
            if not _registry.discovered:
                # Set first, so a privacy module that reads the registry while it loads does not recurse.
                _registry.discovered = True
                try:
                    autodiscover_modules("privacy")
                except Exception:
                    _registry.discovered = False
                    raise
    return _registry


def _default_lookup(model: type[models.Model]) -> Callable[[str], models.Model]:
    return lambda code: model._default_manager.get(code=code)


def register_field(
    model: type[models.Model],
    name: str,
    *,
    kind: str,
    access: Callable[[Any, models.Model], Access],
    purpose: str = "",
    lookup: Callable[[str], models.Model] | None = None,
    code_of: Callable[[models.Model], str] | None = None,
    mask: Callable[[str], str] | None = None,
) -> PersonalField:
    """Declare that `model.name` holds personal data of `kind` (phone, name, id_number, email, bank_card,
    other) and who sees it in full. `lookup`/`code_of` default to the model's UUID `code` field."""
    model._meta.get_field(name)  # FieldDoesNotExist at start-up rather than at the first page view
    if kind not in MASKS and mask is None:
        raise ImproperlyConfigured(f"Unknown kind of personal data {kind!r}; use one of {sorted(MASKS)}")
    entry = PersonalField(
        model=model,
        name=name,
        kind=kind,
        access=access,
        purpose=purpose,
        lookup=lookup or _default_lookup(model),
        code_of=code_of or (lambda obj: str(obj.code)),
        mask=mask or MASKS[kind],
    )
    _registry.fields[entry.key] = entry
    return entry


def register_secret(model: type[models.Model], name: str) -> None:
    """Declare that a sealed field holds a secret that is never shown (a TOTP seed, a token), not personal data
    to display: it is still re-sealed by `tuijin rotate-keys`, and the system check stops asking for a policy."""
    model._meta.get_field(name)
    _registry.secrets.add(f"{model._meta.label_lower}.{name}")


def register_retention(
    model: type[models.Model],
    fields: dict[str, Any],
    due: Callable[[datetime.datetime], models.QuerySet],
    *,
    description: str = "",
) -> RetentionRule:
    """Declare that records `due(now)` returns are past their retention: `tuijin anonymise` then replaces each
    field in `fields` by its value (or by `value(record)` when it is callable) and keeps the row.

    `due` must leave out records already anonymised, so that the command is idempotent."""
    from .models import AuditEvent

    if model is AuditEvent:
        raise ImproperlyConfigured("The audit log is evidence: it is never anonymised.")
    for name in fields:
        model._meta.get_field(name)
    rule = RetentionRule(model=model, fields=dict(fields), due=due, description=description)
    _registry.retention = [r for r in _registry.retention if r.model is not model] + [rule]
    return rule


def personal_fields() -> list[PersonalField]:
    return list(_discovered().fields.values())


def retention_rules() -> list[RetentionRule]:
    return list(_discovered().retention)


def field_for(obj_or_model, name: str) -> PersonalField | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return _discovered().fields.get(f"{model._meta.label_lower}.{name}")


def by_key(key: str) -> PersonalField | None:
    return _discovered().fields.get(key)


def is_secret(model: type[models.Model], name: str) -> bool:
    return f"{model._meta.label_lower}.{name}" in _discovered().secrets


def retention_days() -> int:
    return int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


# ——— who sees what ———


def access(viewer, obj: models.Model, name: str) -> Access:
    """How `viewer` may see `obj.name`; anything not registered, and anyone signed out, sees it masked."""
    entry = field_for(obj, name)
    if entry is None or viewer is None or not getattr(viewer, "is_authenticated", False):
        return Access.MASKED
    return Access(entry.access(viewer, obj))


def mask(obj_or_model, name: str, value: str) -> str:
    entry = field_for(obj_or_model, name)
    return (entry.mask if entry else _mask_other)(value or "")


def display(viewer, obj: models.Model, name: str) -> str:
    """The text to show `viewer` without a reveal action: in full only for `Access.FULL`."""
    value = getattr(obj, name) or ""
    return value if access(viewer, obj, name) == Access.FULL else mask(obj, name, value)


def may_see_full(viewer, obj: models.Model, name: str) -> bool:
    return access(viewer, obj, name) in (Access.FULL, Access.REVEAL)


@transaction.atomic
def reveal(*, actor, obj: models.Model, name: str) -> str:
    """The value of `obj.name` in full for `actor`, if the policy allows it; every disclosure is audited."""
    from .audit import record

    if not may_see_full(actor, obj, name):
        raise PermissionDenied
    value = getattr(obj, name) or ""
    record(
        actor=actor,
        action="personal_data.reveal",
        obj=obj,
        after={"field": field_for(obj, name).key, "value": mask(obj, name, value)},
    )
    return value


def export_value(viewer, obj: models.Model, name: str) -> str:
    """The text an export made by `viewer` carries: in full where the policy allows it, masked otherwise.
    Pair every export carrying personal data with one `record_export` call."""
    value = getattr(obj, name) or ""
    return value if may_see_full(viewer, obj, name) else mask(obj, name, value)


def record_export(*, actor, model: type[models.Model], names: Iterable[str], rows: int, full: bool,
                  description: str = ""):  # fmt: skip
    """One audit row for an export or download that carries personal data (which fields, how many rows,
    whether in full)."""
    from .audit import record

    return record(
        actor=actor,
        action="personal_data.export",
        object_type=model._meta.label_lower,
        object_repr=description[:255],
        after={"fields": list(names), "rows": rows, "full": full},
    )


def withhold_in_form(form, viewer, names: Iterable[str]) -> dict[str, str]:
    """In a form editing personal data, leave out the stored values `viewer` may not see as they are (anything
    but `Access.FULL`): the input starts empty with the masked value as placeholder, and an empty answer keeps
    what is stored. Returns {field: stored value} for the form's clean methods to fall back on."""
    instance = getattr(form, "instance", None)
    withheld: dict[str, str] = {}
    if viewer is None or instance is None or instance.pk is None:
        return withheld
    for name in names:
        value = getattr(instance, name) or ""
        if not value or access(viewer, instance, name) == Access.FULL:
            continue
        withheld[name] = value
        form.initial[name] = ""
        form_field = form.fields[name]
        form_field.required = False
        form_field.widget.attrs["placeholder"] = mask(instance, name, value)
        form_field.help_text = _("Stored and shown masked. Leave empty to keep it, or type a new value.")
    return withheld


# ——— retention ———


@dataclass
class AnonymisedCount:
    rule: RetentionRule
    records: list[models.Model]


def _replacement(value, record: models.Model):
    return value(record) if callable(value) else value


def _masked_for_log(obj: models.Model, name: str, value) -> str:
    value = "" if value is None else str(value)
    if field_for(obj, name) is None and "name" in name:
        return masking.mask_name(value)
    return mask(obj, name, value)


def anonymise(
    *, now: datetime.datetime | None = None, dry_run: bool = False, actor=None
) -> list[AnonymisedCount]:
    """Replace the personal data of every record past its retention; keep the rows, so what refers to them (the
    audit log above all) stays valid. One audit row per record; `dry_run` only finds them."""
    from .audit import record

    now = now or timezone.now()
    results = []
    for rule in retention_rules():
        due = list(rule.due(now))
        if not dry_run:
            for obj in due:
                with transaction.atomic():
                    before = {name: _masked_for_log(obj, name, getattr(obj, name)) for name in rule.fields}
                    for name, value in rule.fields.items():
                        setattr(obj, name, _replacement(value, obj))
                    obj.save(update_fields=list(rule.fields))
                    after = {name: getattr(obj, name) for name in rule.fields}
                    record(actor=actor, action="personal_data.anonymise", obj=obj, before=before, after=after)
        results.append(AnonymisedCount(rule=rule, records=due))
    return results
