"""Issue 17: the next step is always on the screen: course page, /me/, quiz result, and the
landing after login. Also the small things: unread notices, ranked search, the phone menu,
named progress bars."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from certificates.models import Certificate
from courses import services as course_services
from courses.models import CourseCompletion, LessonPage
from notifications.models import Notification
from quizzes import services as quiz_services
from tests.quizzes.conftest import right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user):
    return make_user(username="hocvien", phone="+84912000111")


def complete(member, lesson):
    course_services.start_lesson(user=member, lesson=lesson)
    course_services.complete_lesson(user=member, lesson=lesson)


def test_after_the_last_lesson_the_final_quiz_is_the_next_step(client, quiz_setup, member):
    second = LessonPage(title="Bài 2", slug="bai-2", body=[("text", "<p>Hai</p>")])
    quiz_setup.course.add_child(instance=second)
    second.save_revision().publish()
    client.force_login(member)
    complete(member, second)  # the last lesson done, the first not: go back to the first
    page = client.get(quiz_setup.course.url).content.decode()
    assert f'<a class="button button-block" href="{quiz_setup.lesson.url}">Học tiếp</a>' in page
    complete(member, quiz_setup.lesson)
    page = client.get(quiz_setup.course.url).content.decode()
    assert "2/2 bài học" in page
    assert "Bước tiếp theo:\n        <strong>Bài kiểm tra cuối khoá</strong>" in page
    assert f'href="{quiz_setup.quiz.url}">Học tiếp</a>' in page
    assert "Chưa làm · bắt buộc để hoàn thành khoá học" in page
    me = client.get(reverse("courses:my_learning")).content.decode()
    assert "Bài kiểm tra cuối khoá: <strong>Chưa làm</strong>" in me
    assert f'href="{quiz_setup.quiz.url}">Học tiếp</a>' in me


def test_an_unfinished_attempt_and_a_failed_one_are_the_next_step(client, quiz_setup, member):
    complete(member, quiz_setup.lesson)
    client.force_login(member)
    attempt = quiz_services.start_attempt(user=member, quiz=quiz_setup.quiz)
    page = client.get(quiz_setup.course.url).content.decode()
    assert f'href="{reverse("quizzes:attempt", args=[attempt.pk])}">Học tiếp</a>' in page
    quiz_services.submit_attempt(user=member, attempt_id=attempt.pk)
    page = client.get(quiz_setup.course.url).content.decode()
    assert "Chưa đạt: đã dùng 1/3 lượt" in page
    result = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "Bạn còn 2 lượt làm bài." in result
    assert f'href="{quiz_setup.quiz.url}">Làm lại bài kiểm tra</a>' in result


def test_passing_shows_the_completed_course_and_its_certificate(
    client, quiz_setup, member, django_capture_on_commit_callbacks
):
    complete(member, quiz_setup.lesson)
    client.force_login(member)
    attempt = quiz_services.start_attempt(user=member, quiz=quiz_setup.quiz)
    quiz_services.save_answers(user=member, attempt=attempt, answers=right_answers(attempt))
    # The worker has not run yet: the completion and certificate are on their way.
    quiz_services.submit_attempt(user=member, attempt_id=attempt.pk)
    result = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "hệ thống đang ghi nhận bạn hoàn thành khoá học" in result
    quiz_services.complete_course_if_final_quiz_passed(attempt_id=attempt.pk)
    result = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "✔ Hoàn thành khoá học" in result and "Đang cấp chứng chỉ cho bạn" in result

    from certificates import services as certificate_services

    completion = CourseCompletion.objects.get(user=member)
    certificate_services.issue_certificate(completion_id=completion.pk)
    certificate = Certificate.objects.get(user=member)
    for url in (
        reverse("quizzes:result", args=[attempt.pk]),
        quiz_setup.course.url,
        quiz_setup.quiz.url,
    ):
        page = client.get(url).content.decode()
        assert "✔ Hoàn thành khoá học" in page, url
        assert reverse("certificates:download", args=[certificate.code]) in page, url
    me = client.get(reverse("courses:my_learning")).content.decode()
    assert reverse("certificates:download", args=[certificate.code]) in me
    assert "chứng chỉ (PDF)" in me


def test_login_lands_on_my_learning_or_where_the_member_was_going(client, quiz_setup, member):
    form = {"username": "0912 000 111", "password": "Mat-khau-rat-dai-1"}
    assert client.post(reverse("accounts:login"), form)["Location"] == "/me/"
    client.logout()
    reply = client.post(reverse("accounts:login"), {**form, "next": quiz_setup.quiz.url})
    assert reply["Location"] == quiz_setup.quiz.url
    client.logout()
    reply = client.post(reverse("accounts:login"), {**form, "next": "https://evil.example/"})
    assert reply["Location"] == "/me/"


def test_a_new_member_goes_on_to_where_they_were_going(client, quiz_setup, make_user):
    newcomer = make_user(username="moi", phone="+84912000222")
    code = account_services.issue_activation_code(user=newcomer, disable_password=True)
    reply = client.post(
        reverse("accounts:login"),
        {"username": "0912000222", "password": code.display_code, "next": quiz_setup.quiz.url},
    )
    assert reply["Location"] == reverse("accounts:choose_password")
    reply = client.post(
        reverse("accounts:choose_password"),
        {"new_password1": "Hoc-ky-nang-so-2026", "new_password2": "Hoc-ky-nang-so-2026"},
    )
    assert reply["Location"] == quiz_setup.quiz.url


def test_unread_notices_are_marked_counted_and_can_be_read_one_by_one(client, member):
    notices = [
        Notification.objects.create(
            user=member,
            kind="CERT_ISSUED",
            key=f"k{n}",
            params={"course": f"Khoá {n}", "code": "ABC"},
        )
        for n in range(3)
    ]
    client.force_login(member)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Bạn có 3 thông báo chưa đọc." in page
    assert page.count('<span class="unread-badge">Mới</span>') == 3
    assert page.count('<span class="visually-hidden">Chưa đọc: </span>') == 3
    assert '<span class="nav-count">3<' in page  # in the menu
    reply = client.post(reverse("notifications:mark_read", args=[notices[0].pk]), {"page": "1"})
    assert reply["Location"] == reverse("notifications:inbox") + "?page=1"
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Bạn có 2 thông báo chưa đọc." in page and 'class="is-read"' in page
    assert client.post(reverse("notifications:mark_read", args=[99999])).status_code == 404


def test_search_ranks_title_then_summary_then_body_and_marks_the_words(client, quiz_setup, member):
    course = quiz_setup.course
    for title, summary, text in [
        ("Bảo vệ tài khoản", "Không chia sẻ mã", "<p>Kẻ gian đòi mã OTP qua điện thoại</p>"),
        ("Giữ an toàn", "Cảnh giác với mã OTP", "<p>Nội dung</p>"),
        ("Mã OTP là gì <b>?</b>", "Tóm tắt", "<p>Nội dung</p>"),
    ]:
        lesson = LessonPage(title=title, slug=title[:6].lower().replace(" ", "-"), summary=summary)
        lesson.body = [("text", text)]
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    client.force_login(member)  # the course is for members only
    response = client.get(reverse("courses:search"), {"q": "ma otp"})
    titles = [lesson.title for lesson in response.context["results"]]
    assert titles == ["Mã OTP là gì <b>?</b>", "Giữ an toàn", "Bảo vệ tài khoản"]
    html = response.content.decode()
    assert "<mark>Mã</mark> <mark>OTP</mark> là gì &lt;b&gt;?&lt;/b&gt;" in html
    assert "Cảnh giác với <mark>mã</mark> <mark>OTP</mark>" in html


def test_the_phone_menu_opens_without_javascript_and_progress_bars_are_named(
    client, quiz_setup, member
):
    client.force_login(member)
    complete(member, quiz_setup.lesson)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert '<details class="nav-menu">' in page and "<summary>Menu</summary>" in page
    assert '<progress class="progress" max="100" value="100"' in page
    assert 'aria-label="Tiến độ khoá Nhận diện lừa đảo trực tuyến: 1/1 bài học"' in page
    assert 'role="progressbar"' not in page and 'style="width' not in page
