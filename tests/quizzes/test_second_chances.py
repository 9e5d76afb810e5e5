"""Issue 17: extra attempts and time granted on purpose (audited, scoped, visible to the
member and in their record), and re-studying the lessons to earn attempts back."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from courses import services as course_services
from courses.models import LessonProgress
from notifications.models import Notification
from organisations import services as org_services
from organisations.models import Role
from quizzes import services
from quizzes.models import Attempt, AttemptGrant, RestudyUnlock
from tests.organisations.conftest import tree  # noqa: F401 - the shared unit tree
from tests.quizzes.conftest import wrong_answers

pytestmark = pytest.mark.django_db


def fail(user, quiz):
    attempt = services.start_attempt(user=user, quiz=quiz)
    services.save_answers(user=user, attempt=attempt, answers=wrong_answers(attempt))
    return services.submit_attempt(user=user, attempt_id=attempt.pk)


def use_every_attempt(user, quiz):
    for _ in range(quiz.max_attempts):
        fail(user, quiz)


def grant_form(quiz, **extra):
    return {
        "quiz": extra.pop("quiz_id", quiz.pk),
        "extra_attempts": "1",
        "extra_minutes": "0",
        "reason": "Mất điện giữa lúc làm bài",
        **extra,
    }


def test_an_area_administrator_grants_one_more_attempt(client, tree, quiz_setup):  # noqa: F811
    quiz, member = quiz_setup.quiz, tree.member1
    use_every_attempt(member, quiz)
    client.force_login(member)
    page = client.get(quiz.url).content.decode()
    assert "Bạn đã hết lượt làm bài." in page and "có thể cấp thêm lượt cho bạn" in page

    client.force_login(tree.commune_admin)
    url = reverse("reports_admin:grant_member", args=[member.pk])
    form = client.get(url).content.decode()
    assert "Hết lượt" in form  # the member's state at this quiz
    reply = client.post(url, grant_form(quiz))
    assert reply.status_code == 302
    grant = AttemptGrant.objects.get()
    assert (grant.user, grant.quiz_id, grant.extra_attempts, grant.granted_by) == (
        member,
        quiz.pk,
        1,
        tree.commune_admin,
    )
    assert grant.reason == "Mất điện giữa lúc làm bài" and grant.kind == "MANUAL"
    notice = Notification.objects.get(user=member, kind="GRANTED")  # the member is told
    assert notice.link == quiz.url
    record = client.get(reverse("reports_admin:member", args=[member.pk])).content.decode()
    assert "Mất điện giữa lúc làm bài" in record and tree.commune_admin.full_name in record

    client.force_login(member)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Bạn được cấp thêm" in inbox and "1 lượt làm bài" in inbox
    assert "Mất điện giữa lúc làm bài" in inbox
    page = client.get(quiz.url).content.decode()
    assert "Tổng 4 lượt; còn 1 lượt" in page and "gồm 1 lượt được cấp thêm cho bạn" in page
    assert "Mất điện giữa lúc làm bài" in page  # the member sees why
    client.post(quiz.url)
    assert Attempt.objects.filter(user=member, quiz=quiz).count() == 4
    client.post(quiz.url)  # the fourth is open: no fifth
    assert Attempt.objects.filter(user=member, quiz=quiz).count() == 4


def test_nobody_outside_the_members_area_may_grant(client, tree, quiz_setup):  # noqa: F811
    quiz, member = quiz_setup.quiz, tree.member1
    other_admin = tree.province_admin
    commune_y_admin = org_services.assign_role(
        by=tree.root, user=tree.member3, unit=tree.y, role=Role.UNIT_ADMIN
    ).user
    url = reverse("reports_admin:grant_member", args=[member.pk])
    for outsider in (commune_y_admin, tree.leader):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, grant_form(quiz)).status_code == 404
    client.force_login(tree.member2)  # no admin access at all: Wagtail's login page
    assert client.post(url, grant_form(quiz))["Location"].startswith("/admin/login/")
    assert not AttemptGrant.objects.exists()
    client.force_login(other_admin)  # the province covers commune X
    assert client.post(url, grant_form(quiz)).status_code == 302
    assert AttemptGrant.objects.count() == 1


def test_a_trainer_grants_extra_time_inside_the_area_they_train(client, tree, quiz_setup):  # noqa: F811
    quiz, member = quiz_setup.quiz, tree.member1
    trainer = tree.member2  # also a team member elsewhere; trains commune X
    trainer.groups.add(Group.objects.get(name="Giảng viên"))
    url = reverse("reports_admin:grant_member", args=[member.pk])
    client.force_login(trainer)
    assert client.get(url).status_code == 404  # not a trainer of any area yet
    org_services.assign_role(by=tree.root, user=trainer, unit=tree.x, role=Role.TRAINER)
    open_attempt = services.start_attempt(user=member, quiz=quiz)
    deadline = open_attempt.deadline
    reply = client.post(url, grant_form(quiz, extra_attempts="0", extra_minutes="10"))
    assert reply.status_code == 302
    open_attempt.refresh_from_db()
    assert open_attempt.deadline == deadline + datetime.timedelta(minutes=10)
    services.submit_attempt(user=member, attempt_id=open_attempt.pk)
    nxt = services.start_attempt(user=member, quiz=quiz)
    assert nxt.deadline - nxt.started_at == datetime.timedelta(minutes=25)
    # Commune Y is outside the trainer's area.
    client.force_login(trainer)
    other = reverse("reports_admin:grant_member", args=[tree.member3.pk])
    assert client.get(other).status_code == 404
    # Nobody grants to themselves.
    self_url = reverse("reports_admin:grant_member", args=[trainer.pk])
    page = client.post(self_url, grant_form(quiz)).content.decode()
    assert "Bạn không thể tự cấp thêm lượt hoặc thời gian cho chính mình." in page
    assert AttemptGrant.objects.filter(user=trainer).count() == 0


def test_bad_grants_are_refused_with_a_message(client, tree, quiz_setup):  # noqa: F811
    client.force_login(tree.commune_admin)
    url = reverse("reports_admin:grant_member", args=[tree.member1.pk])
    cases = [
        (grant_form(quiz_setup.quiz, reason="ok"), "Hãy ghi lý do"),
        (grant_form(quiz_setup.quiz, extra_attempts="0"), "ít nhất một lượt hoặc một phút"),
        (grant_form(quiz_setup.quiz, extra_attempts="50"), "10"),
        (grant_form(quiz_setup.quiz, extra_attempts="abc"), "số"),
        (grant_form(quiz_setup.quiz, quiz_id="99999"), "Lựa chọn"),
    ]
    for data, message in cases:
        reply = client.post(url, data)
        assert reply.status_code == 200 and message in reply.content.decode(), message
    assert not AttemptGrant.objects.exists()


def test_a_list_from_the_report_gets_attempts_only_where_needed(client, tree, quiz_setup):  # noqa: F811
    quiz = quiz_setup.quiz
    use_every_attempt(tree.member1, quiz)
    fail(tree.member2, quiz)  # attempts left: not granted with "only those out of attempts"
    client.force_login(tree.commune_admin)
    members = client.get(reverse("reports_admin:members"), {"unit": tree.x.pk}).content.decode()
    link = reverse("reports_admin:grant_group") + f"?unit={tree.x.pk}"
    assert link in members
    page = client.get(link).content.decode()
    assert "3 thành viên trong danh sách “Xã X”" in page  # leader, member1, member2
    reply = client.post(link, {**grant_form(quiz), "only_out_of_attempts": "on"})
    assert reply.status_code == 302
    grant = AttemptGrant.objects.get()
    assert grant.user == tree.member1 and grant.group == "Xã X"
    told = Notification.objects.filter(kind="GRANTED").values_list("user", flat=True)
    assert list(told) == [tree.member1.pk]  # only who was granted something
    # A unit outside the area is not found.
    assert (
        client.get(reverse("reports_admin:grant_group") + f"?unit={tree.y.pk}").status_code == 404
    )
    assert client.get(reverse("reports_admin:grant_group") + "?unit=abc").status_code == 404


def test_the_grants_screen_finds_members_and_units_in_the_area(client, tree, quiz_setup):  # noqa: F811
    client.force_login(tree.commune_admin)
    page = client.get(reverse("reports_admin:grants"), {"q": "member"}).content.decode()
    assert tree.member1.full_name in page and tree.member3.full_name not in page
    page = client.get(reverse("reports_admin:grants"), {"q": "P-X-T1"}).content.decode()
    assert "Tổ T1" in page
    client.force_login(tree.member1)
    assert client.get(reverse("reports_admin:grants")).status_code in (302, 404)


def test_re_studying_the_lessons_earns_attempts_back(
    client,
    tree,  # noqa: F811
    quiz_setup,
    django_capture_on_commit_callbacks,
):
    quiz, member, lesson = quiz_setup.quiz, tree.member1, quiz_setup.lesson
    quiz.restudy_extra_attempts = 2
    quiz.save_revision().publish()
    course_services.start_lesson(user=member, lesson=lesson)
    course_services.complete_lesson(user=member, lesson=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        use_every_attempt(member, quiz)
    unlock = RestudyUnlock.objects.get(user=member, quiz=quiz)
    assert unlock.lessons_marked == 1
    assert LessonProgress.objects.get(user=member, lesson=lesson).review_requested_at
    client.force_login(member)
    page = client.get(quiz.url).content.decode()
    assert "Hãy học lại các bài của khoá học để được thêm 2 lượt" in page
    assert f'href="{lesson.url}"' in page
    course = client.get(quiz_setup.course.url).content.decode()
    assert "Hết lượt: học lại các bài để mở thêm lượt" in course and "↻ Học lại" in course

    client.get(lesson.url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
    grant = AttemptGrant.objects.get(user=member)
    assert (grant.kind, grant.extra_attempts, grant.granted_by) == ("RESTUDY", 2, None)
    unlock.refresh_from_db()
    assert unlock.unlocked_at and unlock.grant == grant
    page = client.get(quiz.url).content.decode()
    assert "Tổng 5 lượt; còn 2 lượt" in page and "Đã học lại các bài của khoá học" in page
    # Running the unlock again grants nothing more.
    assert services.unlock_after_restudy(user_id=member.pk, course_id=quiz_setup.course.pk) == []
    # Using those up opens a new cycle: an ongoing loop, never a dead end.
    with django_capture_on_commit_callbacks(execute=True):
        fail(member, quiz)
        fail(member, quiz)
    assert RestudyUnlock.objects.filter(user=member, unlocked_at__isnull=True).count() == 1


def test_the_quiz_page_catches_up_when_the_task_has_not_run(client, tree, quiz_setup):  # noqa: F811
    quiz, member = quiz_setup.quiz, tree.member1
    quiz.restudy_extra_attempts = 1
    quiz.save_revision().publish()
    use_every_attempt(member, quiz)  # on_commit work not run: no cycle opened yet
    assert not RestudyUnlock.objects.exists()
    client.force_login(member)
    page = client.get(quiz.url).content.decode()
    assert RestudyUnlock.objects.filter(user=member).count() == 1
    # The lesson was never completed: it is the one to read.
    assert "Các bài cần đọc lại" in page and quiz_setup.lesson.title in page
    assert timezone.now()
