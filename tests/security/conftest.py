"""One world for the security tests: the unit tree of tests/organisations, an open course
and a members-only course with lessons and a quiz, and everything member A owns (progress,
an attempt, a certificate, a notification), plus an administrator's export, archive and
imports. Built once per test that asks for it."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from wagtail.documents.models import Document

from accounts.services import issue_activation_code
from certificates import services as certificate_services
from certificates.models import BulkIssue, CertificateArchive
from courses import services as course_services
from courses.models import CourseCompletion, CourseIndexPage, CoursePage, LessonPage, Topic
from notifications import services as notification_services
from notifications.models import Notification
from organisations import services as org
from organisations.models import Role, RosterImport
from outreach import selectors as outreach_selectors
from outreach import services as outreach_services
from privacy.models import CorrectionRequest, DataExport
from quizzes import services as quiz_services
from quizzes.models import QuestionImport, QuizFixedQuestion, QuizPage
from reports.models import ReportExport
from tests.organisations.conftest import tree  # noqa: F401 - the shared unit tree
from tests.quizzes.conftest import make_question
from training.services import campaigns as campaign_services
from training.services import sessions as session_services

TRAINERS_GROUP = "Giảng viên"


@pytest.fixture
def world(tree, home_page, make_user, django_capture_on_commit_callbacks):  # noqa: F811
    t = tree
    topic = Topic.objects.get(slug="lua-dao-truc-tuyen")
    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    courses = {}
    for slug, members_only in (("mo", False), ("rieng", True)):
        course = CoursePage(
            title=f"Khoá {slug}",
            slug=slug,
            summary=f"Tóm tắt {slug}",
            topic=topic,
            login_required=members_only,
            certificate_validity_months=12,
        )
        index.add_child(instance=course)
        course.save_revision().publish()
        lesson = LessonPage(
            title=f"Bài lừa đảo {slug}", slug=f"bai-{slug}", body=[("text", "<p>lừa đảo</p>")]
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
        courses[slug] = (CoursePage.objects.get(pk=course.pk), LessonPage.objects.get(pk=lesson.pk))
    course, lesson = courses["rieng"]
    question = make_question(topic, 1)
    quiz = QuizPage(title="Kiểm tra", slug="kiem-tra", pass_mark=80, time_limit_minutes=15)
    quiz.fixed_questions = [QuizFixedQuestion(question=question)]
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    quiz = QuizPage.objects.get(pk=quiz.pk)

    people = SimpleNamespace(
        member_a=t.member1,
        member_b=t.member2,
        province=t.province_admin,
        commune_x=t.commune_admin,
        leader_t1=t.leader,
    )
    people.leader_other = make_user(username="leader3", phone="+84900000013", full_name="Tổ Ba")
    org.assign_role(by=t.root, user=people.leader_other, unit=t.t3, role=Role.LEADER)
    people.commune_other = make_user(username="yadmin", phone="+84900000012", full_name="Xã Y")
    org.assign_role(by=t.root, user=people.commune_other, unit=t.y, role=Role.UNIT_ADMIN)
    people.trainer = make_user(username="trainer", phone="+84900000011", full_name="Giảng Viên")
    people.trainer.groups.add(Group.objects.get(name=TRAINERS_GROUP))
    # the commune administrator of X takes the courses in team T1, led by leader1
    org.assign_role(by=t.root, user=t.commune_admin, unit=t.t1, role=Role.MEMBER)
    issue_activation_code(user=t.commune_admin)
    issue_activation_code(user=t.member1)

    a = people.member_a
    course_services.start_lesson(user=a, lesson=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(user=a, lesson=lesson)
        completion = CourseCompletion.objects.get(user=a, course=course)
        certificate = certificate_services.issue_certificate(completion_id=completion.pk)
    attempt = quiz_services.start_attempt(user=a, quiz=quiz)
    notification_services.notify(
        user_ids=[a.pk],
        kind="CERT_ISSUED",
        key="security-test",
        params={"course": "Khoá rieng", "code": "X"},
        link="/me/",
    )
    campaign = campaign_services.create_campaign(
        by=t.province_admin,
        title="Đợt thử",
        course_ids=[course.pk],
        unit_codes=["P-X"],
        starts_on=timezone.localdate(),
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        status="RUNNING",
    )
    export = ReportExport.objects.create(
        created_by=t.province_admin,
        kind="MEMBERS",
        file_format="csv",
        params={"unit": t.p.pk, "status": ""},
        status=ReportExport.Status.DONE,
    )
    export.file.save("bao-cao.csv", ContentFile(b"a,b\n"))
    archive = CertificateArchive.objects.create(
        created_by=t.province_admin, unit=t.p, status=CertificateArchive.Status.DONE
    )
    archive.file.save("chung-chi.zip", ContentFile(b"PK"))
    roster = RosterImport.objects.create(created_by=t.province_admin, file_name="ds.csv")
    question_import = QuestionImport.objects.create(created_by=people.trainer, file_name="q.csv")
    schedule = PeriodicTask.objects.create(
        name="Thử",
        task="common.tasks.dispatch_pending_outbox",
        interval=IntervalSchedule.objects.get_or_create(every=5, period="minutes")[0],
    )
    bulk_issue = BulkIssue.objects.create(created_by=t.province_admin, unit=t.p, course=course)
    starts_at = timezone.now() - datetime.timedelta(minutes=10)  # check-in is open
    session = session_services.schedule_session(
        by=t.province_admin,
        plan=session_services.SessionPlan(
            title="Buổi tập huấn",
            place="Nhà văn hoá ấp",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            trainer=t.province_admin,
            capacity=30,
            unit_codes=["P-X-T1"],
            course=course,
        ),
    )
    outreach_entry = outreach_services.record_entry(
        by=a,
        help_given=outreach_services.HelpGiven(
            helped_on=timezone.localdate(),
            place=outreach_selectors.places_for(t.t1)[0],
            kind="VNEID",
            residents=3,
        ),
    )
    outreach_target = outreach_services.add_target(
        by=t.province_admin, campaign=campaign, kind="VNEID", per_member=10
    )
    document = Document(title="Tài liệu")
    document.file.save("tai-lieu.txt", ContentFile(b"noi dung"), save=False)
    document.save()
    membership = t.member1.memberships.get(ended_on__isnull=True)
    data_export = DataExport.objects.create(created_by=a, status=DataExport.Status.DONE)
    data_export.file.save("du-lieu-cua-toi.zip", ContentFile(b"PK"))
    correction = CorrectionRequest.objects.create(member=a, text="Sửa ngày sinh")
    return SimpleNamespace(
        data_export=data_export,
        correction=correction,
        t=t,
        people=people,
        courses=courses,
        course=course,
        lesson=lesson,
        quiz=quiz,
        question=question,
        attempt=attempt,
        certificate=certificate,
        notification=Notification.objects.get(user=a, key="security-test"),
        campaign=campaign,
        export=export,
        archive=archive,
        roster=roster,
        question_import=question_import,
        schedule=schedule,
        bulk_issue=bulk_issue,
        session=session,
        outreach_entry=outreach_entry,
        outreach_target=outreach_target,
        document=document,
        membership=membership,
        home=home_page,
        index=index,
    )
