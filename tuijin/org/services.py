"""Writes to units, liaison officers, users, roles and API tokens.

Each write checks who may do it, validates, saves and writes its own audit row in one transaction. `actor=None`
means the system (management commands run by the operator).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.lib.masking import mask_phone

from .models import ApiToken, Liaison, Membership, Role, Unit, UnitAlias, User

UNIT_MANAGERS = (Role.SUPERVISOR, Role.SYSADMIN)
# 三员: one person holds at most one of these, so no one both runs accounts and grants roles or audits them.
SEPARATED_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
ROLES_NEEDING_UNIT = (Role.UNIT,)


def require_role(actor, *roles: str) -> None:
    """Raise PermissionDenied unless the actor holds one of `roles`; the system (None) may do anything."""
    if actor is not None and not actor.has_role(*roles):
        raise PermissionDenied


# ——— units ———

ALIAS_SEPARATORS = re.compile(r"[、，,;；/／\r\n]+")
UNIT_AUDIT_FIELDS = ["name", "short_name", "kind", "parent_id", "sort_order", "is_active"]


def split_aliases(text: str) -> list[str]:
    """The aliases written in one field, separated by 、，,;；/ or new lines, without repeats."""
    aliases: list[str] = []
    for part in ALIAS_SEPARATORS.split(text or ""):
        part = part.strip()
        if part and part not in aliases:
            aliases.append(part)
    return aliases


def find_unit(text: str) -> Unit | None:
    """The unit a person means by `text`: its name, one of its aliases, or failing those a unique short name."""
    text = (text or "").strip()
    if not text:
        return None
    unit = Unit.objects.filter(Q(name=text) | Q(aliases__name=text)).first()
    if unit is None:
        by_short_name = list(Unit.objects.filter(short_name=text)[:2])
        unit = by_short_name[0] if len(by_short_name) == 1 else None
    return unit


def _ancestors_loop(parents: dict, start, target) -> bool:
    """Whether walking up from `start` through `parents` reaches `target`."""
    seen = set()
    node = start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def unit_problems(
    *, unit: Unit | None, name: str, parent: Unit | None, aliases: list[str]
) -> dict[str, list[str]]:
    """What stops these values from being saved on `unit` (None for a new one), by form field."""
    problems: dict[str, list[str]] = {}
    pk = unit.pk if unit else None

    def add(field_name: str, message: str) -> None:
        problems.setdefault(field_name, []).append(message)

    if Unit.objects.filter(name=name).exclude(pk=pk).exists():
        add("name", _("A unit named “%(name)s” already exists.") % {"name": name})
    owner = UnitAlias.objects.filter(name=name).exclude(unit_id=pk).select_related("unit").first()
    if owner:
        add("name", _("“%(name)s” is already an alias of %(unit)s.") % {"name": name, "unit": owner.unit})
    if parent is not None and pk is not None:
        parents = dict(Unit.objects.values_list("pk", "parent_id"))
        if _ancestors_loop(parents, parent.pk, pk):
            add("parent", _("%(parent)s is %(unit)s itself or one of its sub-units; that would make a loop.")
                % {"parent": parent, "unit": unit})  # fmt: skip
    names = set(Unit.objects.filter(name__in=aliases).exclude(pk=pk).values_list("name", flat=True))
    taken = {
        a.name: a.unit
        for a in UnitAlias.objects.filter(name__in=aliases).exclude(unit_id=pk).select_related("unit")
    }
    for alias in aliases:
        if len(alias) > 100:
            add("aliases", _("“%(alias)s” is longer than 100 characters.") % {"alias": alias})
        elif alias in names:
            add("aliases", _("“%(alias)s” is the name of another unit.") % {"alias": alias})
        elif alias in taken:
            add(
                "aliases",
                _("“%(alias)s” is already an alias of %(unit)s.") % {"alias": alias, "unit": taken[alias]},
            )
    return problems


def _unit_snapshot(unit: Unit) -> dict:
    data = snapshot(unit, UNIT_AUDIT_FIELDS)
    data["aliases"] = sorted(unit.aliases.values_list("name", flat=True)) if unit.pk else []
    return data


def _set_aliases(unit: Unit, aliases: list[str]) -> None:
    current = set(unit.aliases.values_list("name", flat=True))
    unit.aliases.exclude(name__in=aliases).delete()
    UnitAlias.objects.bulk_create([UnitAlias(unit=unit, name=a) for a in aliases if a not in current])


def _save_unit(*, actor, unit: Unit | None, name: str, aliases, **fields) -> Unit:
    require_role(actor, *UNIT_MANAGERS)
    name = name.strip()
    aliases = [a for a in split_aliases("、".join(aliases)) if a != name]
    problems = unit_problems(unit=unit, name=name, parent=fields.get("parent"), aliases=aliases)
    if problems:
        raise ValidationError(problems)
    before = _unit_snapshot(unit) if unit else None
    unit = unit or Unit()
    unit.name = name
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.save()
    _set_aliases(unit, aliases)
    record(actor=actor, action="unit.update" if before else "unit.create", obj=unit, before=before,
           after=_unit_snapshot(unit))  # fmt: skip
    return unit


@transaction.atomic
def create_unit(
    *, actor, name: str, kind: str, short_name: str = "", parent: Unit | None = None, sort_order: int = 0,
    aliases: Sequence[str] = (),
) -> Unit:  # fmt: skip
    return _save_unit(actor=actor, unit=None, name=name, aliases=aliases, kind=kind, short_name=short_name,
                      parent=parent, sort_order=sort_order)  # fmt: skip


@transaction.atomic
def update_unit(
    *, actor, unit: Unit, name: str, kind: str, short_name: str, parent: Unit | None, sort_order: int,
    aliases: Sequence[str],
) -> Unit:  # fmt: skip
    return _save_unit(actor=actor, unit=unit, name=name, aliases=aliases, kind=kind, short_name=short_name,
                      parent=parent, sort_order=sort_order)  # fmt: skip


@transaction.atomic
def set_unit_active(*, actor, unit: Unit, active: bool) -> Unit:
    require_role(actor, *UNIT_MANAGERS)
    if unit.is_active != active:
        unit.is_active = active
        unit.save(update_fields=["is_active"])
        record(actor=actor, action="unit.activate" if active else "unit.deactivate", obj=unit,
               before={"is_active": not active}, after={"is_active": active})  # fmt: skip
    return unit


# ——— liaison officers ———

MOBILE = re.compile(r"1[3-9]\d{9}")
OFFICE_PHONE = re.compile(r"[\d\-+() ]{7,30}")


def normalise_mobile(value: str) -> str:
    """An 11-digit mainland mobile number without spaces, dashes or +86; ValidationError if it is not one."""
    digits = re.sub(r"[\s\-]", "", value or "")
    digits = re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)
    if not MOBILE.fullmatch(digits):
        raise ValidationError(_("Enter an 11-digit mobile number starting with 1, e.g. 13812345678."))
    return digits


def _liaison_snapshot(liaison: Liaison) -> dict:
    # Phones are personal data: the audit log keeps them masked, like the screens do.
    return {
        "name": liaison.name,
        "position": liaison.position,
        "phone": mask_phone(liaison.phone),
        "office_phone": mask_phone(liaison.office_phone),
        "user_id": liaison.user_id,
    }


@transaction.atomic
def set_liaison(
    *,
    actor,
    unit: Unit,
    name: str,
    phone: str,
    position: str = "",
    office_phone: str = "",
    user: User | None = None,
) -> Liaison:
    require_role(actor, *UNIT_MANAGERS)
    liaison = Liaison.objects.filter(unit=unit).first()
    before = _liaison_snapshot(liaison) if liaison else None
    liaison = liaison or Liaison(unit=unit)
    liaison.name, liaison.position, liaison.user = name.strip(), position.strip(), user
    liaison.phone, liaison.office_phone = normalise_mobile(phone), office_phone.strip()
    liaison.save()
    record(actor=actor, action="liaison.set", obj=liaison, object_repr=f"{unit} · {liaison.name}", before=before,
           after=_liaison_snapshot(liaison))  # fmt: skip
    return liaison


@transaction.atomic
def remove_liaison(*, actor, unit: Unit) -> None:
    require_role(actor, *UNIT_MANAGERS)
    liaison = Liaison.objects.filter(unit=unit).first()
    if liaison:
        record(actor=actor, action="liaison.remove", obj=liaison, before=_liaison_snapshot(liaison))
        liaison.delete()


# ——— users and roles ———

USER_AUDIT_FIELDS = ["username", "display_name", "title", "is_active"]


def _user_snapshot(user: User) -> dict:
    # Never the password hash; the phone masked, as on screen.
    return snapshot(user, USER_AUDIT_FIELDS) | {"phone": mask_phone(user.phone)}


PASSWORD_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "-_@#%+=")


def generate_password(length: int = 16) -> str:
    """A random password with every character class, so it meets any password policy; no 0/O/o, 1/l/I."""
    rng = secrets.SystemRandom()
    chars = [rng.choice(alphabet) for alphabet in PASSWORD_ALPHABETS]
    chars += [rng.choice("".join(PASSWORD_ALPHABETS)) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    display_name: str = "",
    phone: str = "",
    title: str = "",
    password: str | None = None,
) -> tuple[User, str]:
    """A new account; returns it with its password (generated when none is given) to show once. Whoever
    chose it, it is an initial password: the user must change it at the first sign-in."""
    require_role(actor, Role.SYSADMIN)
    username = username.strip()
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user named “%(name)s” already exists.") % {"name": username}})
    user = User(
        username=username, display_name=display_name.strip(), phone=phone.strip(), title=title.strip(),
        must_change_password=True,
    )  # fmt: skip
    if password is None:
        password = generate_password()
    else:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    record(actor=actor, action="user.create", obj=user, after=_user_snapshot(user))
    return user, password


@transaction.atomic
def reset_password(*, actor, user: User) -> str:
    """A new generated password for `user`, to show once and to be changed at the next sign-in; their sessions
    end with the old one."""
    require_role(actor, Role.SYSADMIN)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor=actor, action="user.reset_password", obj=user, after={"username": user.username})
    return password


@transaction.atomic
def set_user_active(*, actor, user: User, active: bool) -> User:
    require_role(actor, Role.SYSADMIN)
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(actor=actor, action="user.activate" if active else "user.deactivate", obj=user,
               before={"is_active": not active}, after={"is_active": active})  # fmt: skip
    return user


def _membership_data(membership: Membership) -> dict:
    return {
        "user": membership.user.username,
        "role": membership.role,
        "unit": membership.unit.name if membership.unit else None,
    }


def _require_role_admin(actor, user: User) -> None:
    require_role(actor, Role.SECADMIN)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("Nobody may change their own roles."))


@transaction.atomic
def add_membership(*, actor, user: User, role: str, unit: Unit | None = None) -> Membership:
    _require_role_admin(actor, user)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    if role in ROLES_NEEDING_UNIT and unit is None:
        raise ValidationError({"unit": _("This role needs a unit.")})
    current = set(user.memberships.values_list("role", "unit_id"))
    if (role, unit.pk if unit else None) in current:
        raise ValidationError(_("%(user)s already has this role.") % {"user": user})
    if role in SEPARATED_ROLES:
        clashing = {r for r, _unit in current if r in SEPARATED_ROLES and r != role}
        if clashing:
            raise ValidationError({"role": _("The system administrator, security administrator and auditor must be "
                                             "different people; %(user)s is already %(role)s.")
                                   % {"user": user, "role": Role(clashing.pop()).label}})  # fmt: skip
    membership = Membership.objects.create(user=user, role=role, unit=unit)
    user.__dict__.pop("_memberships", None)
    record(actor=actor, action="membership.add", obj=membership, after=_membership_data(membership))
    return membership


@transaction.atomic
def remove_membership(*, actor, membership: Membership) -> None:
    _require_role_admin(actor, membership.user)
    record(actor=actor, action="membership.remove", obj=membership, before=_membership_data(membership))
    membership.delete()


# ——— API tokens ———


def _require_owner(actor, user: User) -> None:
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied


@transaction.atomic
def issue_token(*, actor, user: User) -> tuple[ApiToken, str]:
    """A new token for `user`; the key is returned once and only its hash is kept."""
    _require_owner(actor, user)
    token, key = ApiToken.issue(user)
    record(
        actor=actor, action="token.issue", obj=token, after={"user": user.username, "prefix": token.prefix}
    )
    return token, key


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    _require_owner(actor, token.user)
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        record(
            actor=actor, action="token.revoke", obj=token, before={"revoked": False}, after={"revoked": True}
        )
    return token
