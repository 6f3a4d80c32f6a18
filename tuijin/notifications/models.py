"""Notices to people — in the app's inbox, by email and to group robots — each sent once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("Email")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class Notification(models.Model):
    """One notice for one user; `key` makes it unique so the same notice is never created twice."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        YELLOW = "yellow", _("Yellow warning")
        RED = "red", _("Red warning")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="notifications", on_delete=models.CASCADE)
    key = models.CharField(
        max_length=200, help_text="e.g. remind:task:42:2026-06-27 — one notice per key per user"
    )
    kind = models.CharField(_("kind"), max_length=40)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Not auto_now_add: `tick --now` dates notices on its moved clock.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # The tick's "already sent?" check by key for every user (supervision.reminders._already_sent):
            # 12 ms → 0.4 ms per 500 keys at city scale (docs/INDEXES.md).
            models.Index(fields=["key"], name="notification_key_idx"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How a user wants notices: which channels, immediately or as a daily digest."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DIGEST = "digest", _("Daily digest")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="notification_preference", on_delete=models.CASCADE
    )
    email = models.BooleanField(_("email"), default=False)
    email_address = models.EmailField(_("email address"), blank=True)
    wecom_webhook = models.URLField(_("WeCom robot webhook"), blank=True)
    dingtalk_webhook = models.URLField(_("DingTalk robot webhook"), blank=True)
    mode = models.CharField(_("delivery"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    digest_hour = models.PositiveSmallIntegerField(_("digest hour"), default=8)
    last_digest_on = models.DateField(_("last digest"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} {self.mode}"


class Delivery(models.Model):
    """One notice sent (or to be sent) over one outside channel; digests group several notices in one delivery."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(Notification, related_name="deliveries", on_delete=models.CASCADE)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When a sender last claimed it; a claim left "sending" by a crashed sender is taken up again later.
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.state}"
