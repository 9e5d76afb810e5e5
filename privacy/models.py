"""Personal data: the notice and its acceptance, the member's requests, and the records
kept of what was done with personal data (erasures, retention runs, downloads)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField, NFCTextField
from common.models import FileJob
from common.storage import private_storage


class PrivacyNotice(models.Model):
    """One version of the privacy notice. The newest published version is in force; a
    member who accepted an older one accepts again before going on."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title_vi = NFCCharField(_("title (Vietnamese)"), max_length=200)
    title_en = NFCCharField(_("title (English)"), max_length=200)
    text_vi = NFCTextField(_("text (Vietnamese)"))
    text_en = NFCTextField(_("text (English)"))
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: a draft. From this moment the version is in force and every member "
            "accepts it again. Do not change a published version: add a new one."
        ),
    )

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-version"]

    def __str__(self):
        return f"{self.title_vi} (v{self.version})"


class Consent(models.Model):
    """A member accepted a version of the notice, at a moment, from an address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_consents"
    )
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="consents")
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="one_consent_per_notice")
        ]

    def __str__(self):
        return f"{self.user_id} v{self.notice_id}"


class MemberChoice(models.Model):
    """What a member chose about their data: keep their name on their certificates if
    their account is erased (so the certificates stay verifiable)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_choice"
    )
    keep_name_on_certificates = models.BooleanField(
        _("keep my name on my certificates"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user_id}"


class DataExport(FileJob):
    """Everything held about a member, in one ZIP (JSON + XLSX), for that member only."""

    job_task = "privacy.tasks.build_data_export"
    job_task_arg = "export_id"

    file = models.FileField(storage=private_storage, upload_to="my-data/", blank=True)

    class Meta(FileJob.Meta):
        verbose_name = _("copy of a member's data")
        verbose_name_plural = _("copies of members' data")

    def __str__(self):
        return f"{self.created_by_id} {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


class CorrectionRequest(models.Model):
    """A member asks for their data to be corrected; whoever administers them answers."""

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Waiting")
        HANDLED = "HANDLED", _("Handled")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="correction_requests"
    )
    text = NFCTextField(_("what is wrong and what it should be"), max_length=2000)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    reply = NFCTextField(_("reply"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"{self.member_id} {self.created_at:%d/%m/%Y}"


class ErasureRecord(models.Model):
    """The audit record of an erasure: who erased whom (by id only: the person is gone),
    when, why, and how much was removed or de-identified."""

    user_id_erased = models.BigIntegerField(_("account number"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("erased by"),
    )
    at = models.DateTimeField(_("erased at"), default=timezone.now)
    reason = NFCCharField(_("reason"), max_length=500)
    counts = models.JSONField(_("what was removed"), default=dict)
    # The team (or unit) the member belonged to last, so the administrators above it see
    # the erasure; the path as it was, so a later move of the unit changes nothing.
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit"),
    )
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-at"]

    def __str__(self):
        return f"#{self.user_id_erased} {timezone.localtime(self.at):%d/%m/%Y}"


class RetentionRun(models.Model):
    """One run of the retention job: what it removed, by kind."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("what was removed"), default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"


class AccessLog(models.Model):
    """Who downloaded a file holding other people's personal data, and when."""

    class Kind(models.TextChoices):
        REPORT_EXPORT = "REPORT", _("Report export")
        CERTIFICATE_ARCHIVE = "ARCHIVE", _("Certificate archive")
        ACTIVATION_CODES = "CODES", _("Activation codes")
        ROSTER = "ROSTER", _("Member list")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("downloaded by"),
    )
    at = models.DateTimeField(_("downloaded at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    description = NFCCharField(_("file"), max_length=300)
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit"),
    )
    # Where the unit was in the tree when downloaded, so a province sees its own log.
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("download of personal data")
        verbose_name_plural = _("downloads of personal data")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user_id} {self.kind} {timezone.localtime(self.at):%d/%m/%Y %H:%M}"
