import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import services as course_services
from courses.models import LessonPage
from notifications.models import Kind, Notification
from organisations import services as org
from organisations.models import Role
from training.services import campaigns as campaign_services
from training.services import reminders as reminder_services

pytestmark = pytest.mark.django_db

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = timezone.localdate()  # the tree's memberships start today, in Vietnam's time zone


def local(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    date = TODAY + datetime.timedelta(days=day)
    return datetime.datetime(date.year, date.month, date.day, hour, minute, tzinfo=VN)


@pytest.fixture
def campaign(tree, courses):
    """Commune X (members 1, 2 and the leader) for ten days; commune Y is not targeted."""
    return campaign_services.create_campaign(
        by=tree.province_admin,
        title="Đợt tập huấn 10 ngày",
        course_ids=[courses[0].pk],
        unit_codes=["P-X"],
        starts_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=10),
        status="RUNNING",
    )


def keys_of(user) -> list[str]:
    return sorted(
        key.rsplit(":", 1)[-1] if ":due:" in key else key.split(":")[-1]
        for key in Notification.objects.filter(user=user).values_list("key", flat=True)
    )


def test_reminders_arrive_on_the_right_days_and_never_twice(tree, campaign):
    received = {}
    for day in range(0, 13):
        with time_machine.travel(local(day, 8), tick=False):
            before = set(
                Notification.objects.filter(user=tree.member1).values_list("key", flat=True)
            )
            reminder_services.run_daily_reminders()
            reminder_services.run_daily_reminders()  # the job ran twice (a retry, a second worker)
            after = set(
                Notification.objects.filter(user=tree.member1).values_list("key", flat=True)
            )
            received[day] = sorted(after - before)
    prefix = f"campaign:{campaign.pk}:"
    dated = f"{prefix}{campaign.due_on.isoformat()}:"
    assert received == {
        0: [prefix + "assigned"],
        1: [],
        2: [],
        3: [dated + "due:7"],
        4: [],
        5: [],
        6: [],
        7: [dated + "due:3"],
        8: [],
        9: [dated + "due:1"],
        10: [],
        11: [dated + "overdue"],
        12: [],
    }
    assert Notification.objects.filter(user=tree.member3).count() == 0  # commune Y
    assert Notification.objects.filter(user=tree.member2).count() == 5


def test_the_day_changes_at_midnight_in_vietnam_not_in_utc(tree, campaign):
    # 23:59 in Vietnam on day 2 is 16:59 UTC; one minute past midnight on day 3 is 17:01 UTC
    # of the same UTC date. The 7-day reminder belongs to Vietnam's day 3.
    with time_machine.travel(local(2, 23, 59), tick=False):
        reminder_services.run_daily_reminders()
    assert not Notification.objects.filter(key__endswith=":due:7").exists()
    with time_machine.travel(local(3, 0, 1), tick=False):
        assert datetime.datetime.now(datetime.UTC).date() == local(2, 17, 1).date()
        reminder_services.run_daily_reminders()
    assert Notification.objects.filter(user=tree.member1, key__endswith=":due:7").count() == 1


def test_a_missed_run_sends_one_reminder_not_a_burst(tree, campaign):
    with time_machine.travel(local(8, 8), tick=False):  # nothing ran between day 0 and day 8
        reminder_services.run_daily_reminders()
    assert keys_of(tree.member1) == ["3", "assigned"]


def test_members_who_completed_get_no_reminders_and_later_joiners_do(tree, campaign, make_user):
    lesson = LessonPage.objects.child_of(campaign.courses.get()).get()
    course_services.start_lesson(user=tree.member2, lesson=lesson)
    course_services.complete_lesson(user=tree.member2, lesson=lesson)
    with time_machine.travel(local(0, 8), tick=False):
        reminder_services.run_daily_reminders()
    assert keys_of(tree.member2) == []
    assert keys_of(tree.member1) == ["assigned"]
    newcomer = make_user(username="moi", phone="+84900000090")
    org.assign_role(by=tree.root, user=newcomer, unit=tree.t1, role=Role.MEMBER)
    with time_machine.travel(local(3, 8), tick=False):
        reminder_services.run_daily_reminders()
    assert keys_of(newcomer) == ["7", "assigned"]
    org.assign_role(by=tree.root, user=tree.member1, unit=tree.t3, role=Role.MEMBER)  # moved out
    with time_machine.travel(local(7, 8), tick=False):
        reminder_services.run_daily_reminders()
    assert keys_of(tree.member1) == ["7", "assigned"]


def test_starting_a_campaign_notifies_at_once(tree, courses, django_capture_on_commit_callbacks):
    with time_machine.travel(local(0, 10), tick=False):
        draft = campaign_services.create_campaign(
            by=tree.commune_admin,
            title="Đợt nháp",
            course_ids=[courses[1].pk],
            unit_codes=["P-X-T2"],
            starts_on=TODAY,
            due_on=TODAY + datetime.timedelta(days=30),
        )
        assert not Notification.objects.exists()  # a draft tells no one
        with django_capture_on_commit_callbacks(execute=True):
            campaign_services.set_campaign_status(
                by=tree.commune_admin, campaign=draft, status="RUNNING"
            )
    notice = Notification.objects.get()
    assert notice.user == tree.member2 and notice.kind == Kind.ASSIGNED
    assert notice.params["courses"] == courses[1].title


def test_the_campaign_page_lists_the_notices_sent(client, tree, campaign):
    with time_machine.travel(local(3, 8), tick=False):
        reminder_services.run_daily_reminders()
    client.force_login(tree.province_admin)
    page = client.get(f"/admin/campaigns/{campaign.pk}/").content.decode()
    assert "Thông báo đã gửi" in page
    assert "Sắp đến hạn tập huấn (trước hạn 7 ngày)" in page
    assert "Được giao tập huấn mới" in page


def test_moving_the_due_date_restarts_the_reminders(client, tree, campaign):
    with time_machine.travel(local(3, 8), tick=False):
        reminder_services.run_daily_reminders()  # 7 days left
    assert keys_of(tree.member1) == ["7", "assigned"]
    client.force_login(tree.commune_admin)  # commune X's admin may change it: all of it is theirs
    new_due = (TODAY + datetime.timedelta(days=20)).strftime("%d/%m/%Y")
    response = client.post(
        f"/admin/campaigns/{campaign.pk}/edit/",
        {"title": "Đợt tập huấn (gia hạn)", "description": "", "due_on": new_due},
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Đợt tập huấn (gia hạn)"
    with time_machine.travel(local(13, 8), tick=False):
        reminder_services.run_daily_reminders()  # 7 days before the new date
    assert keys_of(tree.member1) == ["7", "7", "assigned"]
    page = client.get(f"/admin/campaigns/{campaign.pk}/").content.decode()
    assert "hạn " + new_due in page


def test_bad_or_foreign_campaign_changes_change_nothing(client, tree, campaign):
    client.force_login(tree.commune_admin)
    response = client.post(
        f"/admin/campaigns/{campaign.pk}/edit/",
        {"title": " ", "description": "", "due_on": "01/01/2020"},
    )
    assert response.status_code == 200 and "bắt buộc" in response.content.decode()
    response = client.post(
        f"/admin/campaigns/{campaign.pk}/edit/",
        {"title": "Tên mới", "description": "", "due_on": "01/01/2020"},
    )
    assert "không được trước ngày bắt đầu" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.title == "Đợt tập huấn 10 ngày"
    campaign_services.set_campaign_status(
        by=tree.province_admin, campaign=campaign, status="CLOSED"
    )
    with pytest.raises(ValidationError):
        campaign_services.update_campaign(
            by=tree.province_admin,
            campaign=campaign,
            title="Mới",
            description="",
            due_on=campaign.due_on,
        )
    wide = campaign_services.create_campaign(
        by=tree.province_admin,
        title="Cả tỉnh",
        course_ids=[c.pk for c in campaign.courses.all()],
        unit_codes=["P"],
        starts_on=TODAY,
        due_on=TODAY,
    )
    # It reaches commune Y, outside the commune admin's area: not theirs to see or change.
    assert client.get(f"/admin/campaigns/{wide.pk}/edit/").status_code == 404
    data = {"title": "Đổi", "description": "", "due_on": TODAY.strftime("%d/%m/%Y")}
    assert client.post(f"/admin/campaigns/{wide.pk}/edit/", data).status_code == 404
    with pytest.raises(ValidationError):
        campaign_services.update_campaign(
            by=tree.commune_admin, campaign=wide, **{**data, "due_on": TODAY}
        )
    wide.refresh_from_db()
    assert wide.title == "Cả tỉnh"
