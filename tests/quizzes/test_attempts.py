import datetime
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from common.models import OutboxMessage
from courses import services as course_services
from courses.models import CourseCompletion
from quizzes import services
from quizzes.models import Attempt, ChoiceStat, QuestionStat
from tests.quizzes.conftest import SECRET_EXPLANATION, SECRET_FEEDBACK, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user):
    return make_user(username="thanhvien")


def answer_all(attempt, answers, user):
    for question_id, choice_ids in answers.items():
        services.save_answer(
            user=user, attempt=attempt, question_id=question_id, choice_ids=choice_ids
        )


def test_draws_respect_topics_counts_and_never_repeat(quiz_setup, member):
    for _ in range(5):
        questions = services.draw_questions(quiz_setup.quiz)
        topics = Counter(q.topic.slug for q in questions)
        assert len(questions) == 10 == len({q.pk for q in questions})
        assert topics == {
            "lua-dao-truc-tuyen": 6,
            "an-toan-thong-tin": 4,
        }  # 5 drawn + the fixed one
        assert quiz_setup.multiple.pk in {q.pk for q in questions}


def test_a_quiz_asking_for_more_than_the_bank_holds_is_refused(quiz_setup):
    rule = quiz_setup.quiz.draw_rules.first()
    rule.count = 50
    rule.save()
    with pytest.raises(ValidationError):
        services.draw_questions(quiz_setup.quiz)


def test_answers_never_reach_the_browser_before_submitting(client, quiz_setup, member):
    client.force_login(member)
    pages = [client.get(quiz_setup.quiz.url).content.decode()]
    start = client.post(quiz_setup.quiz.url)
    attempt = Attempt.objects.get(user=member)
    for n in range(1, 11):
        pages.append(client.get(f"{start['Location']}?q={n}").content.decode())
    answers = right_answers(attempt)
    first = next(iter(answers))
    reply = client.post(
        reverse("quizzes:answer", args=[attempt.pk]), {f"q-{first}": answers[first], "go": "2"}
    )
    pages.append(reply.content.decode() + str(reply.headers))
    pages.append(client.get(reply["Location"]).content.decode())
    for html in pages:
        assert SECRET_EXPLANATION not in html and SECRET_FEEDBACK not in html
        assert not re.search(r'class="choice[^"]*\bright\b', html)
    client.post(reverse("quizzes:submit", args=[attempt.pk]), {"confirm": "yes"})
    result = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert SECRET_EXPLANATION in result


def test_each_answer_is_saved_so_a_dropped_connection_resumes(client, quiz_setup, member):
    client.force_login(member)
    client.post(quiz_setup.quiz.url)
    attempt = Attempt.objects.get(user=member)
    first = attempt.served[0]
    client.post(
        reverse("quizzes:answer", args=[attempt.pk]),
        {f"q-{first['question']}": [first["choices"][2]["id"]]},
    )
    # Later, from the quiz page again: the same attempt, the answer still chosen.
    resumed = client.post(quiz_setup.quiz.url)
    assert resumed["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    html = client.get(resumed["Location"] + "?q=1").content.decode()
    assert f'value="{first["choices"][2]["id"]}" checked' in html
    assert Attempt.objects.filter(user=member).count() == 1


def test_foreign_and_stale_answers_are_refused(quiz_setup, member):
    attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    outsider = next(
        q
        for q in quiz_setup.questions["an-toan-thong-tin"]
        if q.pk not in {i["question"] for i in attempt.served}
    )
    item = attempt.served[0]
    other_item = attempt.served[1]
    with pytest.raises(ValidationError):
        services.save_answer(
            user=member,
            attempt=attempt,
            question_id=outsider.pk,
            choice_ids=[outsider.choices.first().pk],
        )
    with pytest.raises(ValidationError):
        services.save_answer(
            user=member,
            attempt=attempt,
            question_id=item["question"],
            choice_ids=[other_item["choices"][0]["id"]],
        )
    single = next(i for i in attempt.served if i["kind"] == "SINGLE")
    with pytest.raises(ValidationError):
        services.save_answer(
            user=member,
            attempt=attempt,
            question_id=single["question"],
            choice_ids=[c["id"] for c in single["choices"][:2]],
        )
    services.submit_attempt(user=member, attempt_id=attempt.pk)
    with pytest.raises(ValidationError):
        services.save_answer(
            user=member,
            attempt=attempt,
            question_id=item["question"],
            choice_ids=[item["choices"][0]["id"]],
        )
    assert not attempt.responses.exists()


def test_every_post_needs_a_csrf_token(quiz_setup, member):
    strict = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    strict.force_login(member)
    assert strict.post(quiz_setup.quiz.url).status_code == 403
    attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    assert strict.post(reverse("quizzes:submit", args=[attempt.pk])).status_code == 403
    assert strict.post(reverse("quizzes:answer", args=[attempt.pk]), {}).status_code == 403


def test_another_member_gets_404_on_every_attempt_url(client, quiz_setup, member, make_user):
    attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    intruder = make_user(username="ke-xam-nhap")
    client.force_login(intruder)
    item = attempt.served[0]
    assert client.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("quizzes:result", args=[attempt.pk])).status_code == 404
    assert (
        client.post(
            reverse("quizzes:answer", args=[attempt.pk]),
            {f"q-{item['question']}": [item["choices"][0]["id"]]},
        ).status_code
        == 404
    )
    assert client.post(reverse("quizzes:submit", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open and not attempt.responses.exists()
    with pytest.raises(Attempt.DoesNotExist):
        services.submit_attempt(user=intruder, attempt_id=attempt.pk)
    attempt.refresh_from_db()
    assert attempt.is_open


def test_the_server_enforces_the_deadline(quiz_setup, member):
    start = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
        answers = right_answers(attempt)
        in_time = dict(list(answers.items())[:9])
        answer_all(attempt, in_time, member)
    late_question, late_choices = list(answers.items())[9]
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        with pytest.raises(ValidationError):
            services.save_answer(
                user=member, attempt=attempt, question_id=late_question, choice_ids=late_choices
            )
        closed = services.close_if_expired(attempt=Attempt.objects.get(pk=attempt.pk))
    assert closed.state == "EXPIRED"
    assert closed.percent == 90 and closed.passed is True


def test_an_expired_attempt_is_graded_when_next_touched(client, quiz_setup, member):
    start = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)
    client.force_login(member)
    with time_machine.travel(start, tick=False):
        client.post(quiz_setup.quiz.url)
    attempt = Attempt.objects.get(user=member)
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        response = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == "EXPIRED" and attempt.percent == 0


def test_max_attempts_then_no_more(quiz_setup, member):
    for _ in range(3):
        attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
        services.submit_attempt(user=member, attempt_id=attempt.pk)
    with pytest.raises(ValidationError):
        services.start_attempt(user=member, quiz=quiz_setup.quiz)
    assert Attempt.objects.filter(user=member).count() == 3


def test_editing_a_question_later_does_not_change_a_past_result(client, quiz_setup, member):
    attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    answer_all(attempt, right_answers(attempt), member)
    graded = services.submit_attempt(user=member, attempt_id=attempt.pk)
    assert graded.percent == 100
    question_id = attempt.served[0]["question"]
    from quizzes.models import Question

    question = Question.objects.get(pk=question_id)
    for position, choice in enumerate(question.choices.all()):
        choice.is_correct = position == 1  # the right answer moves to another choice
        choice.text = "ĐÃ SỬA"
        choice.save()
    question.text = "<p>Câu đã sửa</p>"
    question.save()
    question.save_revision()
    client.force_login(member)
    html = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    graded.refresh_from_db()
    assert graded.percent == 100
    assert "ĐÃ SỬA" not in html and "Câu đã sửa" not in html
    assert graded.served[0]["revision"] is not None


def test_passing_the_final_quiz_completes_the_course(
    quiz_setup, member, django_capture_on_commit_callbacks
):
    course_services.start_lesson(user=member, lesson=quiz_setup.lesson)
    course_services.complete_lesson(user=member, lesson=quiz_setup.lesson)
    assert not CourseCompletion.objects.exists()  # the final quiz is still required
    failed = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    answer_all(failed, wrong_answers(failed), member)
    services.submit_attempt(user=member, attempt_id=failed.pk)
    assert not CourseCompletion.objects.exists()
    passed = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    answer_all(passed, right_answers(passed), member)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_attempt(user=member, attempt_id=passed.pk)
    assert CourseCompletion.objects.filter(user=member, course=quiz_setup.course).exists()


def test_after_each_question_mode_reveals_and_locks_that_answer_only(client, quiz_setup, member):
    quiz = quiz_setup.quiz
    quiz.show_answers = "AFTER_EACH"
    quiz.save_revision().publish()
    client.force_login(member)
    client.post(quiz.url)
    attempt = Attempt.objects.get(user=member)
    first, second = attempt.served[0], attempt.served[1]
    client.post(
        reverse("quizzes:answer", args=[attempt.pk]),
        {f"q-{first['question']}": [first["choices"][0]["id"]], "go": "1"},
    )
    html_first = client.get(reverse("quizzes:attempt", args=[attempt.pk]) + "?q=1").content.decode()
    html_second = client.get(
        reverse("quizzes:attempt", args=[attempt.pk]) + "?q=2"
    ).content.decode()
    assert SECRET_EXPLANATION in html_first and SECRET_EXPLANATION not in html_second
    with pytest.raises(ValidationError):
        services.save_answer(
            user=member,
            attempt=attempt,
            question_id=first["question"],
            choice_ids=[first["choices"][1]["id"]],
        )
    assert second["question"] != first["question"]


def test_progress_per_quiz_and_topic_mastery_on_my_learning(client, quiz_setup, member):
    attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    answer_all(attempt, right_answers(attempt), member)
    services.submit_attempt(user=member, attempt_id=attempt.pk)
    client.force_login(member)
    page = client.get(reverse("courses:my_learning"))
    section = page.context["sections"][0]
    summary = section["quiz_summaries"][0]
    assert (summary["attempts"], summary["best"], summary["passed"]) == (1, 100, True)
    mastery = {row["topic"]: row for row in section["topic_mastery"]}
    assert mastery["Lừa đảo trực tuyến"]["correct"] == 6
    assert mastery["An toàn thông tin"]["percent"] == 100
    assert "Bài kiểm tra cuối khoá" in page.content.decode()


def test_item_statistics_are_counted_once(quiz_setup, member):
    attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    answer_all(attempt, wrong_answers(attempt), member)
    services.submit_attempt(user=member, attempt_id=attempt.pk)
    assert services.count_attempt_stats(attempt_id=attempt.pk) is True
    assert services.count_attempt_stats(attempt_id=attempt.pk) is False  # a re-delivered task
    stat = QuestionStat.objects.get(question_id=attempt.served[0]["question"])
    assert (stat.answered, stat.correct) == (1, 0)


def test_item_statistics_count_right_wrong_unanswered_and_each_chosen_choice(
    quiz_setup, member, make_user
):
    first = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    wrong = wrong_answers(first)
    answer_all(first, wrong, member)
    services.submit_attempt(user=member, attempt_id=first.pk)
    other = make_user(username="thanhvien-khac")
    second = services.start_attempt(user=other, quiz=quiz_setup.quiz)
    right = right_answers(second)
    skipped = second.served[0]["question"]
    answer_all(second, {q: c for q, c in right.items() if q != skipped}, other)
    services.submit_attempt(user=other, attempt_id=second.pk)
    for attempt in (first, second):
        assert services.count_attempt_stats(attempt_id=attempt.pk) is True

    expected: dict[int, list[int]] = {}
    for counts in (wrong, {q: c for q, c in right.items() if q != skipped}):
        for question_id, choice_ids in counts.items():
            expected.setdefault(question_id, []).extend(choice_ids)
    stats = {s.question_id: (s.answered, s.correct) for s in QuestionStat.objects.all()}
    for question_id in {item["question"] for item in first.served + second.served}:
        answered = (question_id in wrong) + (question_id in right and question_id != skipped)
        correct = int(question_id in right and question_id != skipped)
        assert stats[question_id] == (answered, correct), question_id
    chosen = {(s.question_id, s.choice_id): s.chosen for s in ChoiceStat.objects.all()}
    assert chosen == {
        (q, c): expected[q].count(c) for q, choice_ids in expected.items() for c in choice_ids
    }


def run_in_threads(count, work):
    def wrapped(n):
        try:
            return work(n)
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(wrapped, range(count)))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_parallel_submits_grade_exactly_once(quiz_setup, member):
    attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    answer_all(attempt, right_answers(attempt), member)
    results = run_in_threads(
        20, lambda n: services.submit_attempt(user=member, attempt_id=attempt.pk)
    )
    assert all(isinstance(r, Attempt) for r in results), results
    assert {(r.state, r.percent, r.submitted_at) for r in results} == {
        ("SUBMITTED", 100, results[0].submitted_at)
    }
    stats_jobs = OutboxMessage.objects.filter(
        task_name="quizzes.tasks.after_attempt_graded", kwargs__attempt_id=attempt.pk
    )
    assert stats_jobs.count() == 1  # graded (and so queued) exactly once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_starts_cannot_exceed_max_attempts(quiz_setup, member):
    quiz = quiz_setup.quiz
    quiz.max_attempts = 2
    quiz.save()
    for _round in range(3):
        outcomes = run_in_threads(10, lambda n: services.start_attempt(user=member, quiz=quiz))
        opened = {o.pk for o in outcomes if isinstance(o, Attempt)}
        assert len(opened) <= 1
        for pk in opened:
            services.submit_attempt(user=member, attempt_id=pk)
    assert Attempt.objects.filter(user=member, quiz=quiz).count() == 2
