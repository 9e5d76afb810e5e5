from django.db import migrations


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")

    def daily(hour, minute):
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=str(minute),
            hour=str(hour),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Ho_Chi_Minh",
        )
        return schedule

    PeriodicTask.objects.get_or_create(
        name="Nhắc hạn đợt tập huấn (hằng ngày)",
        defaults={
            "task": "training.tasks.run_daily_reminders",
            "crontab": daily(8, 0),
            "description": "Giao bài mới, nhắc trước hạn 7, 3, 1 ngày và báo quá hạn. "
            "Chạy lại nhiều lần vẫn chỉ gửi mỗi thông báo một lần.",
        },
    )
    PeriodicTask.objects.get_or_create(
        name="Gia hạn chứng chỉ sắp hết hạn (hằng ngày)",
        defaults={
            "task": "training.tasks.open_recertifications",
            "crontab": daily(7, 30),
            "description": "Chứng chỉ còn 30 ngày: giao lại khoá học (hoặc khoá ôn tập) và nhắc.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_recertification"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedules, migrations.RunPython.noop)]
