"""Scheduled jobs (django-celery-beat) in the Wagtail admin, for superusers: what runs when,
when it last ran, pause/resume, and run now."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

TASK_MODULES = ("accounts.", "common.", "notifications.", "training.", "reports.")


def _superuser_only(request):
    if not request.user.is_superuser:
        raise PermissionDenied


def schedules(request):
    _superuser_only(request)
    jobs = list(PeriodicTask.objects.select_related("interval", "crontab").order_by("name"))
    for job in jobs:
        job.when = _when(job)
    return render(request, "home/admin/schedules.html", {"jobs": jobs})


def _when(job: PeriodicTask) -> str:
    if job.crontab and job.crontab.hour.isdigit() and job.crontab.minute.isdigit():
        return _("Daily at %(time)s") % {
            "time": f"{int(job.crontab.hour):02d}:{int(job.crontab.minute):02d}"
        }
    if job.crontab:
        return str(job.crontab)
    if job.interval:
        units = {
            "days": _("days"),
            "hours": _("hours"),
            "minutes": _("minutes"),
            "seconds": _("seconds"),
        }
        return _("Every %(n)s %(unit)s") % {
            "n": job.interval.every,
            "unit": units.get(job.interval.period, job.interval.period),
        }
    return "—"


@require_POST
def toggle(request, pk):
    _superuser_only(request)
    job = get_object_or_404(PeriodicTask, pk=pk)
    job.enabled = not job.enabled
    job.save(update_fields=["enabled"])
    messages.success(
        request,
        (_("“%(name)s” resumed.") if job.enabled else _("“%(name)s” paused.")) % {"name": job.name},
    )
    return redirect("schedules_admin:index")


@require_POST
def run_now(request, pk):
    _superuser_only(request)
    job = get_object_or_404(PeriodicTask, pk=pk)
    if not job.task.startswith(TASK_MODULES):
        raise PermissionDenied
    import_string(job.task).apply_async()
    messages.success(request, _("“%(name)s” queued to run now.") % {"name": job.name})
    return redirect("schedules_admin:index")


def trainer_guide(request):
    """How to write a lesson and a quiz, import questions and send them for review, for
    trainers, in Vietnamese (Help menu › Trainer guide). Any admin user may read it."""
    return render(request, "home/admin/trainer_guide.html")
