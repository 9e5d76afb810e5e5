"""The "certificate issued" and "lesson updated" notices are sent by the apps they are
about (certificates, courses), not by training: messages still waiting in the outbox under
the old task names are renamed, so none is lost."""

from django.db import migrations

RENAMED = {
    "training.tasks.notify_certificate_issued": "certificates.tasks.notify_certificate_issued",
    "training.tasks.notify_lesson_updated": "courses.tasks.notify_lesson_updated",
}


def rename(apps, schema_editor, names=RENAMED):
    OutboxMessage = apps.get_model("common", "OutboxMessage")
    for old, new in names.items():
        OutboxMessage.objects.filter(task_name=old, dispatched_at__isnull=True).update(
            task_name=new
        )


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, names={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0003_recover_stalled_jobs_schedule"),
        ("training", "0005_session_reminder_schedule"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
