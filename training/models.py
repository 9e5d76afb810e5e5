from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField, NFCTextField


class CampaignStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    RUNNING = "RUNNING", _("Running")
    CLOSED = "CLOSED", _("Closed")


class Campaign(models.Model):
    """A training drive (đợt tập huấn): courses every member of the target units must
    complete between two dates. Each target unit covers its whole subtree, and membership
    is read at the time of asking, so members who join later are included and members who
    leave are not."""

    title = NFCCharField(_("title"), max_length=200)
    description = NFCTextField(_("description"), blank=True)
    courses = models.ManyToManyField(
        "courses.CoursePage", related_name="campaigns", verbose_name=_("courses")
    )
    target_units = models.ManyToManyField(
        "organisations.OrgUnit", related_name="campaigns", verbose_name=_("target units")
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training campaign")
        verbose_name_plural = _("training campaigns")
        ordering = ["-starts_on", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.due_on and self.starts_on and self.due_on < self.starts_on:
            raise ValidationError({"due_on": _("The due date must not be before the start date.")})


class Recertification(models.Model):
    """A certificate with 30 days left: its holder is assigned a course to study again (the
    course itself or the refresher the trainer named) and, once done, receives a renewed
    certificate. One per certificate, so the daily job can run any number of times."""

    certificate = models.OneToOneField(
        "certificates.Certificate", on_delete=models.CASCADE, related_name="recertification"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recertifications"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("course to study"),
    )
    due_on = models.DateField(_("due on"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    renewed_at = models.DateTimeField(_("renewed at"), null=True, blank=True)
    renewed_certificate = models.ForeignKey(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recertification")
        verbose_name_plural = _("recertifications")
        indexes = [models.Index(fields=["user", "renewed_at"])]

    def __str__(self):
        return f"{self.user} · {self.course}"


class TrainingSession(models.Model):
    """An in-person training session (lớp tập huấn) for the members of some units: a course
    or a topic, a place, a start and an end, a trainer and a capacity. Members of the target
    units (whole subtrees, read at the time of asking, as for campaigns) see it in "Học tập
    của tôi" and check in by scanning the trainer's rotating QR code."""

    title = NFCCharField(_("title"), max_length=200)
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("course"),
    )
    topic = models.ForeignKey(
        "courses.Topic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("topic"),
    )
    place = NFCCharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sessions_led",
        verbose_name=_("trainer"),
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    notes = NFCTextField(_("what to bring, other notes"), blank=True)
    target_units = models.ManyToManyField(
        "organisations.OrgUnit", related_name="training_sessions", verbose_name=_("target units")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every change, so calendars that imported the .ics take the new version.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(course__isnull=False) | models.Q(topic__isnull=False),
                name="session_has_course_or_topic",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def subject(self) -> str:
        return self.course.title if self.course_id else (self.topic.name if self.topic_id else "")


class AttendanceMethod(models.TextChoices):
    QR = "QR", _("Scanned the QR code")
    LIST = "LIST", _("Ticked on the list")


class Attendance(models.Model):
    """A member was at a session: checked in with the QR code, or ticked by the trainer.
    One per member and session (a database constraint, whatever the number of scans)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendances"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    method = models.CharField(_("how"), max_length=4, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_session")
        ]
        indexes = [models.Index(fields=["user", "session"])]

    def __str__(self):
        return f"{self.user} · {self.session}"
