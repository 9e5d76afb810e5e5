"""The steps every spreadsheet import shares (`common.models.ImportJob`): store the upload
and queue its check, check the stored file in the worker, confirm, then import chunk by
chunk. The apps bring what is their own: how a file is checked and how rows are written."""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import jobs
from .models import ImportJob
from .spreadsheets import FILE_HAS_ERRORS, NO_VALID_ROWS
from .text import nfc

ImportT = TypeVar("ImportT", bound=ImportJob)  # the import model given is the one returned

__all__ = ["check_stored_file", "confirm", "import_in_chunks", "upload"]


@transaction.atomic
def upload(model: type[ImportT], *, by, upload) -> ImportT:
    """Store an uploaded file (private storage, a name of our own) and queue its check;
    returns at once: nothing is read here."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    job = model(created_by=by, file_name=nfc(upload.name)[:255])
    job.source.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    job.save()
    jobs.queue(job)
    return job


def check_stored_file(
    lease: jobs.Lease, check: Callable[..., tuple[int, list[dict], list[dict]]]
) -> dict:
    """The check step: `check(file=, name=, progress=)` gives (rows in the file, valid rows,
    errors). The upload is deleted once read, whatever the outcome: personal data is not
    kept longer than needed. A file refused whole (ValidationError) fails the job."""
    job = lease.job
    try:
        with job.source.open("rb") as file:
            total, rows, errors = check(
                file=file, name=job.file_name, progress=lambda n: lease.beat(done=n)
            )
    except ValidationError:
        job.source.delete(save=False)
        type(job).objects.filter(pk=job.pk).update(source="")
        raise
    job.source.delete(save=False)
    return {
        "source": "",
        "total_rows": total,
        "rows": rows,
        "errors": errors,
        "total": len(rows),
        "done": 0,
    }


@transaction.atomic
def confirm(model: type[ImportT], *, by, job: ImportT, only_valid_rows: bool) -> ImportT:
    """Queue the import. A file with bad rows imports nothing unless only_valid_rows is
    chosen; an import runs once."""
    job = model.objects.select_for_update().get(pk=job.pk, created_by=by)
    if job.status != model.Status.CHECKED:
        raise ValidationError(_("This import was already started."), code="started")
    if job.errors and not only_valid_rows:
        raise ValidationError(FILE_HAS_ERRORS, code="has_errors")
    if not job.rows:
        raise ValidationError(NO_VALID_ROWS, code="empty")
    job.status = model.Status.QUEUED
    job.only_valid_rows = only_valid_rows
    job.total, job.done = len(job.rows), 0
    job.save(update_fields=["status", "only_valid_rows", "total", "done"])
    jobs.queue(job)
    return job


def import_in_chunks(lease: jobs.Lease, *, size: int, write: Callable[[list[dict]], dict]) -> None:
    """The import step: `write(rows)` writes one chunk and returns the counters to add (as
    F() expressions or values). Each chunk is committed together with its progress mark, so
    a resumed import starts at the first chunk not committed."""
    rows = lease.job.rows
    while True:
        with lease.chunk() as job:
            start = job.done
            if start >= len(rows):
                return
            chunk = rows[start : start + size]
            counters = write(chunk)
            lease.beat(done=job.done + len(chunk), **counters)
