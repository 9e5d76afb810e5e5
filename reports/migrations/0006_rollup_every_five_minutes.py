from django.db import migrations

TASK = "reports.tasks.refresh_rollups"


def every_five_minutes(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.filter(task=TASK).update(
        interval=interval,
        description=(
            "Tính lại số liệu của cả nước, các tỉnh và các xã cho bảng báo cáo tỉnh và "
            "toàn quốc."
        ),
    )


def every_quarter_hour(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.filter(task=TASK).update(interval=interval)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_rollup_scored"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(every_five_minutes, every_quarter_hour)]
