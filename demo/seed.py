"""Demo content for `manage.py seed_demo`. Every step is idempotent: it looks before it writes."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from accounts.models import User, split_full_name
from common.text import slugify_vi
from home.models import HomePage, PlatformSettings

from . import history as demo_history

TRAINERS_GROUP = "Giảng viên"
REVIEWERS_GROUP = "Người duyệt nội dung"
REVIEW_WORKFLOW = "Duyệt nội dung"
REVIEW_TASK = "Người duyệt nội dung xem và duyệt"

HOME_INTRO = (
    "Nơi các thành viên Tổ công nghệ số cộng đồng học những bài ngắn trên điện thoại, "
    "làm bài kiểm tra và nhận chứng chỉ, để hướng dẫn người dân dùng VNeID, dịch vụ "
    "công trực tuyến, thanh toán số và tránh lừa đảo."
)
HOME_BODY = (
    "<h2>Học ở đâu, lúc nào cũng được</h2>"
    "<p>Mỗi bài học chỉ mất vài phút, đọc được trên màn hình điện thoại nhỏ và cả khi "
    "mạng yếu. Tiến độ của bạn được lưu lại để học tiếp lần sau.</p>"
    "<h2>Năm kỹ năng số cơ bản</h2>"
    "<ul><li>Sử dụng dịch vụ công trực tuyến</li><li>Mua sắm trực tuyến</li>"
    "<li>Thanh toán trực tuyến</li><li>Tự bảo vệ trên không gian mạng</li>"
    "<li>Sử dụng nền tảng số của địa phương</li></ul>"
)


def demo_password() -> str:
    return getattr(settings, "DEMO_PASSWORD", "hocso2026")


def ensure_user(*, username: str, full_name: str, phone: str | None = None, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        last_name, first_name = split_full_name(full_name)
        user = User(
            username=username, first_name=first_name, last_name=last_name, phone=phone, **extra
        )
        user.set_password(demo_password())
        user.save()
    return user


@transaction.atomic
def seed_site() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Học kỹ năng số cùng Tổ công nghệ số cộng đồng",
            slug="trang-chu",
            intro=HOME_INTRO,
            body=HOME_BODY,
            call_to_action="Đăng nhập để học",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        # Wagtail's placeholder "Welcome" page is replaced by ours.
        Page.objects.filter(depth=2).exclude(pk=home.pk).filter(slug="home").delete()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="digiskills",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    if not platform.contact_phone:
        platform.tagline = "Nền tảng tập huấn cho Tổ công nghệ số cộng đồng"
        platform.contact_phone = "0275 3822 000"
        platform.contact_email = "hotro@digiskills.example"
        platform.contact_address = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
        platform.save()
    return home


@transaction.atomic
def seed_staff() -> list[tuple[str, str]]:
    admin = ensure_user(
        username="admin", full_name="Quản trị hệ thống", is_staff=True, is_superuser=True
    )
    trainer = ensure_user(username="trainer", full_name="Trần Thị Thu Hà", phone="+84901000001")
    trainer.groups.add(Group.objects.get(name=TRAINERS_GROUP))
    reviewer = ensure_user(username="reviewer", full_name="Lê Minh Khoa", phone="+84901000002")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    seed_review_workflow()
    return [
        (admin.username, "Quản trị hệ thống (toàn quyền) · Administrator"),
        (trainer.username, "Giảng viên – soạn bài học · Trainer"),
        (reviewer.username, "Người duyệt nội dung – duyệt bài trước khi xuất bản · Reviewer"),
    ]


@transaction.atomic
def seed_review_workflow():
    """ "Duyệt nội dung": what a trainer sends for review under the course catalogue waits
    for the group "Người duyệt nội dung", who approves (and so publishes) it or asks for
    changes with a comment. Members only ever see published pages."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from courses.models import CourseIndexPage

    reviewers = Group.objects.get(name=REVIEWERS_GROUP)
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    index = CourseIndexPage.objects.first()
    if index is not None:
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow


# --- Organisations --------------------------------------------------------------------------

DEMO_PROVINCE = ("Tỉnh Vĩnh Long", "VL")
DEMO_COMMUNES = [
    ("Phường Phú Khương", "VL-X01", ["Khu phố 1", "Khu phố 2"]),
    ("Xã Châu Thành", "VL-X02", ["Ấp Phú Hòa", "Ấp Tân Lập"]),
    ("Xã Bình Đại", "VL-X03", ["Ấp Bình Thới", "Ấp Bình Khánh"]),
    ("Xã Mỏ Cày", "VL-X04", ["Ấp An Thạnh", "Ấp Tân Hội"]),
]


@transaction.atomic
def seed_organisations() -> list[tuple[str, str]]:
    import random

    from organisations import services as org
    from organisations.models import Membership, OrgUnit, Role, UnitKind
    from organisations.names import mobile_number, vietnamese_name

    if OrgUnit.objects.filter(code=DEMO_PROVINCE[1]).exists():
        return _demo_org_logins()
    admin = User.objects.get(username="admin")
    rng = random.Random(2026)  # noqa: S311 - demo data
    province = org.create_unit(
        parent=None, kind=UnitKind.PROVINCE, name=DEMO_PROVINCE[0], code=DEMO_PROVINCE[1]
    )
    phone_index = 1000
    for commune_name, commune_code, hamlets in DEMO_COMMUNES:
        commune = org.create_unit(
            parent=province, kind=UnitKind.COMMUNE, name=commune_name, code=commune_code
        )
        teams = [
            org.create_unit(
                parent=commune,
                kind=UnitKind.TEAM,
                name=f"Tổ CNSCĐ {commune_name}",
                code=f"{commune_code}-T00",
            )
        ]
        for h, hamlet_name in enumerate(hamlets, start=1):
            label = (
                hamlet_name.split()[0] + " " + hamlet_name.split()[1]
                if hamlet_name.startswith("Khu")
                else hamlet_name.split()[0]
            )
            hamlet = org.create_unit(
                parent=commune,
                kind=UnitKind.HAMLET,
                name=hamlet_name,
                code=f"{commune_code}-A{h:02d}",
                local_label=label.lower(),
            )
            teams.append(
                org.create_unit(
                    parent=hamlet,
                    kind=UnitKind.TEAM,
                    name=f"Tổ CNSCĐ {hamlet_name}",
                    code=f"{commune_code}-T{h:02d}",
                )
            )
        for team in teams:
            size = rng.randint(7, 10)
            for position in range(size):
                phone_index += 1
                role = (
                    Role.LEADER if position == 0 else Role.DEPUTY if position == 1 else Role.MEMBER
                )
                org.add_member(
                    by=admin,
                    unit=team,
                    full_name=vietnamese_name(rng),
                    phone=mobile_number(phone_index),
                    role=role,
                )
    # Named demo logins with the demo password.
    province_admin = ensure_user(
        username="tinh", full_name="Võ Thị Kim Phượng", phone="+84902000001"
    )
    org.assign_role(by=admin, user=province_admin, unit=province, role=Role.UNIT_ADMIN)
    commune = OrgUnit.objects.get(code="VL-X02")
    commune_admin = ensure_user(username="xa", full_name="Nguyễn Hữu Lộc", phone="+84902000002")
    org.assign_role(by=admin, user=commune_admin, unit=commune, role=Role.UNIT_ADMIN)
    leader = (
        Membership.objects.filter(unit__code="VL-X02-T01", role=Role.LEADER)
        .select_related("user")
        .first()
        .user
    )
    member = (
        Membership.objects.filter(unit__code="VL-X02-T01", role=Role.MEMBER)
        .select_related("user")
        .first()
        .user
    )
    for person in (leader, member):
        person.set_password(demo_password())
        person.save(update_fields=["password"])
        person.activation_codes.update(code="", used_at=person.date_joined)
    demo_history.give_the_demo_tree_a_past(province)
    return _demo_org_logins()


def _demo_org_logins() -> list[tuple[str, str]]:
    from organisations.models import Membership, Role

    leader = (
        Membership.objects.filter(unit__code="VL-X02-T01", role=Role.LEADER)
        .select_related("user")
        .first()
    )
    member = (
        Membership.objects.filter(unit__code="VL-X02-T01", role=Role.MEMBER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    logins = [
        ("tinh", "Quản trị tỉnh Vĩnh Long · Province administrator"),
        ("xa", "Quản trị Xã Châu Thành · Commune administrator"),
    ]
    if leader:
        logins.append(
            (
                leader.user.username,
                f"Tổ trưởng {leader.unit.name} · Team leader ({leader.user.full_name})",
            )
        )
    if member:
        logins.append(
            (
                member.user.username,
                f"Thành viên {member.unit.name} · Member ({member.user.full_name})",
            )
        )
    return logins


# --- Courses --------------------------------------------------------------------------------


def _image(*, title: str, content: bytes, collection) -> "Image":  # noqa: F821
    import io

    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    name = f"{slugify_vi(title)[:60] or 'anh'}.png"
    image = Image(
        title=title[:255], collection=collection, file=ImageFile(io.BytesIO(content), name=name)
    )
    image.save()
    return image


def _build_body(blocks, *, collection, lesson_title: str):
    from . import illustrations

    body = []
    for block_type, value in blocks:
        if block_type == "steps":
            steps = []
            for n, step in enumerate(value["steps"], start=1):
                shot = step["screenshot"]
                image = None
                if shot:
                    image = _image(
                        title=f"{lesson_title} – bước {n}",
                        content=illustrations.phone_screen(**shot["screen"]),
                        collection=collection,
                    )
                steps.append({"screenshot": image, "text": step["text"]})
            value = {"title": value["title"], "steps": steps}
        body.append((block_type, value))
    return body


@transaction.atomic
def seed_courses() -> None:
    from wagtail.models import Collection

    from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic

    from . import illustrations
    from .curriculum import COURSES

    if CourseIndexPage.objects.exists():
        return
    home = HomePage.objects.first()
    catalogue = CourseIndexPage(
        title="Khoá học",
        slug="khoa-hoc",
        intro=(
            "Các khoá học ngắn giúp Tổ công nghệ số cộng đồng hướng dẫn người dân "
            "dùng dịch vụ số an toàn."
        ),
    )
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    for spec in COURSES:
        topic = Topic.objects.get(slug=spec["topic"])
        collection = (
            Collection.objects.filter(name=topic.name).first() or Collection.get_first_root_node()
        )
        cover = _image(
            title=f"Ảnh bìa – {spec['title']}",
            content=illustrations.cover(
                title=spec["title"], subtitle=topic.name, colour=spec["colour"]
            ),
            collection=collection,
        )
        course = CoursePage(
            title=spec["title"],
            slug=spec["slug"],
            topic=topic,
            summary=spec["summary"],
            cover_image=cover,
            estimated_minutes=spec["minutes"],
            skill_codes=spec["skills"],
        )
        catalogue.add_child(instance=course)
        course.save_revision().publish()
        for lesson_spec in spec["lessons"]:
            lesson = LessonPage(
                title=lesson_spec["title"],
                slug=slugify_vi(lesson_spec["title"]),
                summary=lesson_spec["summary"],
                estimated_minutes=5,
                body=_build_body(
                    lesson_spec["body"], collection=collection, lesson_title=lesson_spec["title"]
                ),
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()


# --- Question bank and final quizzes -------------------------------------------------------


@transaction.atomic
def seed_quizzes() -> None:
    from courses.models import CoursePage, Topic
    from quizzes.models import Choice, Question, QuizDrawRule, QuizPage

    from .curriculum import COURSES
    from .question_bank import QUESTIONS

    if Question.objects.exists():
        return
    for topic_slug, questions in QUESTIONS.items():
        topic = Topic.objects.get(slug=topic_slug)
        for difficulty, (kind, text, answers, explanation) in enumerate(questions):
            question = Question(
                kind=kind,
                text=f"<p>{text}</p>",
                topic=topic,
                explanation=explanation,
                difficulty=1 + difficulty // 4,
            )
            question.choices = [
                Choice(text=answer, is_correct=correct) for answer, correct in answers
            ]
            question.save()
            question.save_revision()
    for spec in COURSES:
        course = CoursePage.objects.get(slug=spec["slug"])
        quiz = QuizPage(
            title=f"Bài kiểm tra cuối khoá – {course.title}",
            slug="bai-kiem-tra-cuoi-khoa",
            intro="<p>5 câu hỏi chọn ngẫu nhiên từ ngân hàng câu hỏi. Cần đúng 80% để đạt.</p>",
            is_final=True,
            pass_mark=80,
            max_attempts=3,
            time_limit_minutes=15,
            success_text="<p>Chúc mừng bạn đã hoàn thành bài kiểm tra!</p>",
            fail_text="<p>Hãy xem lại các bài học rồi làm lại nhé.</p>",
        )
        quiz.draw_rules = [QuizDrawRule(topic=Topic.objects.get(slug=spec["topic"]), count=5)]
        course.add_child(instance=quiz)
        quiz.save_revision().publish()


# --- Learning states and certificates ------------------------------------------------------------


def seed_learning_states() -> None:
    """Members of the demo team at every stage of "Nhận diện lừa đảo trực tuyến"."""
    from datetime import timedelta

    from django.utils import timezone

    from certificates import services as certificate_services
    from certificates.models import Certificate
    from courses import services as course_services
    from courses.models import CourseCompletion, CoursePage, LessonPage
    from organisations.models import Membership, Role
    from quizzes import services as quiz_services
    from quizzes.models import QuizPage

    course = CoursePage.objects.get(slug="nhan-dien-lua-dao-truc-tuyen")
    if CourseCompletion.objects.filter(course=course).exists():
        return
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    quiz = QuizPage.objects.live().child_of(course).get()
    members = [
        m.user
        for m in Membership.objects.filter(unit__code="VL-X02-T01", role=Role.MEMBER)
        .select_related("user")
        .order_by("pk")
    ]
    in_progress, valid, expired, revoked = (
        members[0],
        members[1],
        members[2],
        members[3],
    )  # members[4:]: not started

    for lesson in lessons[:2]:
        course_services.start_lesson(user=in_progress, lesson=lesson)
        course_services.complete_lesson(user=in_progress, lesson=lesson)
    course_services.start_lesson(user=in_progress, lesson=lessons[2])

    for person in (valid, expired, revoked):
        with transaction.atomic():
            for lesson in lessons:
                course_services.start_lesson(user=person, lesson=lesson)
                course_services.complete_lesson(user=person, lesson=lesson)
            attempt = quiz_services.start_attempt(user=person, quiz=quiz)
            for item in attempt.served:
                right = [c["id"] for c in item["choices"] if c["correct"]]
                quiz_services.save_answer(
                    user=person, attempt=attempt, question_id=item["question"], choice_ids=right
                )
            quiz_services.submit_attempt(user=person, attempt_id=attempt.pk)
        # After the commit: the follow-up task completes the course and issues the certificate
        # (in-process without Redis); make sure of both when a worker is not running.
        quiz_services.complete_course_if_final_quiz_passed(attempt_id=attempt.pk)
        completion = CourseCompletion.objects.get(user=person, course=course)
        certificate_services.issue_certificate(completion_id=completion.pk)

    old = Certificate.objects.get(user=expired, course=course)
    old.issued_at = timezone.now() - timedelta(days=800)
    old.expires_at = old.issued_at + timedelta(days=730)
    old.save()
    certificate_services.regenerate_pdf(certificate=old)  # dated as issued, no stale copy
    CourseCompletion.objects.filter(user=expired, course=course).update(completed_at=old.issued_at)
    admin = User.objects.get(username="admin")
    certificate_services.revoke_certificate(
        certificate=Certificate.objects.get(user=revoked, course=course),
        by=admin,
        reason="Thông tin họ tên không khớp CCCD, chờ cấp lại",
    )


# --- Training campaigns -------------------------------------------------------------------


def seed_campaigns() -> None:
    """A running drive over two communes due in 10 days, and an earlier one now overdue."""
    from datetime import timedelta

    from django.utils import timezone

    from courses.models import CoursePage
    from organisations.models import OrgUnit
    from training.models import Campaign
    from training.services import campaigns as campaign_services

    if Campaign.objects.exists():
        return
    today = timezone.localdate()
    province_admin = User.objects.get(username="tinh")
    campaign_services.create_campaign(
        by=province_admin,
        title="Đợt tập huấn chuyển đổi số tháng 12",
        description="Hoàn thành hai khoá học trước hạn; tổ trưởng nhắc các thành viên chưa học.",
        course_ids=list(
            CoursePage.objects.filter(
                slug__in=["vneid-va-dich-vu-cong-truc-tuyen", "nhan-dien-lua-dao-truc-tuyen"]
            ).values_list("pk", flat=True)
        ),
        unit_codes=[u.code for u in OrgUnit.objects.filter(code__in=["VL-X02", "VL-X03"])],
        starts_on=today,
        due_on=today + timedelta(days=10),
        status="RUNNING",
    )
    campaign_services.create_campaign(
        by=province_admin,
        title="Đợt tập huấn thanh toán số (tháng 10)",
        course_ids=list(
            CoursePage.objects.filter(slug="thanh-toan-so").values_list("pk", flat=True)
        ),
        unit_codes=["VL-X02"],
        starts_on=today - timedelta(days=40),
        due_on=today - timedelta(days=5),
        status="RUNNING",
    )


def seed_campaign_progress() -> None:
    """Members of the two campaign communes at different points of the VNeID course, so the
    campaign and the reports show people on track, behind and done (deterministic)."""
    from django.utils import timezone

    from courses.models import CourseCompletion, CoursePage, LessonPage, LessonProgress
    from organisations.models import Membership, Role

    course = CoursePage.objects.get(slug="vneid-va-dich-vu-cong-truc-tuyen")
    if CourseCompletion.objects.filter(course=course).exists():
        return
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    members = list(
        Membership.objects.filter(
            unit__code__regex=r"^VL-X0[23]-", role=Role.MEMBER, ended_on__isnull=True
        )
        .exclude(unit__code="VL-X02-T01")  # the showcase team keeps its own story
        .order_by("unit__path", "pk")
        .values_list("user_id", flat=True)
    )
    now = timezone.now()
    progress, completions = [], []
    for n, user_id in enumerate(members):
        stage = n % 5  # 0, 1: not started; 2, 3: part way; 4: done
        done = len(lessons) if stage == 4 else stage - 1 if stage > 1 else 0
        for lesson in lessons[:done]:
            progress.append(LessonProgress(user_id=user_id, lesson=lesson, completed_at=now))
        if stage in (2, 3) and done < len(lessons):
            progress.append(LessonProgress(user_id=user_id, lesson=lessons[done]))
        if stage == 4:
            completions.append(CourseCompletion(user_id=user_id, course=course))
    LessonProgress.objects.bulk_create(progress, ignore_conflicts=True)
    CourseCompletion.objects.bulk_create(completions, ignore_conflicts=True)


def seed_notifications() -> None:
    """What the daily jobs would have sent by now: assignment notices, due and overdue
    reminders, and the renewal of the lapsed demo certificate. Running it again sends
    nothing twice."""
    from reports import services as report_services
    from training.services import reminders as reminder_services
    from training.services import renewals as renewal_services

    from .fieldwork import seed_fieldwork
    from .member_journey import seed_member_journey

    seed_fieldwork()  # sessions, attendance, the outreach log and its campaign target
    renewal_services.open_recertifications()
    reminder_services.run_daily_reminders()
    report_services.refresh_rollups()
    seed_member_journey()
