import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import Certificate
from courses import services as course_services
from courses.models import CourseCompletion, LessonPage
from quizzes.models import Attempt, QuizDrawRule, QuizPage
from tests.organisations.conftest import tree  # noqa: F401 - the shared unit tree
from tests.quizzes.conftest import make_question
from tests.training.conftest import courses  # noqa: F401
from training.services import campaigns as campaign_services

TODAY = timezone.localdate()


def _attempt(user, quiz, number, percent):
    return Attempt.objects.create(
        user=user,
        quiz=quiz,
        number=number,
        served=[],
        scoring_policy="ALL_OR_NOTHING",
        pass_mark=80,
        state="SUBMITTED",
        submitted_at=timezone.now(),
        percent=Decimal(percent),
        passed=percent >= 80,
    )


@pytest.fixture
def learning(tree, courses):  # noqa: F811
    """Course A: member1 completed it (certificate expiring in 10 days, best score 90),
    member2 started it (best 40), the leader did nothing; in commune Y member3 completed
    it long ago (certificate expired 5 days ago). A campaign on commune X for course A
    was due yesterday."""
    course_a, course_b = courses
    quiz = QuizPage(title="Kiểm tra A", slug="kiem-tra-a", pass_mark=80)
    quiz.draw_rules = [QuizDrawRule(topic=course_a.topic, count=1)]
    make_question(course_a.topic, 1)
    course_a.add_child(instance=quiz)
    quiz.save_revision().publish()
    lesson = LessonPage.objects.child_of(course_a).get()
    for person in (tree.member1, tree.member3):
        course_services.start_lesson(user=person, lesson=lesson)
        course_services.complete_lesson(user=person, lesson=lesson)
        completion = CourseCompletion.objects.get(user=person, course=course_a)
        certificate_services.issue_certificate(completion_id=completion.pk)
    course_services.start_lesson(user=tree.member2, lesson=lesson)
    now, day = timezone.now(), datetime.timedelta(days=1)
    Certificate.objects.filter(user=tree.member1).update(expires_at=now + 10 * day)
    Certificate.objects.filter(user=tree.member3).update(expires_at=now - 5 * day)
    _attempt(tree.member1, quiz, 1, 60)
    _attempt(tree.member1, quiz, 2, 90)
    _attempt(tree.member2, quiz, 1, 40)
    campaign = campaign_services.create_campaign(
        by=tree.province_admin,
        title="Đợt đã quá hạn",
        course_ids=[course_a.pk],
        unit_codes=["P-X"],
        starts_on=TODAY - datetime.timedelta(days=10),
        due_on=TODAY - datetime.timedelta(days=1),
        status="RUNNING",
    )
    return SimpleNamespace(course_a=course_a, course_b=course_b, quiz=quiz, campaign=campaign)
