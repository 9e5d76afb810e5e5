from django.db import migrations


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="5",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        name="Nhắc lịch lớp tập huấn trực tiếp (hằng giờ)",
        defaults={
            "task": "training.tasks.send_session_reminders",
            "crontab": hourly,
            "description": "Nhắc thành viên được mời một ngày trước và trong ngày diễn ra lớp "
            "tập huấn. Chạy lại nhiều lần vẫn chỉ gửi mỗi lời nhắc một lần.",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="training.tasks.send_session_reminders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0004_training_sessions_and_attendance"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
