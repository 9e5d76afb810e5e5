from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from common.fields import NFCCharField, NFCTextField
from common.models import FileJob, Job
from common.storage import private_storage

from .codes import format_code

PLACEHOLDERS = ("{ho_ten}", "{khoa_hoc}", "{don_vi}", "{ngay_cap}")


class CertificateTemplate(models.Model):
    """What a certificate says and shows. Trainers edit it; issued certificates keep a copy
    of the text as it was."""

    name = NFCCharField(_("name"), max_length=120)
    is_default = models.BooleanField(_("default template"), default=False)
    issuing_organisation = NFCCharField(_("issuing organisation"), max_length=200)
    heading = NFCCharField(_("heading"), max_length=120, default="GIẤY CHỨNG NHẬN")
    wording = NFCTextField(
        _("wording"),
        default=(
            "Đã hoàn thành khoá học “{khoa_hoc}” trên nền tảng tập huấn Tổ công nghệ số cộng đồng."
        ),
        help_text=_(
            "Placeholders: {ho_ten} full name, {khoa_hoc} course, {don_vi} unit, "
            "{ngay_cap} issue date."
        ),
    )
    signatory_name = NFCCharField(_("signatory name"), max_length=120)
    signatory_title = NFCCharField(_("signatory title"), max_length=200)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature image"),
    )
    seal_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("seal image"),
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("background image"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("is_default"),
        MultiFieldPanel(
            [FieldPanel("issuing_organisation"), FieldPanel("heading"), FieldPanel("wording")],
            heading=_("Text"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title"),
                FieldPanel("signature_image"),
                FieldPanel("seal_image"),
            ],
            heading=_("Signature"),
        ),
        FieldPanel("background_image"),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_certificate_template",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unknown = {word for word in _braced(self.wording) if word not in PLACEHOLDERS}
        if unknown:
            raise ValidationError(
                {
                    "wording": _("Unknown placeholders: %(names)s. Use %(allowed)s.")
                    % {"names": ", ".join(sorted(unknown)), "allowed": ", ".join(PLACEHOLDERS)}
                }
            )


def _braced(text: str) -> list[str]:
    import re

    return re.findall(r"\{[^{}]*\}", text or "")


class Certificate(models.Model):
    """Issued once per course completion, whatever happens to it later: the completion
    decides. An administrator's re-issue and a renewal are replacements: a new certificate
    that `replaces` the previous one of the same completion, so a completion has one chain
    (original, then each replacement) and never a second original. Everything printed is
    snapshotted at issue time."""

    class Origin(models.TextChoices):
        ISSUED = "ISSUED", _("Issued on completing the course")
        REISSUED = "REISSUED", _("Re-issued by an administrator")
        RENEWED = "RENEWED", _("Renewed after re-study")

    code = models.CharField(_("certificate number"), max_length=24, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    completion = models.ForeignKey(
        "courses.CourseCompletion",
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ISSUED
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacement",
        verbose_name=_("replaces"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = NFCCharField(_("reason for revoking"), max_length=300, blank=True)
    full_name = NFCCharField(_("full name"), max_length=300)
    course_title = NFCCharField(_("course"), max_length=300)
    unit_name = NFCCharField(_("unit"), max_length=300, blank=True)
    issuing_organisation = NFCCharField(max_length=200, blank=True)
    heading = NFCCharField(max_length=120, blank=True)
    wording = NFCTextField(blank=True)
    signatory_name = NFCCharField(max_length=120, blank=True)
    signatory_title = NFCCharField(max_length=200, blank=True)
    template = models.ForeignKey(
        CertificateTemplate, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to="certificates/%Y/%m/", blank=True
    )
    # The member's account was erased and they did not ask to keep their name on it: the
    # name is gone and the verify page says "withdrawn at the member's request".
    withdrawn_at = models.DateTimeField(_("withdrawn on request at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One original per completion, revoked or not: a retried, redelivered or
            # re-queued issue finds it and stops. Replacements chain from it (`replaces`
            # is unique, so each certificate is replaced at most once).
            models.UniqueConstraint(
                fields=["completion"],
                condition=Q(replaces__isnull=True),
                name="one_certificate_per_completion",
            ),
            # And at most one of the chain is in force at a time.
            models.UniqueConstraint(
                fields=["completion"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_certificate_per_completion",
            ),
            models.CheckConstraint(
                condition=Q(origin="ISSUED", replaces__isnull=True)
                | (~Q(origin="ISSUED") & Q(replaces__isnull=False)),
                name="replacements_name_what_they_replace",
            ),
        ]
        indexes = [models.Index(fields=["user", "-issued_at"])]

    def __str__(self):
        return f"{self.display_code} · {self.full_name}"

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def replaced_by(self) -> "Certificate | None":
        """The certificate that replaced this one (a renewal or a re-issue), if any."""
        try:
            return self.replacement
        except Certificate.DoesNotExist:
            return None

    def status(self, now=None) -> str:
        """valid, expired, revoked, replaced (by a renewal: not a revocation), or withdrawn
        (the member's data was erased at their request)."""
        now = now or timezone.now()
        if self.withdrawn_at:
            return "withdrawn"
        if self.revoked_at:
            replacement = self.replaced_by
            if replacement is not None and replacement.origin == self.Origin.RENEWED:
                return "replaced"
            return "revoked"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "valid"


class CertificateEvent(models.Model):
    """The audit record: who issued, revoked or re-issued a certificate, when and why."""

    class Action(models.TextChoices):
        ISSUED = "ISSUED", _("Issued")
        REVOKED = "REVOKED", _("Revoked")
        REISSUED = "REISSUED", _("Re-issued")
        RENEWED = "RENEWED", _("Renewed")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = NFCCharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.certificate_id} {self.action}"


class CertificateArchive(FileJob):
    """A ZIP of every certificate in a unit, built in the background."""

    job_task = "certificates.tasks.build_archive"
    job_task_arg = "archive_id"

    unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=private_storage, upload_to="certificate-archives/", blank=True)

    def __str__(self):
        return f"{self.unit} {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


class BulkIssue(Job):
    """ "Issue the missing certificates": every completion of a course by the members of a
    unit that has never had a certificate (the course issued none when they completed it,
    or issuing failed) gets one, issued by the usual service in a leased background job,
    a chunk of completions at a time, each chunk committed with its progress."""

    job_task = "certificates.tasks.issue_missing_certificates"

    unit = models.ForeignKey(
        "organisations.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    # Completions are taken in id order; the last one handled, committed with each chunk.
    last_completion_id = models.BigIntegerField(default=0)
    issued_count = models.PositiveIntegerField(_("certificates issued"), default=0)

    class Meta(Job.Meta):
        verbose_name = _("missing certificates issued")
        verbose_name_plural = _("missing certificates issued")

    def __str__(self):
        return f"{self.course} · {self.unit}"
