import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db


def test_superusers_see_pause_and_run_the_scheduled_jobs(client, make_user):
    admin = make_user(username="sa", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("schedules_admin:index")).content.decode()
    for name in (
        "Nhắc hạn đợt tập huấn (hằng ngày)",
        "Gia hạn chứng chỉ sắp hết hạn (hằng ngày)",
        "Gửi thông báo qua e-mail/SMS đã đến giờ",
    ):
        assert name in page
    assert "Hằng ngày lúc 08:00" in page and "Mỗi 5 phút" in page
    job = PeriodicTask.objects.get(task="training.tasks.run_daily_reminders")
    client.post(reverse("schedules_admin:toggle", args=[job.pk]))
    job.refresh_from_db()
    assert not job.enabled
    response = client.post(reverse("schedules_admin:run_now", args=[job.pk]), follow=True)
    assert "đã được đưa vào hàng đợi" in response.content.decode()


def test_others_cannot_see_or_change_them(client, make_user):
    staff = make_user(username="trainer-x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    job = PeriodicTask.objects.get(task="training.tasks.run_daily_reminders")
    assert client.get(reverse("schedules_admin:index")).status_code in (302, 403)
    assert client.post(reverse("schedules_admin:toggle", args=[job.pk])).status_code in (302, 403)
    job.refresh_from_db()
    assert job.enabled
