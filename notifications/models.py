from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ASSIGNED = "ASSIGNED", _("New training assigned")
    DUE_SOON = "DUE_SOON", _("Training due soon")
    OVERDUE = "OVERDUE", _("Training overdue")
    CERTIFICATE_ISSUED = "CERT_ISSUED", _("Certificate issued")
    CERTIFICATE_EXPIRING = "CERT_EXPIRING", _("Certificate expiring")
    LESSON_UPDATED = "LESSON_UPDATED", _("Lesson updated")
    SESSION_NEW = "SESSION_NEW", _("Training session scheduled")
    SESSION_SOON = "SESSION_SOON", _("Training session reminder")
    SESSION_CANCELLED = "SESSION_CANCEL", _("Training session cancelled")
    GRANTED = "GRANTED", _("Extra attempts or time granted")


class Notification(models.Model):
    """One message to one member about one event. `key` names the event (for example
    "campaign:12:due:3"); the unique (user, key) pair is what makes every notification
    exactly-once, however often the job that creates it runs. The text is rendered from
    `kind` and `params` when shown, in the reader's language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("event"), max_length=120)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_event")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(
                fields=["user"], condition=models.Q(read_at__isnull=True), name="unread_by_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.key}"


class Delivery(models.Model):
    """A notification sent outside the app (e-mail, SMS, Zalo): one row per channel,
    unique, claimed before sending so that it goes out at most once."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Waiting")
        SENDING = "SENDING", _("Sending")
        SENT = "SENT", _("Sent")
        FAILED = "FAILED", _("Failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=20)
    address = models.CharField(_("address"), max_length=254)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    not_before = models.DateTimeField(_("not before"), help_text=_("Quiet hours are respected."))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "not_before"])]

    def __str__(self):
        return f"{self.channel} → {self.address}"


class RecordedMessage(models.Model):
    """What the default SMS/Zalo channel "sends": it records the message, so a real
    provider can be plugged in later without changing anything else."""

    channel = models.CharField(_("channel"), max_length=20)
    address = models.CharField(_("address"), max_length=254)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("recorded message")
        verbose_name_plural = _("recorded messages")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.channel} → {self.address}"
