from django.db import migrations


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Gửi thông báo qua e-mail/SMS đã đến giờ",
        defaults={
            "task": "notifications.tasks.send_pending_deliveries",
            "interval": every_five_minutes,
            "description": "Gửi các thông báo đang chờ; không gửi từ 21:00 đến 07:00.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
