from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .storage import private_storage


class OutboxMessage(models.Model):
    """A Celery task that must run because of something committed to the database.

    The row is written in the same transaction as the change that needs the work, so
    the work is never lost: if Redis is down when the transaction commits, the
    `dispatch_pending_outbox` sweep queues it later.
    """

    task_name = models.CharField(pgettext_lazy("background job", "task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued background task")
        verbose_name_plural = _("queued background tasks")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"


class Job(models.Model):
    """Long work done by a Celery worker under a lease (see `common.jobs`).

    A worker owns the job while `leased_until` lies ahead and renews it as it works; a
    worker that dies stops renewing, so within minutes the `recover_stalled_jobs` beat job
    queues the job again and another worker carries on from the progress committed so far.

    `PHASES` maps each waiting status to (working status, finished status): a job may have
    several steps (an import is checked, then imported). Concrete models name the Celery
    task that runs them (`job_task`, taking `job_task_arg`=pk).
    """

    class Status(models.TextChoices):
        QUEUED = "QUEUED", _("Queued")
        RUNNING = "RUNNING", _("Running")
        DONE = "DONE", _("Done")
        FAILED = "FAILED", _("Failed")

    PHASES: dict[str, tuple[str, str]] = {"QUEUED": ("RUNNING", "DONE")}
    job_task: str = ""
    job_task_arg: str = "job_id"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failure = models.TextField(_("failure"), blank=True)
    # The status a failed job goes back to when its author resumes it (it crashed); empty
    # when it cannot be resumed (bad input: a corrected file is a new job).
    resume_from = models.CharField(max_length=10, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @classmethod
    def waiting_statuses(cls) -> list[str]:
        return list(cls.PHASES)

    @classmethod
    def working_statuses(cls) -> list[str]:
        return [working for working, _finished in cls.PHASES.values()]

    @property
    def is_active(self) -> bool:
        """Queued or being worked on (by a live worker or, if stale, by nobody)."""
        return self.status in self.waiting_statuses() or self.status in self.working_statuses()

    @property
    def is_stale(self) -> bool:
        """Active, but nobody has shown life for longer than the lease: its worker died."""
        return (
            self.is_active and self.leased_until is not None and self.leased_until < timezone.now()
        )

    @property
    def can_resume(self) -> bool:
        return self.is_stale or (self.status == self.Status.FAILED and bool(self.resume_from))

    @property
    def percent(self) -> int:
        if self.status in {finished for _working, finished in self.PHASES.values()}:
            return 100
        return 0 if not self.total else min(100, round(100 * self.done / self.total))


class FileJob(Job):
    """A file built in the background for whoever asked (a report export, a certificate
    archive): its progress while it is built, then a download for that user only. Concrete
    models add the `file` field, with their own folder. Building starts over after a crash:
    it has no effect outside the file."""

    class Status(models.TextChoices):
        QUEUED = "QUEUED", _("Queued")
        RUNNING = "RUNNING", _("Building")
        DONE = "DONE", _("Ready")
        FAILED = "FAILED", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )

    class Meta(Job.Meta):
        abstract = True


def import_upload_path(instance, filename: str) -> str:
    return f"imports/{instance.upload_folder}/{filename}"


class ImportJob(Job):
    """A spreadsheet imported in two steps: a worker checks the stored upload (the file is
    then deleted; the valid rows and the errors are kept here, so the import works from
    exactly what the person saw in the preview), and once confirmed a worker imports the
    rows, chunk by chunk (`common.imports`)."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Waiting to be checked")
        CHECKING = "CHECKING", _("Checking the file")
        CHECKED = "CHECKED", _("Checked, waiting for confirmation")
        QUEUED = "QUEUED", _("Queued")
        RUNNING = "RUNNING", _("Importing")
        DONE = "DONE", _("Done")
        FAILED = "FAILED", _("Failed")

    PHASES = {
        Status.PENDING: (Status.CHECKING, Status.CHECKED),
        Status.QUEUED: (Status.RUNNING, Status.DONE),
    }
    upload_folder = "files"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    source = models.FileField(
        _("uploaded file"), storage=private_storage, upload_to=import_upload_path, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=255)
    total_rows = models.PositiveIntegerField(_("rows in file"), default=0)
    rows = models.JSONField(_("valid rows"), default=list)
    errors = models.JSONField(_("row errors"), default=list)
    only_valid_rows = models.BooleanField(_("import only the valid rows"), default=False)

    class Meta(Job.Meta):
        abstract = True

    def __str__(self):
        return self.file_name

    @property
    def is_checking(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CHECKING)
