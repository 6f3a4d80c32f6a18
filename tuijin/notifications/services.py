"""Notices to people: created once per key in the inbox, then sent by email and to group robots — at once or
as a daily digest. Outside sends go through `tuijin.core.outbound` (robots) and Django's mail (email)."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core import outbound
from tuijin.core.audit import record, snapshot
from tuijin.org.models import Role, User

from .models import Channel, Delivery, Notification, Preference

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A "sending" claim older than this was left by a sender that died mid-way; it is taken up again.
STALE_CLAIM = datetime.timedelta(minutes=10)
BATCH = 500
ROBOT_MAX_BYTES = 4000  # WeCom refuses markdown over 4096 bytes; DingTalk allows more
ROBOT_HOSTS = {
    Channel.WECOM: ("qyapi.weixin.qq.com", "key"),
    Channel.DINGTALK: ("oapi.dingtalk.com", "access_token"),
}
PREFERENCE_FIELDS = ["email", "email_address", "wecom_webhook", "dingtalk_webhook", "mode", "digest_hour"]


@dataclass
class Message:
    subject: str
    markdown: str
    plain: str


# ——— channels ———


def webhook_error(channel: str, url: str) -> str:
    """Why `url` is not a usable robot address for `channel`, or "" when it is."""
    host, param = ROBOT_HOSTS[channel]
    parts = urlsplit(url or "")
    if parts.scheme != "https" or parts.hostname != host:
        return _("Enter the robot's https address on %(host)s.") % {"host": host}
    if not parse_qs(parts.query).get(param):
        return _(
            "The address lacks its “%(param)s=…” part; copy the whole address from the robot's settings."
        ) % {"param": param}
    return ""


def get_preference(user) -> Preference | None:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return None


def email_address(user, pref: Preference | None) -> str:
    return (pref.email_address if pref else "") or user.email


def enabled_channels(user, pref: Preference | None) -> list[str]:
    """The outside channels this user's preference turns on and can reach."""
    if pref is None:
        return []
    channels = []
    if pref.email and email_address(user, pref):
        channels.append(Channel.EMAIL)
    if pref.wecom_webhook:
        channels.append(Channel.WECOM)
    if pref.dingtalk_webhook:
        channels.append(Channel.DINGTALK)
    return channels


def absolute_url(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    path = url or reverse("inbox")
    return base + (path if path.startswith("/") else "/" + path)


def _clip(text: str, limit: int = ROBOT_MAX_BYTES) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[: limit - 3].decode("utf-8", "ignore") + "…"


def notice_message(notification: Notification) -> Message:
    link = absolute_url(notification.url)
    level = (
        "" if notification.level == Notification.Level.INFO else f"**{notification.get_level_display()}**\n\n"
    )
    body = f"{notification.body}\n\n" if notification.body else ""
    open_label = _("Open in Tuijin")
    markdown = f"### {notification.title}\n\n{level}{body}[{open_label}]({link})"
    plain = f"{notification.title}\n\n{body}{link}\n"
    return Message(subject=notification.title, markdown=_clip(markdown), plain=plain)


def digest_message(notifications: Sequence[Notification], day: datetime.date) -> Message:
    subject = _("%(site)s daily digest, %(date)s: %(count)s notices") % {
        "site": settings.SITE_NAME, "date": day.isoformat(), "count": len(notifications),
    }  # fmt: skip
    inbox = absolute_url(reverse("inbox"))
    all_label = _("All notices in the inbox")
    open_label = _("Open")
    tail = f"\n\n[{all_label}]({inbox})"
    lines, plain = [], [subject, ""]
    for n in notifications:
        first_line = n.body.splitlines()[0] if n.body else ""
        lines.append(f"- **{n.title}** {first_line} [{open_label}]({absolute_url(n.url)})".replace("  ", " "))
        plain.append(f"- {n.title} {first_line}\n  {absolute_url(n.url)}".replace("  \n", "\n"))
    head = f"### {subject}\n\n"
    markdown = head + "\n".join(lines) + tail
    while len(markdown.encode("utf-8")) > ROBOT_MAX_BYTES and len(lines) > 1:
        lines.pop()
        more = _("… and %(count)s more.") % {"count": len(notifications) - len(lines)}
        markdown = head + "\n".join(lines) + f"\n- {more}" + tail
    plain.extend(["", inbox, ""])
    return Message(subject=subject, markdown=_clip(markdown), plain="\n".join(plain))


def _send(channel: str, user, pref: Preference | None, message: Message) -> None:
    """Send one message over one channel; raises OutboundError (or a mail error) when it does not go."""
    if channel == Channel.EMAIL:
        address = email_address(user, pref)
        if not address:
            raise outbound.OutboundError(_("No email address is set."))
        send_mail(message.subject, message.plain, None, [address], fail_silently=False)
        return
    url = (pref.wecom_webhook if channel == Channel.WECOM else pref.dingtalk_webhook) if pref else ""
    if not url:
        raise outbound.OutboundError(_("No robot address is set for this channel."))
    problem = webhook_error(channel, url)
    if problem:
        raise outbound.OutboundError(problem)
    if channel == Channel.WECOM:
        payload = {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    else:
        payload = {"msgtype": "markdown", "markdown": {"title": message.subject, "text": message.markdown}}
    outbound.post_json(url, payload)


def _send_safely(channel: str, user, pref: Preference | None, message: Message) -> str:
    """Send and return "" on success or the reason it failed; never raises."""
    try:
        _send(channel, user, pref, message)
    except outbound.OutboundError as exc:
        return str(exc)
    except Exception as exc:  # SMTP and socket errors from send_mail, anything unexpected
        log.warning("notice over %s to user %s failed", channel, user.pk, exc_info=True)
        return f"{type(exc).__name__}: {exc}"
    return ""


# ——— creating notices ———


def notify(
    *, user, key: str, kind: str, title: str, body: str = "", url: str = "", level: str = "info", now=None
) -> Notification | None:
    """Put a notice in the user's inbox once per key and queue it for their outside channels.

    Returns None when the user already has a notice with this key — also when a concurrent run created it a
    moment ago. Immediate-mode users' deliveries go out once the surrounding transaction commits."""
    now = now or timezone.now()
    pref = get_preference(user)
    channels = enabled_channels(user, pref)
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                user=user,
                key=key[:200],
                defaults={"kind": kind, "title": title[:200], "body": body, "url": url[:300], "level": level,
                          "created_at": now},
            )  # fmt: skip
            if not created:
                return None
            Delivery.objects.bulk_create([Delivery(notification=notification, channel=c) for c in channels])
    except IntegrityError:
        return None
    if channels and pref.mode == Preference.Mode.IMMEDIATE:
        transaction.on_commit(lambda: send_pending(now=now, notifications=[notification.pk]))
    return notification


def _notify_each(users, **notice) -> list[Notification]:
    created = [
        notify(user=user, **notice) for user in users.select_related("notification_preference").order_by("pk")
    ]
    return [n for n in created if n is not None]


def notify_units(
    *, units: Iterable, key: str, kind: str, title: str, body: str = "", url: str = "", level: str = "info",
    now=None, roles: Sequence[str] = (Role.UNIT,),
) -> list[Notification]:  # fmt: skip
    """Notify each active user holding one of `roles` in these units, and each unit's liaison officer — once each."""
    unit_ids = [getattr(u, "pk", u) for u in units]
    users = (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__role__in=list(roles), memberships__unit_id__in=unit_ids)
            | Q(liaison_for__unit_id__in=unit_ids)
        )
        .distinct()
    )
    return _notify_each(users, key=key, kind=kind, title=title, body=body, url=url, level=level, now=now)


def notify_supervisors(
    *, key: str, kind: str, title: str, body: str = "", url: str = "", level: str = "info", now=None
) -> list[Notification]:
    """Notify every active user of the supervision office, once each."""
    users = User.objects.filter(is_active=True, memberships__role=Role.SUPERVISOR).distinct()
    return _notify_each(users, key=key, kind=kind, title=title, body=body, url=url, level=level, now=now)


# ——— sending ———


def _due(now) -> Q:
    return (
        Q(state=Delivery.State.PENDING)
        | Q(state=Delivery.State.FAILED, attempts__lt=MAX_ATTEMPTS)
        | Q(state=Delivery.State.SENDING, attempts__lt=MAX_ATTEMPTS, last_attempt_at__lt=now - STALE_CLAIM)
    )


def _finish(ids: list[int], now, error: str) -> None:
    if error:
        Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.FAILED, error=error[:300])
    else:
        Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.SENT, sent_at=now, error="")


def send_pending(*, now=None, notifications: Iterable[int] | None = None) -> int:
    """Send the due deliveries of immediate-mode users (only those of `notifications` when given); failures are
    recorded and retried on later calls up to MAX_ATTEMPTS. Returns how many went out; never raises."""
    now = now or timezone.now()
    sent = 0
    try:
        # Claims a crashed sender left behind after its last allowed attempt are given up.
        Delivery.objects.filter(
            state=Delivery.State.SENDING, attempts__gte=MAX_ATTEMPTS, last_attempt_at__lt=now - STALE_CLAIM
        ).update(state=Delivery.State.FAILED, error=_("Interrupted while sending."))
        deliveries = Delivery.objects.filter(
            _due(now),
            notification__user__is_active=True,
            notification__user__notification_preference__mode=Preference.Mode.IMMEDIATE,
        ).select_related("notification__user__notification_preference")
        if notifications is not None:
            deliveries = deliveries.filter(notification_id__in=list(notifications))
        for delivery in deliveries.order_by("id")[:BATCH]:
            # Claim it first, so a second tick running at the same moment does not send it again.
            claimed = Delivery.objects.filter(
                pk=delivery.pk, state=delivery.state, attempts=delivery.attempts
            ).update(state=Delivery.State.SENDING, attempts=delivery.attempts + 1, last_attempt_at=now)
            if not claimed:
                continue
            notification = delivery.notification
            user = notification.user
            error = _send_safely(delivery.channel, user, get_preference(user), notice_message(notification))
            _finish([delivery.pk], now, error)
            sent += not error
    except Exception:
        log.exception("sending pending notices stopped")
    return sent


def send_digests(*, now=None) -> int:
    """Send each digest-mode user, once a day from their digest hour on, one message per channel holding all
    their due notices. Returns how many messages went out; never raises."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    sent = 0
    try:
        prefs = (
            Preference.objects.filter(
                mode=Preference.Mode.DIGEST, digest_hour__lte=local.hour, user__is_active=True
            )
            .exclude(last_digest_on=today)
            .select_related("user")
        )
        for pref in prefs:
            # The day is claimed before sending: a second run, even a concurrent one, finds it taken.
            if (
                not Preference.objects.filter(pk=pref.pk)
                .exclude(last_digest_on=today)
                .update(last_digest_on=today)
            ):
                continue
            sent += _send_digest(pref, now, today)
    except Exception:
        log.exception("sending digests stopped")
    return sent


def _send_digest(pref: Preference, now, today: datetime.date) -> int:
    deliveries = list(
        Delivery.objects.filter(_due(now), notification__user_id=pref.user_id)
        .select_related("notification")
        .order_by("notification__created_at", "id")
    )
    if not deliveries:
        return 0
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        state=Delivery.State.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_channel[delivery.channel].append(delivery)
    sent = 0
    for channel, group in by_channel.items():
        message = digest_message([d.notification for d in group], today)
        error = _send_safely(channel, pref.user, pref, message)
        _finish([d.pk for d in group], now, error)
        sent += not error
    return sent


# ——— the user's own actions ———


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user, ids: Iterable[int] | None = None, now=None) -> int:
    """Mark the user's own unread notices read — those of `ids`, or all when None. Returns how many changed."""
    now = now or timezone.now()
    notices = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        ids = [int(i) for i in ids]
        notices = notices.filter(pk__in=ids)
    with transaction.atomic():
        count = notices.update(read_at=now)
        if count:
            record(
                actor=user,
                action="notification.read",
                object_type="notifications.notification",
                object_id=",".join(map(str, ids))[:64] if ids is not None else "all",
                object_repr=_("%(count)s notices of %(user)s") % {"count": count, "user": user},
                after={"read": count, "ids": ids if ids is not None else "all"},
            )
    return count


def _masked(values: dict) -> dict:
    """Robot addresses carry their access key; the audit log shows only where they point."""
    masked = dict(values)
    for name in ("wecom_webhook", "dingtalk_webhook"):
        if masked.get(name):
            masked[name] = f"{urlsplit(masked[name]).hostname}/…{masked[name][-4:]}"
    return masked


def update_preference(
    *, user, email: bool, email_address: str, wecom_webhook: str, dingtalk_webhook: str, mode: str,
    digest_hour: int,
) -> Preference:  # fmt: skip
    values = {"email": email, "email_address": email_address, "wecom_webhook": wecom_webhook,
              "dingtalk_webhook": dingtalk_webhook, "mode": mode, "digest_hour": digest_hour}  # fmt: skip
    errors = {}
    for channel, field in ((Channel.WECOM, "wecom_webhook"), (Channel.DINGTALK, "dingtalk_webhook")):
        if values[field] and webhook_error(channel, values[field]):
            errors[field] = webhook_error(channel, values[field])
    if not 0 <= digest_hour <= 23:
        errors["digest_hour"] = _("Choose an hour from 0 to 23.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pref, created = Preference.objects.select_for_update().get_or_create(user=user)
        before = None if created else _masked(snapshot(pref, PREFERENCE_FIELDS))
        for name, value in values.items():
            setattr(pref, name, value)
        pref.save()
        record(
            actor=user,
            action="notification.preferences",
            obj=pref,
            before=before,
            after=_masked(snapshot(pref, PREFERENCE_FIELDS)),
        )
    return pref


def send_test(*, user, channel: str) -> str:
    """Send a test message over one channel with the saved settings; returns "" or why it failed."""
    pref = get_preference(user)
    message = notice_message(
        Notification(
            title=_("Test message from %(site)s") % {"site": settings.SITE_NAME},
            body=_("If you can read this, notices will reach you here."),
            url=reverse("notification_preferences"),
        )
    )
    error = _send_safely(channel, user, pref, message)
    record(
        actor=user,
        action="notification.test",
        obj=pref,
        object_type="notifications.preference",
        object_id=str(pref.pk) if pref else "",
        object_repr=str(user),
        after={"channel": channel, "sent": not error, "error": error},
    )
    return error
