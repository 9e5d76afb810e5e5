from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import FileJob
from common.storage import private_storage


class ReportExport(FileJob):
    """A report written to XLSX or CSV in the background, downloadable by whoever asked."""

    job_task = "reports.tasks.build_export"
    job_task_arg = "export_id"

    class Kind(models.TextChoices):
        UNITS = "UNITS", _("Units")
        MEMBERS = "MEMBERS", _("Members")
        QUESTIONS = "QUESTIONS", _("Question analysis")
        RECORD = "RECORD", _("Member record")
        NATIONAL = "NATIONAL", _("Whole country")
        OUTREACH = "OUTREACH", _("Help given to residents")
        OUTREACH_WEEKS = "OUTREACH_W", _("Help given to residents per week")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (XLSX)"
        CSV = "csv", "CSV"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    params = models.JSONField(default=dict, blank=True)
    file = models.FileField(storage=private_storage, upload_to="report-exports/", blank=True)

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


class UnitRollup(models.Model):
    """Figures per unit for the dashboards of nations and provinces (the units themselves
    and their children), recomputed by a Celery job so that no request has to count tens
    or hundreds of thousands of members. One row per unit and course; course empty means
    "any course"."""

    unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    members = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    not_started = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    certificates_valid = models.PositiveIntegerField(default=0)
    certificates_expiring = models.PositiveIntegerField(default=0)
    certificates_expired = models.PositiveIntegerField(default=0)
    average_best_score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    scored = models.PositiveIntegerField(default=0, help_text="Members with a quiz score.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "course"],
                condition=models.Q(course__isnull=False),
                name="one_rollup_per_unit_course",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(course__isnull=True),
                name="one_rollup_per_unit_any_course",
            ),
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.course_id}"
