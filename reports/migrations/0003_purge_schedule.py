from django.db import migrations


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="45",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        name="Xoá tệp báo cáo đã xuất quá 7 ngày",
        defaults={
            "task": "reports.tasks.purge_old_exports",
            "crontab": nightly,
            "description": "Tệp xuất chứa dữ liệu cá nhân: chỉ giữ 7 ngày.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_rollup_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
