"""The beat job that takes over long jobs whose worker died (common.jobs)."""

from django.db import migrations

TASK = "common.tasks.recover_stalled_jobs"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        task=TASK,
        defaults={
            "name": "Tiếp tục việc nền bị gián đoạn",
            "interval": every_minute,
            "description": (
                "Nhập danh sách, xuất báo cáo, tệp ZIP và cấp chứng chỉ hàng loạt: việc nào "
                "mà máy chạy nền ngừng giữa chừng thì được xếp hàng lại và chạy tiếp từ chỗ "
                "đã dừng."
            ),
        },
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0002_vietnamese_names_for_wagtail_defaults"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, delete_schedule)]
