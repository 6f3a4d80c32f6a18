"""Units, people, their roles and liaison officers."""

import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tuijin.core.fields import EncryptedCharField
from tuijin.lib.masking import mask_phone


class UnitKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("City office")
    SECTOR = "sector", _("Sector management committee")
    DEPARTMENT = "department", _("Municipal department")
    DISTRICT = "district", _("District")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor")
    LEADER = "leader", _("City leader")
    UNIT = "unit", _("Unit user")
    INVESTMENT = "investment", _("Investment officer")
    SPACE_MANAGER = "space_manager", _("Space manager")
    APPLICANT = "applicant", _("Applicant")
    RATER = "rater", _("Rater")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    """An organisation that leads or supports tasks: sector committee, municipal department, district…"""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    sort_order = models.IntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "sort_order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class UnitAlias(models.Model):
    """Another name a list may use for a unit: a short form or a former name (市发改委 = 市发展改革委)."""

    unit = models.ForeignKey(Unit, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(_("alias"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: staff of a unit, a leader, the supervision office, an external applicant."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)
    title = models.CharField(_("position"), max_length=50, blank=True)
    # Security (issue 8): an initial or reset password must be changed at the next sign-in; expiry counts from
    # the last change.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @cached_property
    def _memberships(self) -> list[tuple[str, int | None]]:
        return list(self.memberships.values_list("role", "unit_id"))

    def role_codes(self) -> set[str]:
        return {role for role, _unit in self._memberships}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes() & set(roles))

    def unit_ids(self, role: str = Role.UNIT) -> set[int]:
        return {unit for r, unit in self._memberships if r == role and unit is not None}

    @property
    def sees_all_tasks(self) -> bool:
        return self.has_role(Role.SUPERVISOR, Role.LEADER)

    @property
    def is_supervisor(self) -> bool:
        return self.has_role(Role.SUPERVISOR)


class Membership(models.Model):
    """A user's role, in a unit where the role is tied to one."""

    user = models.ForeignKey(User, related_name="memberships", on_delete=models.CASCADE)
    unit = models.ForeignKey(
        Unit, related_name="memberships", null=True, blank=True, on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit or '—'}"


class Liaison(models.Model):
    """The liaison officer (联络员) a unit names for the programme."""

    unit = models.OneToOneField(Unit, related_name="liaison", on_delete=models.CASCADE)
    user = models.ForeignKey(
        User, null=True, blank=True, related_name="liaison_for", on_delete=models.SET_NULL
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)
    office_phone = EncryptedCharField(_("office phone"), max_length=30, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("liaison officer")
        verbose_name_plural = _("liaison officers")

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class ApiToken(models.Model):
    """A bearer token for the API; only its hash is stored."""

    user = models.ForeignKey(User, related_name="api_tokens", on_delete=models.CASCADE)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> tuple["ApiToken", str]:
        key = "tj_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, prefix=key[:8], key_hash=cls.hash(key)), key
