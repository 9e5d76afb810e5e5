"""What every job page does: let the job's author resume a stalled or crashed job."""

from django.contrib import messages
from django.utils.translation import gettext as _

from . import jobs
from .models import Job

__all__ = ["resume_job"]


def resume_job(request, job: Job) -> bool:
    """Resume `job` (already fetched for its author: anyone else got a 404) and say so."""
    if jobs.resume(job):
        messages.success(
            request, _("The job was queued again: it carries on from where it stopped.")
        )
        return True
    messages.error(request, _("This job is running or finished: there is nothing to resume."))
    return False
