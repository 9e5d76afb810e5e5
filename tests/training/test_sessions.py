"""In-person sessions: who may schedule them, QR check-in, the attendance list, the
calendar file, reminders, and attendance as a course requirement."""

import datetime
import re
import zoneinfo

import icalendar
import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from courses import services as course_services
from courses.models import CourseCompletion, CoursePage, LessonPage
from notifications.models import Kind, Notification
from organisations import services as org
from organisations.models import Role
from training import checkin
from training.models import Attendance, TrainingSession
from training.services import sessions as session_services

pytestmark = pytest.mark.django_db

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = timezone.localdate()  # the tree's memberships start today, in Vietnam's time zone


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    date = TODAY + datetime.timedelta(days=day)
    return datetime.datetime(date.year, date.month, date.day, hour, minute, second, tzinfo=VN)


@pytest.fixture
def session(tree, courses):
    """Course A, for commune X (leader1, member1, member2), tomorrow 09:00–11:00 (local),
    led by the province administrator."""
    with time_machine.travel(local(0, 7), tick=False):
        return session_services.schedule_session(
            by=tree.province_admin,
            plan=session_services.SessionPlan(
                title="Tập huấn kích hoạt VNeID mức 2",
                course=courses[0],
                place="Hội trường UBND xã X",
                starts_at=local(1, 9),
                ends_at=local(1, 11),
                trainer=tree.province_admin,
                capacity=30,
                unit_codes=["P-X"],
                notes="Mang theo điện thoại đã cài VNeID",
            ),
        )


def scan_url(session, at):
    return reverse(
        "training:check_in", args=[session.pk, checkin.current_token(session.pk, now=at)]
    )


# --- Scheduling and scope ------------------------------------------------------------------


def _form(**overrides):
    data = {
        "title": "Lớp nhận diện lừa đảo",
        "course": "",
        "topic": "",
        "place": "Nhà văn hoá ấp H",
        "starts_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
        "starts_time": "08:00",
        "ends_on": "",
        "ends_time": "10:30",
        "capacity": "40",
        "unit_codes": "P-X",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_a_commune_administrator_schedules_only_in_their_commune(client, tree, courses):
    client.force_login(tree.commune_admin)
    url = reverse("training_sessions:create")
    assert client.get(url).status_code == 200
    outside = client.post(
        url, _form(course=courses[1].pk, trainer=tree.commune_admin.pk, unit_codes="P-Y")
    )
    assert outside.status_code == 200
    assert "Ngoài phạm vi của bạn, đã sáp nhập hoặc không tồn tại: P-Y." in (
        outside.content.decode()
    )
    assert not TrainingSession.objects.exists()
    created = client.post(
        url, _form(course=courses[1].pk, trainer=tree.commune_admin.pk, unit_codes="p-x-t1, P-X-T2")
    )
    session = TrainingSession.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("training_sessions:detail", args=[session.pk])
    assert {u.code for u in session.target_units.all()} == {"P-X-T1", "P-X-T2"}
    assert session.starts_at == datetime.datetime.combine(
        TODAY + datetime.timedelta(days=3), datetime.time(8), tzinfo=VN
    )


def test_bad_session_input_changes_nothing(client, tree, courses):
    client.force_login(tree.commune_admin)
    response = client.post(
        reverse("training_sessions:create"),
        _form(trainer=tree.commune_admin.pk, ends_time="07:00", capacity="0", place=" "),
    )
    html = response.content.decode()
    assert "Hãy chọn khoá học hoặc chủ đề của lớp." in html
    assert not TrainingSession.objects.exists()
    response = client.post(
        reverse("training_sessions:create"),
        _form(course=courses[0].pk, trainer=tree.commune_admin.pk, ends_time="07:00"),
    )
    assert "Giờ kết thúc phải sau giờ bắt đầu." in response.content.decode()
    # A trainer from another area cannot be named.
    response = client.post(
        reverse("training_sessions:create"),
        _form(course=courses[0].pk, trainer=tree.member3.pk),
    )
    assert response.status_code == 200
    assert not TrainingSession.objects.exists()


def test_session_screens_are_scoped(client, tree, session, make_user):
    detail = reverse("training_sessions:detail", args=[session.pk])
    client.force_login(tree.commune_admin)
    assert client.get(detail).status_code == 200  # commune X is invited
    y_admin = make_user(username="yadmin", phone="+84900000099")
    org.assign_role(by=tree.root, user=y_admin, unit=tree.y, role=Role.UNIT_ADMIN)
    client.force_login(y_admin)
    for name in ("detail", "edit", "attendance", "projector"):
        assert (
            client.get(reverse(f"training_sessions:{name}", args=[session.pk])).status_code == 404
        )
    assert client.post(reverse("training_sessions:cancel", args=[session.pk])).status_code == 404
    client.force_login(tree.member1)  # a member has no admin at all
    assert client.get(reverse("training_sessions:index")).status_code in (302, 404)
    assert client.get(detail).status_code in (302, 404)
    client.force_login(tree.leader)  # a team leader has the admin, but not this session
    assert client.get(reverse("training_sessions:index")).status_code == 200
    assert client.get(reverse("training_sessions:edit", args=[session.pk])).status_code == 404
    session.refresh_from_db()
    assert session.cancelled_at is None


def test_a_trainer_with_a_unit_schedules_there(client, tree, courses, make_user):
    trainer = make_user(username="gv", phone="+84900000098", full_name="Trần Thị Thu Hà")
    org.assign_role(by=tree.root, user=trainer, unit=tree.x, role=Role.TRAINER)
    client.force_login(trainer)
    response = client.post(
        reverse("training_sessions:create"),
        _form(course=courses[0].pk, trainer=trainer.pk, unit_codes="P-X"),
    )
    assert response.status_code == 302
    assert TrainingSession.objects.get().trainer == trainer


# --- QR check-in ---------------------------------------------------------------------------


def test_check_in_only_during_the_session_and_only_once(client, tree, session):
    client.force_login(tree.member1)
    early = local(1, 8, 20)  # check-in opens at 08:30
    with time_machine.travel(early, tick=False):
        response = client.get(scan_url(session, early))
    assert response.status_code == 403
    assert "Chưa đến giờ điểm danh: điểm danh mở lúc 08:30" in response.content.decode()

    during = local(1, 9, 5)
    with time_machine.travel(during, tick=False):
        page = client.get(scan_url(session, during))
        assert page.status_code == 200
        assert "Tôi có mặt" in page.content.decode()
        done = client.post(reverse("training:check_in_confirm", args=[session.pk]))
        assert done.status_code == 302
        again = client.get(scan_url(session, during))
        assert again.status_code == 200
        assert "Bạn đã điểm danh lúc 09:05" in again.content.decode()
        assert client.post(reverse("training:check_in_confirm", args=[session.pk])).status_code in (
            200,
            400,
        )
    assert Attendance.objects.filter(session=session, user=tree.member1).count() == 1
    attendance = Attendance.objects.get()
    assert (attendance.method, attendance.checked_in_at) == ("QR", during)

    after = local(1, 11, 0)
    client.force_login(tree.member2)
    with time_machine.travel(after, tick=False):
        response = client.get(scan_url(session, after))
    assert response.status_code == 403
    assert "Lớp tập huấn đã kết thúc" in response.content.decode()
    assert not Attendance.objects.filter(user=tree.member2).exists()


def test_only_members_of_the_invited_units_check_in(client, tree, session):
    during = local(1, 9, 30)
    client.force_login(tree.member3)  # commune Y
    with time_machine.travel(during, tick=False):
        response = client.get(scan_url(session, during))
        assert response.status_code == 403
        assert "bạn không có trong danh sách được mời" in response.content.decode()
        client.post(reverse("training:check_in_confirm", args=[session.pk]))
    assert not Attendance.objects.exists()


def test_expired_and_forged_codes_are_refused(client, tree, session, courses):
    client.force_login(tree.member1)
    shown = local(1, 9, 10, 30)
    token = checkin.current_token(session.pk, now=shown)
    url = reverse("training:check_in", args=[session.pk, token])
    with time_machine.travel(shown + datetime.timedelta(seconds=60), tick=False):
        assert client.get(url).status_code == 200  # scanned just as the code changed
    client.logout()
    client.force_login(tree.member1)  # a fresh browser session: no ticket
    with time_machine.travel(shown + datetime.timedelta(minutes=3), tick=False):
        response = client.get(url)
        assert response.status_code == 400
        assert "Mã điểm danh này đã hết hạn" in response.content.decode()
        window, signature = token.split("-")
        for forged in (
            f"{window}-{'0' * len(signature)}",
            f"{int(window) + 3}-{signature}",
            "abc",
            checkin.current_token(session.pk + 1),
        ):
            response = client.get(reverse("training:check_in", args=[session.pk, forged]))
            assert response.status_code == 400
            assert "Mã điểm danh không hợp lệ" in response.content.decode()
        # Confirming without having scanned a valid code is refused too.
        assert (
            client.post(reverse("training:check_in_confirm", args=[session.pk])).status_code == 400
        )
    assert not Attendance.objects.exists()


def test_scanning_while_logged_out_logs_in_then_comes_back(client, tree, session):
    scanned = local(1, 9, 0, 10)
    url = scan_url(session, scanned)
    with time_machine.travel(scanned, tick=False):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "next=" in response["Location"]
    # Typing the password takes a few minutes: the code has changed twice meanwhile.
    with time_machine.travel(scanned + datetime.timedelta(minutes=4), tick=False):
        login = client.post(
            reverse("accounts:login") + f"?next={url}",
            {"username": "0900000004", "password": "Mat-khau-rat-dai-1", "next": url},
        )
        assert login.status_code == 302
        assert login["Location"] == url
        assert "Tôi có mặt" in client.get(url).content.decode()
        client.post(reverse("training:check_in_confirm", args=[session.pk]))
    assert Attendance.objects.get().user == tree.member1


def test_one_attendance_per_member_is_a_database_rule(tree, session):
    Attendance.objects.create(session=session, user=tree.member1, method="QR")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session, user=tree.member1, method="LIST")


def test_capacity_is_kept(client, tree, session):
    TrainingSession.objects.filter(pk=session.pk).update(capacity=1)
    during = local(1, 9, 30)
    with time_machine.travel(during, tick=False):
        for member in (tree.member1, tree.member2):
            client.force_login(member)
            client.get(scan_url(session, during))
            client.post(reverse("training:check_in_confirm", args=[session.pk]))
        response = client.get(scan_url(session, during))
    assert "Lớp đã đủ 1 người" in response.content.decode()
    assert list(Attendance.objects.values_list("user__username", flat=True)) == ["member1"]


def test_the_trainer_page_shows_a_qr_code_only_during_the_session(client, tree, session):
    client.force_login(tree.province_admin)
    detail = reverse("training_sessions:detail", args=[session.pk])
    with time_machine.travel(local(1, 7), tick=False):
        html = client.get(detail).content.decode()
    assert 'class="checkin-qr"' not in html
    assert "Mã QR điểm danh hiện ở đây từ" in html
    with time_machine.travel(local(1, 9, 15), tick=False):
        response = client.get(detail)
        projector = client.get(reverse("training_sessions:projector", args=[session.pk]))
    html = response.content.decode()
    assert 'class="checkin-qr"' in html and "<title>Mã QR điểm danh</title>" in html
    # The page reloads itself for the next code: its script carries the policy's nonce.
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">setTimeout(function () {{ location.reload(); }}' in html
    assert '<meta http-equiv="refresh"' in projector.content.decode()


# --- The attendance list -------------------------------------------------------------------


def test_the_trainer_ticks_members_on_the_list(client, tree, session):
    client.force_login(tree.province_admin)
    url = reverse("training_sessions:attendance", args=[session.pk])
    with time_machine.travel(local(1, 9, 30), tick=False):
        page = client.get(url).content.decode()
        shown = sorted(set(re.findall(r'name="shown" value="(\d+)"', page)))
        assert set(map(int, shown)) == {tree.leader.pk, tree.member1.pk, tree.member2.pk}
        assert "@media print" in page
        response = client.post(url, {"shown": shown, "present": [tree.member1.pk, tree.member2.pk]})
        assert response.status_code == 302
        assert set(Attendance.objects.values_list("user_id", flat=True)) == {
            tree.member1.pk,
            tree.member2.pk,
        }
        assert (
            Attendance.objects.filter(method="LIST", recorded_by=tree.province_admin).count() == 2
        )
        # Unticked: removed. Someone who is not invited: refused, nothing changed.
        client.post(url, {"shown": shown, "present": [tree.member1.pk]})
        assert list(Attendance.objects.values_list("user_id", flat=True)) == [tree.member1.pk]
        refused = client.post(
            url, {"shown": [*shown, tree.member3.pk], "present": [tree.member3.pk]}, follow=True
        )
        assert "Danh sách có người không được mời" in refused.content.decode()
    assert list(Attendance.objects.values_list("user_id", flat=True)) == [tree.member1.pk]


# --- Calendar file -------------------------------------------------------------------------


def test_calendar_file(client, tree, session, courses):
    client.force_login(tree.member1)
    url = reverse("training:calendar", args=[session.pk])
    first = client.get(url)
    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    assert first["Content-Disposition"] == f'attachment; filename="lop-tap-huan-{session.pk}.ics"'
    calendar = icalendar.Calendar.from_ical(first.content)
    zone = calendar.walk("VTIMEZONE")[0]
    assert str(zone["TZID"]) == "Asia/Ho_Chi_Minh"
    assert "TZOFFSETTO:+0700" in first.content.decode()
    event = calendar.walk("VEVENT")[0]
    raw = first.content.decode()
    assert (
        f"DTSTART;TZID=Asia/Ho_Chi_Minh:{(TODAY + datetime.timedelta(days=1)):%Y%m%d}T090000"
        in (raw.replace("\r\n ", ""))
    )
    assert event.decoded("dtstart") == local(1, 9)
    assert event.decoded("dtstart").astimezone(datetime.UTC).hour == 2  # 09:00 +07 = 02:00 UTC
    assert event.decoded("dtend") == local(1, 11)
    assert raw.replace("\r\n ", "").count("DTSTAMP:") == 1
    assert re.search(r"DTSTAMP:\d{8}T\d{6}Z", raw)
    assert str(event["summary"]) == "Tập huấn kích hoạt VNeID mức 2"
    assert str(event["location"]) == "Hội trường UBND xã X"
    assert "Giảng viên: Người padmin" in str(event["description"])
    assert "Mang theo điện thoại đã cài VNeID" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    uid, sequence = str(event["uid"]), int(event["sequence"])
    # The same UID every time; a change raises SEQUENCE so the phone updates the event.
    session_services.update_session(
        by=tree.province_admin,
        session=session,
        plan=session_services.SessionPlan(
            title=session.title,
            place="Nhà văn hoá ấp H",
            starts_at=local(1, 14),
            ends_at=local(1, 16),
            trainer=session.trainer,
            capacity=30,
            unit_codes=["P-X"],
            course=courses[0],
        ),
    )
    event = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(event["uid"]) == uid
    assert int(event["sequence"]) == sequence + 1
    assert event.decoded("dtstart") == local(1, 14)
    client.force_login(tree.member3)  # not invited
    assert client.get(url).status_code == 404


def test_members_see_their_sessions_in_my_learning(client, tree, session):
    client.force_login(tree.member1)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "Lớp tập huấn" in html and "Tập huấn kích hoạt VNeID mức 2" in html
    assert reverse("training:calendar", args=[session.pk]) in html
    client.force_login(tree.member3)
    assert (
        "Tập huấn kích hoạt VNeID mức 2"
        not in client.get(reverse("courses:my_learning")).content.decode()
    )
    assert client.get(reverse("training:session", args=[session.pk])).status_code == 404


# --- Reminders -----------------------------------------------------------------------------


def test_reminders_a_day_before_and_on_the_day_exactly_once(tree, courses):
    with time_machine.travel(local(0, 10), tick=False):
        session = session_services.schedule_session(
            by=tree.province_admin,
            plan=session_services.SessionPlan(
                title="Lớp thanh toán số",
                course=courses[1],
                place="Hội trường",
                starts_at=local(3, 8),
                ends_at=local(3, 10),
                trainer=tree.province_admin,
                capacity=20,
                unit_codes=["P-X"],
            ),
        )
        session_services.notify_session_scheduled(session_id=session.pk)
    for day in range(0, 5):
        for hour in range(0, 24, 3):
            with time_machine.travel(local(day, hour, 5), tick=False):
                session_services.send_session_reminders()
                session_services.send_session_reminders()  # the job ran twice
    day = (TODAY + datetime.timedelta(days=3)).isoformat()
    keys = list(
        Notification.objects.filter(user=tree.member1)
        .order_by("created_at")
        .values_list("kind", "key")
    )
    assert keys == [
        (Kind.SESSION_NEW, f"session:{session.pk}:new"),
        (Kind.SESSION_SOON, f"session:{session.pk}:{day}:day:1"),
        (Kind.SESSION_SOON, f"session:{session.pk}:{day}:day:0"),
    ]
    first = Notification.objects.get(key__endswith=":day:1", user=tree.member1).created_at
    assert timezone.localdate(first) == TODAY + datetime.timedelta(days=2)
    assert not Notification.objects.filter(user=tree.member3).exists()
    assert Notification.objects.filter(kind=Kind.SESSION_SOON).count() == 6  # 3 members × 2


# --- Attendance completes a course ----------------------------------------------------------


def test_attendance_as_a_requirement_completes_the_course_and_issues_the_certificate(
    client, tree, session, courses, django_capture_on_commit_callbacks
):
    course = courses[0]
    CoursePage.objects.filter(pk=course.pk).update(requires_session_attendance=True)
    lesson = LessonPage.objects.child_of(course).get()
    course_services.start_lesson(user=tree.member1, lesson=lesson)
    course_services.complete_lesson(user=tree.member1, lesson=lesson)
    assert not CourseCompletion.objects.filter(user=tree.member1).exists()  # not there yet
    during = local(1, 9, 20)
    client.force_login(tree.member1)
    with time_machine.travel(during, tick=False):
        client.get(scan_url(session, during))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("training:check_in_confirm", args=[session.pk]))
    assert CourseCompletion.objects.filter(user=tree.member1, course=course).exists()
    certificate = Certificate.objects.get(user=tree.member1, course=course)
    assert certificate.revoked_at is None
    # Attending alone does not complete it for someone who skipped the lessons.
    client.force_login(tree.member2)
    with time_machine.travel(during, tick=False):
        client.get(scan_url(session, during))
        client.post(reverse("training:check_in_confirm", args=[session.pk]))
    assert Attendance.objects.filter(user=tree.member2).exists()
    assert not CourseCompletion.objects.filter(user=tree.member2).exists()


def test_the_member_is_shown_the_session_step_until_they_attend(
    client, tree, session, courses, django_capture_on_commit_callbacks
):
    """Lessons done, a session still required: the course page, /me/ and the next step
    name the session (never "every step is done"), then say when it was attended."""
    course = courses[0]
    CoursePage.objects.filter(pk=course.pk).update(requires_session_attendance=True)
    lesson = LessonPage.objects.child_of(course).get()
    course_services.start_lesson(user=tree.member1, lesson=lesson)
    course_services.complete_lesson(user=tree.member1, lesson=lesson)
    client.force_login(tree.member1)
    with time_machine.travel(local(0, 8), tick=False):
        page = client.get(course.url).content.decode()
        mine = client.get(reverse("courses:my_learning")).content.decode()
    session_url = reverse("training:session", args=[session.pk])
    for html in (page, mine):
        assert "Dự một buổi tập huấn trực tiếp" in html
        assert "Buổi tiếp theo: Tập huấn kích hoạt VNeID mức 2" in html
        assert "Bạn đã làm xong mọi bước" not in html
    assert f'href="{session_url}"' in page and "Xem buổi tập huấn" in page

    Attendance.objects.create(
        session=session, user=tree.member1, checked_in_at=local(1, 9, 5), method="LIST"
    )
    with time_machine.travel(local(1, 12), tick=False):
        page = client.get(course.url).content.decode()
    assert "Dự một buổi tập huấn trực tiếp" in page and "Đã dự ngày" in page

    # Once the only session is cancelled, a member who has not attended is told none is
    # planned yet.
    session_services.cancel_session(by=tree.province_admin, session=session)
    client.force_login(tree.member2)
    with time_machine.travel(local(0, 8), tick=False):
        page = client.get(course.url).content.decode()
    assert "Chưa có buổi tập huấn nào cho bạn" in page
    assert "Bạn đã làm xong mọi bước" not in page


def test_the_session_is_changed_and_cancelled_through_its_screens(
    client, tree, session, courses, django_capture_on_commit_callbacks
):
    client.force_login(tree.commune_admin)  # commune X: every invited unit is in their area
    edit = reverse("training_sessions:edit", args=[session.pk])
    page = client.get(edit)
    assert page.status_code == 200
    assert 'value="Hội trường UBND xã X"' in page.content.decode()
    response = client.post(
        edit,
        _form(
            title=session.title,
            course=courses[0].pk,
            trainer=session.trainer_id,  # the province administrator stays the trainer
            place="Nhà văn hoá ấp H",
            starts_on=(TODAY + datetime.timedelta(days=2)).isoformat(),
            starts_time="14:00",
            ends_time="16:00",
            unit_codes="P-X",
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.place, session.starts_at, session.sequence) == (
        "Nhà văn hoá ấp H",
        local(2, 14),
        1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        cancel = reverse("training_sessions:cancel", args=[session.pk])
        response = client.post(cancel, follow=True)
    assert "Đã huỷ lớp tập huấn" in response.content.decode()
    session.refresh_from_db()
    assert session.cancelled_at is not None
    assert client.get(edit).status_code == 200  # readable, but a change is refused:
    refused = client.post(edit, _form(course=courses[0].pk, trainer=session.trainer_id))
    assert "Không thể sửa lớp tập huấn đã huỷ." in refused.content.decode()
    cancelled = Notification.objects.filter(kind=Kind.SESSION_CANCELLED)
    assert set(cancelled.values_list("user__username", flat=True)) == {
        "leader1",
        "member1",
        "member2",
    }
