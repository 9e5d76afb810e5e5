"""The nightly retention job (privacy.services.apply_retention)."""

from django.db import migrations

TASK = "privacy.tasks.apply_retention"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        task=TASK,
        defaults={
            "name": "Xoá dữ liệu cá nhân hết thời hạn lưu",
            "crontab": nightly,
            "description": (
                "Mỗi đêm: xoá tệp và dòng danh sách nhập, tệp xuất, tệp ZIP chứng chỉ, nhật ký "
                "tin nhắn, thông báo, nhật ký truy cập đã quá thời hạn lưu; ẩn danh tài khoản "
                "đã khoá lâu không dùng. Mỗi lần chạy được ghi lại."
            ),
        },
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_first_notice"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, delete_schedule)]
