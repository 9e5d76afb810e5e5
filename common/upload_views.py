"""The upload screen every import has: one spreadsheet, refused while it streams in when it
is too large (`common.uploads`), or of another type, with a Vietnamese message on the form;
an accepted file becomes an import job (checked and imported by a worker) whose page the
user is sent to. Below the form, the user's own ten latest imports."""

from collections.abc import Callable

from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from .forms import SpreadsheetUploadForm
from .models import ImportJob
from .uploads import bounded_upload

__all__ = ["spreadsheet_upload_view"]


def spreadsheet_upload_view(
    *,
    label: str | Promise,
    start: Callable[..., ImportJob],
    jobs: type[ImportJob],
    template: str,
    job_url: str,
) -> Callable:
    """An upload view for one kind of import.

    `label` names the file field (a lazy translation); `start(by=user, upload=file)` is the
    service that stores the file and creates the job; `jobs` is the job model, listed for
    the user in `template` (context: `form`, `recent`); `job_url` is the URL name of a job's
    page, reversed with `pk`."""

    @bounded_upload
    def upload(request):
        posted = request.method == "POST"
        form = SpreadsheetUploadForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            label=str(label),
            request=request,
        )
        if posted and form.is_valid():
            file: UploadedFile = form.cleaned_data["file"]
            job = start(by=request.user, upload=file)
            return redirect(job_url, pk=job.pk)
        recent = jobs.objects.filter(created_by=request.user).defer("rows", "errors")[:10]
        return render(request, template, {"form": form, "recent": recent})

    return upload
