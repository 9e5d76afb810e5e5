"""Retention: what is older than its period goes, in bulk, recorded in a RetentionRun;
what is not due stays; a second run removes nothing."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from certificates.models import CertificateArchive
from notifications.models import Delivery, Kind, Notification, RecordedMessage
from organisations.models import RosterImport
from privacy import services
from privacy.models import AccessLog, DataExport, RetentionRun
from reports.models import ReportExport

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _ago(days: int):
    return NOW - timedelta(days=days)


def _make(tree, *, age: int, tag: str) -> dict:
    """One of each kind of kept data, created `age` days ago."""
    by = tree.commune_admin
    roster = RosterImport.objects.create(
        created_by=by,
        file_name=f"{tag}.csv",
        status="DONE",
        rows=[{"phone": "+84900000004"}],
        errors=[{"row": 3, "message": "x"}],
    )
    roster.source.save(f"{tag}.csv", ContentFile(b"Ho ten,SDT\n"), save=True)
    export = ReportExport.objects.create(
        created_by=by, kind="UNITS", file_format="csv", params={}, status="DONE"
    )
    export.file.save(f"{tag}.csv", ContentFile(b"x"), save=True)
    copy = DataExport.objects.create(created_by=tree.member1, status="DONE")
    copy.file.save(f"{tag}.zip", ContentFile(b"x"), save=True)
    archive = CertificateArchive.objects.create(created_by=by, unit=tree.x, status="DONE")
    archive.file.save(f"{tag}.zip", ContentFile(b"x"), save=True)
    message = RecordedMessage.objects.create(channel="sms", address="+84900000004", text=tag)
    note = Notification.objects.create(user=tree.member1, kind=Kind.ASSIGNED, key=tag, params={})
    delivery = Delivery.objects.create(
        notification=note,
        channel="sms",
        address="+84900000004",
        status="SENT",
        not_before=_ago(age),
    )
    log = AccessLog.objects.create(user=by, kind="REPORT", description=tag)
    for model, obj in (
        (RosterImport, roster),
        (ReportExport, export),
        (DataExport, copy),
        (CertificateArchive, archive),
    ):
        model.objects.filter(pk=obj.pk).update(created_at=_ago(age))
    RecordedMessage.objects.filter(pk=message.pk).update(created_at=_ago(age))
    Notification.objects.filter(pk=note.pk).update(created_at=_ago(age))
    AccessLog.objects.filter(pk=log.pk).update(at=_ago(age))
    return {
        "roster": roster,
        "export": export,
        "copy": copy,
        "archive": archive,
        "message": message,
        "note": note,
        "delivery": delivery,
        "log": log,
    }


def test_retention_removes_what_is_due_and_nothing_else_and_is_safe_twice(tree, settings):
    fresh = _make(tree, age=1, tag="moi")
    old = _make(tree, age=800, tag="cu")
    old_files = [old[k].file.path for k in ("export", "copy", "archive")] + [
        old["roster"].source.path
    ]
    # An account deactivated long ago, one deactivated recently, one active but idle.
    gone = User.objects.get(pk=tree.member3.pk)
    User.objects.filter(pk=gone.pk).update(is_active=False, last_login=_ago(800))
    User.objects.filter(pk=tree.member2.pk).update(is_active=False, last_login=_ago(10))
    User.objects.filter(pk=tree.leader.pk).update(last_login=_ago(800))

    run = services.apply_retention(now=NOW)

    counts = run.counts
    assert counts["import_files"] == 1 and counts["import_rows"] == 1
    assert counts["report_exports"] == 1 and counts["data_exports"] == 1
    assert counts["certificate_archives"] == 1 and counts["recorded_messages"] == 1
    assert counts["notifications"] == 1 and counts["access_log"] == 1
    assert counts["inactive_accounts"] == 1 and run.finished_at is not None
    # Old: gone (rows and files); the roster import stays, without its file and rows.
    roster = RosterImport.objects.get(pk=old["roster"].pk)
    assert (roster.rows, roster.errors, roster.source.name) == ([], [], "")
    for model, key in (
        (ReportExport, "export"),
        (DataExport, "copy"),
        (CertificateArchive, "archive"),
        (RecordedMessage, "message"),
        (Notification, "note"),
        (Delivery, "delivery"),
        (AccessLog, "log"),
    ):
        assert not model.objects.filter(pk=old[key].pk).exists(), key
        assert model.objects.filter(pk=fresh[key].pk).exists(), key
    from pathlib import Path

    assert not any(Path(path).exists() for path in old_files)
    fresh_roster = RosterImport.objects.get(pk=fresh["roster"].pk)
    assert fresh_roster.rows and fresh_roster.source
    assert Path(fresh["export"].file.path).exists()
    # Accounts: only the one deactivated long ago is anonymised.
    assert User.objects.get(pk=gone.pk).phone is None
    assert User.objects.get(pk=tree.member2.pk).phone == tree.member2.phone
    assert User.objects.get(pk=tree.leader.pk).phone == tree.leader.phone

    again = services.apply_retention(now=NOW)
    assert set(again.counts.values()) == {0}
    assert RetentionRun.objects.count() == 2


def test_periods_come_from_the_settings(tree, settings):
    settings.PRIVACY_RETENTION_DAYS = {**settings.PRIVACY_RETENTION_DAYS, "notifications": 30}
    note = Notification.objects.create(user=tree.member1, kind=Kind.ASSIGNED, key="k", params={})
    Notification.objects.filter(pk=note.pk).update(created_at=_ago(40))
    assert services.apply_retention(now=NOW).counts["notifications"] == 1


def test_the_nightly_job_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="privacy.tasks.apply_retention")
    assert task.enabled and task.crontab is not None
