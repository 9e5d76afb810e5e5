import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse

from notifications import services
from notifications.models import Delivery, Kind, Notification, RecordedMessage
from notifications.selectors import unread_count

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour, minute=0, day=2):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=VN)


def notify(users, key="campaign:1:assigned"):
    return services.notify(
        user_ids=[u.pk for u in users],
        kind=Kind.ASSIGNED,
        key=key,
        params={"campaign": "Đợt tháng 12", "courses": "VNeID", "due_on": "2026-12-12"},
        link="/me/",
    )


@pytest.fixture
def people(make_user):
    return [
        make_user(username="co-email", phone="+84900000101", email="an@example.vn"),
        make_user(username="chi-sdt", phone="+84900000102"),
    ]


@pytest.mark.django_db
def test_each_member_is_notified_once_per_event_however_often_it_runs(people):
    assert notify(people) == 2
    assert notify(people) == 0
    assert notify(people, key="campaign:1:due:7") == 2
    assert Notification.objects.count() == 4
    # e-mail only where there is an address; the SMS/Zalo stand-in for every phone
    assert sorted(Delivery.objects.values_list("channel", "address")) == sorted(
        [
            ("email", "an@example.vn"),
            ("sms", "+84900000101"),
            ("sms", "+84900000102"),
        ]
        * 2
    )


@pytest.mark.django_db
def test_quiet_hours_hold_messages_until_seven(people):
    assert services.next_sending_time(at(22)) == at(7, day=3)
    assert services.next_sending_time(at(6, 59)) == at(7)
    assert services.next_sending_time(at(7)) == at(7)
    assert services.next_sending_time(at(20, 59)) == at(20, 59)
    with time_machine.travel(at(22, 15), tick=False):
        notify(people)
        assert unread_count(people[0]) == 1  # the inbox is silent, so it shows at once
        assert services.send_pending_deliveries() == 0
    with time_machine.travel(at(6, 59, day=3), tick=False):
        assert services.send_pending_deliveries() == 0
    assert RecordedMessage.objects.count() == 0 and len(mail.outbox) == 0
    with time_machine.travel(at(7, 0, day=3), tick=False):
        assert services.send_pending_deliveries() == 3
        assert services.send_pending_deliveries() == 0  # never twice
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an@example.vn"]
    assert "Đợt tháng 12" in mail.outbox[0].subject  # Vietnamese, whatever the sender's language
    assert sorted(RecordedMessage.objects.values_list("address", flat=True)) == [
        "+84900000101",
        "+84900000102",
    ]
    assert "12/12/2026" in RecordedMessage.objects.first().text
    assert mail.outbox[0].body.endswith("http://127.0.0.1:8000/me/")  # where to act


@pytest.mark.django_db
def test_a_failing_channel_is_recorded_and_does_not_stop_the_others(people, settings):
    settings.NOTIFICATION_CHANNELS = [
        "tests.notifications.test_notifications.BrokenChannel",
        "notifications.channels.RecordingChannel",
    ]
    with time_machine.travel(at(9), tick=False):
        notify(people)
        assert services.send_pending_deliveries() == 2
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED)
    assert failed.count() == 2 and failed.first().error == "provider down"
    assert RecordedMessage.objects.count() == 2


class BrokenChannel:
    name = "zalo"

    def address_for(self, user):
        return user.phone

    def send(self, *, address, subject, text):
        raise ConnectionError("provider down")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_runs_create_each_notification_and_delivery_once(people):
    barrier = threading.Barrier(6)

    def run():
        barrier.wait()
        try:
            notify(people)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 3


@pytest.mark.django_db
def test_inbox_shows_unread_count_and_marks_read(client, people, make_user):
    other = make_user(username="nguoi-khac")
    notify(people)
    notify([other], key="campaign:2:assigned")
    client.force_login(people[0])
    page = client.get(reverse("courses:my_learning"))
    assert '<span class="nav-count">1<' in page.content.decode()
    inbox = client.get(reverse("notifications:inbox"))
    assert "Tập huấn mới: Đợt tháng 12" in inbox.content.decode()
    mine = Notification.objects.get(user=people[0])
    theirs = Notification.objects.get(user=other)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert unread_count(people[0]) == 0
    assert "nav-count" not in client.get(reverse("courses:my_learning")).content.decode()


@pytest.mark.django_db
def test_read_all_needs_post_and_only_touches_own(client, people):
    notify(people)
    client.force_login(people[0])
    assert client.get(reverse("notifications:read_all")).status_code == 405
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert Notification.objects.get(read_at__isnull=True).user == people[1]


@pytest.mark.django_db
def test_a_link_to_another_site_is_not_followed(client, people):
    services.notify(
        user_ids=[people[0].pk],
        kind=Kind.ASSIGNED,
        key="x",
        params={},
        link="https://evil.example/",
    )
    client.force_login(people[0])
    notification = Notification.objects.get()
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:inbox")
