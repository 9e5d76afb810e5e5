"""Demo field work for `seed_demo`: in-person sessions past, running and upcoming with their
attendance; a few months of the outreach log (nhật ký hỗ trợ người dân), shaped differently
in each commune so the reports show real patterns; and a campaign with an outreach target.
Idempotent: each part looks before it writes."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User

HISTORY_DAYS = 120

# Per commune: how much its members help, and which kinds of help most (weights in the
# order of outreach.models.HelpKind: VNeID, public service, non-cash, scam, app, other).
COMMUNE_PROFILES = {
    "VL-X01": (1.2, (2, 4, 5, 2, 2, 1)),  # a ward: public services and QR payments
    "VL-X02": (1.5, (6, 2, 2, 3, 2, 1)),  # the VNeID drive of the demo campaign
    "VL-X03": (1.0, (2, 1, 1, 6, 1, 1)),  # scam warnings after its session on scams
    "VL-X04": (0.5, (3, 1, 1, 1, 3, 1)),  # a quieter commune
}
NOTES = [
    "",
    "",
    "",
    "Tại nhà văn hoá ấp",
    "Hướng dẫn tại chợ sáng",
    "Buổi sinh hoạt chi hội phụ nữ",
    "Ngày tiếp dân tại UBND xã",
    "Đến từng nhà trong xóm",
    "Người cao tuổi, hướng dẫn từng bước",
    "Phát tờ rơi cảnh báo lừa đảo",
]
SESSIONS = [
    # (days from today, start, end, title, course slug, place, unit codes, share attending)
    (
        -35,
        time(8),
        time(11),
        "Hướng dẫn kích hoạt VNeID mức 2 cho người dân",
        "vneid-va-dich-vu-cong-truc-tuyen",
        "Hội trường UBND Phường Phú Khương",
        ["VL-X01", "VL-X04"],
        0.55,
    ),
    (
        -21,
        time(8),
        time(11),
        "Thực hành thanh toán bằng mã QR",
        "thanh-toan-so",
        "Hội trường UBND Xã Châu Thành",
        ["VL-X02"],
        0.75,
    ),
    (
        -10,
        time(14),
        time(16, 30),
        "Nhận diện lừa đảo: các thủ đoạn mới",
        "nhan-dien-lua-dao-truc-tuyen",
        "Nhà văn hoá Ấp Bình Thới",
        ["VL-X03"],
        0.65,
    ),
    (
        3,
        time(14),
        time(16, 30),
        "Thực hành nộp hồ sơ trên Cổng Dịch vụ công",
        "vneid-va-dich-vu-cong-truc-tuyen",
        "Hội trường UBND Xã Mỏ Cày",
        ["VL-X02", "VL-X04"],
        0,
    ),
    (
        9,
        time(8),
        time(10, 30),
        "Nhận diện lừa đảo: mạo danh công an, điện lực",
        "nhan-dien-lua-dao-truc-tuyen",
        "Nhà văn hoá Khu phố 1",
        ["VL-X01"],
        0,
    ),
]
CAMPAIGN_TITLE = "Tháng cao điểm VNeID: mỗi thành viên hướng dẫn 10 người dân kích hoạt mức 2"


def _at(day_offset: int, moment: time) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, moment))


def seed_fieldwork() -> None:
    seed_trainer_role()
    seed_session_requirement()
    seed_sessions()
    seed_courses_after_sessions()
    seed_outreach_log()
    seed_outreach_campaign()


def seed_trainer_role() -> None:
    """The demo trainer trains the province: runs its in-person sessions and may grant extra
    attempts or time to its members."""
    from organisations import services as org
    from organisations.models import OrgUnit, Role

    admin = User.objects.get(username="admin")
    trainer = User.objects.get(username="trainer")
    org.assign_role(by=admin, user=trainer, unit=OrgUnit.objects.get(code="VL"), role=Role.TRAINER)


def seed_session_requirement() -> None:
    """ "Thanh toán số" asks for a practice session in person as well as the lessons."""
    from courses.models import CoursePage

    course = CoursePage.objects.get(slug="thanh-toan-so")
    if not course.requires_session_attendance:
        course.requires_session_attendance = True
        course.save_revision().publish()


@transaction.atomic
def seed_sessions() -> None:
    from courses.models import CoursePage
    from training.models import Attendance, AttendanceMethod, TrainingSession
    from training.selectors import invited_members
    from training.services import sessions as session_services

    if TrainingSession.objects.exists():
        return
    trainer = User.objects.get(username="trainer")
    rng = random.Random(20)  # noqa: S311 - demo data
    specs = [(_at(day, start), _at(day, end), *rest) for day, start, end, *rest in SESSIONS]
    now = timezone.now()
    # One session running now, for the demo member's team: its QR code can be scanned.
    specs.append(
        (
            now - timedelta(minutes=15),
            now + timedelta(hours=3),
            "Buổi thực hành điểm danh bằng mã QR",
            "vneid-va-dich-vu-cong-truc-tuyen",
            "Nhà văn hoá Ấp Phú Hòa",
            ["VL-X02-T01"],
            0,
        )
    )
    for starts_at, ends_at, title, slug, place, codes, share in specs:
        session = session_services.schedule_session(
            by=trainer,
            plan=session_services.SessionPlan(
                title=title,
                course=CoursePage.objects.get(slug=slug),
                place=place,
                starts_at=starts_at,
                ends_at=ends_at,
                trainer=trainer,
                capacity=60,
                unit_codes=codes,
                notes="Mang theo điện thoại đã sạc pin và đã đăng nhập digiskills.",
            ),
        )
        if not share:
            continue
        invited = sorted(invited_members(session))
        present = [user_id for user_id in invited if rng.random() < share]
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    user_id=user_id,
                    checked_in_at=starts_at + timedelta(minutes=rng.randint(-20, 25)),
                    method=AttendanceMethod.QR if rng.random() < 0.8 else AttendanceMethod.LIST,
                    recorded_by=trainer,
                )
                for user_id in present
            ]
        )


@transaction.atomic
def seed_courses_after_sessions() -> None:
    """Most of Bình Đại's members who came to the session on scams then finished the online
    course too (in the reports: completion beside the scams they warned about)."""
    from courses.models import CourseCompletion, CoursePage, LessonPage, LessonProgress
    from training.models import Attendance

    course = CoursePage.objects.get(slug="nhan-dien-lua-dao-truc-tuyen")
    attendees = list(
        Attendance.objects.filter(
            session__course=course, session__target_units__code="VL-X03"
        ).values_list("user_id", "session__ends_at")
    )
    if (
        not attendees
        or CourseCompletion.objects.filter(
            course=course, user_id__in=[user_id for user_id, _ in attendees]
        ).exists()
    ):
        return
    rng = random.Random(7)  # noqa: S311 - demo data
    lessons = list(LessonPage.objects.live().child_of(course))
    progress, completions = [], []
    for user_id, ended in sorted(attendees):
        if rng.random() > 0.7:
            continue
        done = ended + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 10))
        progress += [
            LessonProgress(user_id=user_id, lesson=lesson, started_at=done, completed_at=done)
            for lesson in lessons
        ]
        completions.append(CourseCompletion(user_id=user_id, course=course, completed_at=done))
    LessonProgress.objects.bulk_create(progress, ignore_conflicts=True)
    CourseCompletion.objects.bulk_create(completions, ignore_conflicts=True)


@transaction.atomic
def seed_outreach_log() -> None:
    """About four months of help, per member: some very active, most steady, some quiet;
    more of a kind after attending a session or completing the course that trains for it."""
    from courses.models import CourseCompletion
    from organisations.models import TEAM_ROLES, Membership
    from outreach.models import HelpKind, OutreachEntry
    from outreach.selectors import default_place, places_for
    from training.models import Attendance

    if OutreachEntry.objects.exists():
        return
    rng = random.Random(2024)  # noqa: S311 - demo data
    today = timezone.localdate()
    kinds = HelpKind.values
    topic_kinds = {
        "vneid-va-dich-vu-cong-truc-tuyen": HelpKind.VNEID,
        "thanh-toan-so": HelpKind.CASHLESS,
        "nhan-dien-lua-dao-truc-tuyen": HelpKind.SCAM,
    }
    trained: dict[int, list[tuple[str, object]]] = {}
    for attendance in Attendance.objects.select_related("session__course"):
        session = attendance.session
        kind = topic_kinds.get(session.course.slug if session.course else "")
        if kind:
            trained.setdefault(attendance.user_id, []).append(
                (kind, timezone.localdate(session.starts_at))
            )
    for completion in CourseCompletion.objects.select_related("course"):
        kind = topic_kinds.get(completion.course.slug)
        if kind:
            trained.setdefault(completion.user_id, []).append(
                (kind, timezone.localdate(completion.completed_at))
            )
    memberships = (
        Membership.objects.current()
        .filter(role__in=TEAM_ROLES, unit__code__startswith="VL-X")
        .select_related("unit")
        .order_by("unit__path", "user_id")
    )
    places_by_team: dict[int, list] = {}
    entries = []
    for membership in memberships:
        team = membership.unit
        commune = team.code[:6]
        activity, weights = COMMUNE_PROFILES.get(commune, (1.0, (1,) * len(kinds)))
        temperament = rng.choice([0, 0.4, 1, 1, 1, 1.6, 2.5])  # some never record anything
        per_week = activity * temperament
        if not per_week:
            continue
        if team.pk not in places_by_team:
            places_by_team[team.pk] = places_for(team)
        places = places_by_team[team.pk]
        home = default_place(team, places)
        for day in range(HISTORY_DAYS, -1, -1):
            helped_on = today - timedelta(days=day)
            if rng.random() > per_week / 7:
                continue
            boosted = list(weights)
            for kind, since in trained.get(membership.user_id, []):
                if helped_on >= since:
                    boosted[kinds.index(kind)] *= 3
            kind = rng.choices(kinds, weights=boosted)[0]
            group = rng.random() < 0.06  # a meeting in the hamlet
            entries.append(
                OutreachEntry(
                    user_id=membership.user_id,
                    team=team,
                    place=home if rng.random() < 0.8 else rng.choice(places),
                    helped_on=helped_on,
                    kind=kind,
                    residents=rng.randint(12, 40)
                    if group
                    else rng.choice([1, 1, 1, 2, 2, 3, 4, 5]),
                    note=rng.choice(NOTES),
                )
            )
    OutreachEntry.objects.bulk_create(entries, batch_size=1000)


def seed_outreach_campaign() -> None:
    """The running "peak month": each member helps 10 residents activate VNeID level 2."""
    from courses.models import CoursePage
    from outreach import services as outreach_services
    from outreach.models import HelpKind
    from training.models import Campaign
    from training.services import campaigns as campaign_services

    if Campaign.objects.filter(title=CAMPAIGN_TITLE).exists():
        return
    today = timezone.localdate()
    province_admin = User.objects.get(username="tinh")
    with transaction.atomic():
        campaign = campaign_services.create_campaign(
            by=province_admin,
            title=CAMPAIGN_TITLE,
            description="Tổ trưởng theo dõi tiến độ của từng thành viên trong báo cáo "
            "“Nhật ký hỗ trợ người dân”.",
            course_ids=[CoursePage.objects.get(slug="vneid-va-dich-vu-cong-truc-tuyen").pk],
            unit_codes=["VL-X02", "VL-X04"],
            starts_on=today - timedelta(days=20),
            due_on=today + timedelta(days=10),
            status="RUNNING",
        )
        outreach_services.add_target(
            by=province_admin, campaign=campaign, kind=HelpKind.VNEID, per_member=10
        )
