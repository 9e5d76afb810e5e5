"""The quiz page as one page (issue 18): `serve` handles GET and POST, `get_context` only
reads, and which answers are revealed is decided by typed flags, not a function passed as
a bool."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt, RestudyUnlock
from quizzes.views import _question_views

from .conftest import SECRET_EXPLANATION, SECRET_FEEDBACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user):
    return make_user(username="thanhvien")


def served_item(question: int, correct: int) -> dict:
    return {
        "question": question,
        "revision": None,
        "kind": "SINGLE",
        "text": f"<p>Câu {question}</p>",
        "image": None,
        "explanation": f"{SECRET_EXPLANATION} {question}",
        "choices": [
            {
                "id": 10 * question + n,
                "text": f"Đáp án {n}",
                "correct": n == correct,
                "feedback": "-",
            }
            for n in range(3)
        ],
    }


def test_question_views_reveal_every_question_only_the_answered_ones_or_none():
    served = [served_item(1, correct=0), served_item(2, correct=1)]
    answered = {1: [10]}

    def revealed(**flags) -> list[bool]:
        return [view["revealed"] for view in _question_views(served, answered, **flags)]

    assert revealed(reveal=True) == [True, True]
    assert revealed(reveal=False) == [False, False]
    assert revealed(reveal=False, reveal_answered=True) == [True, False]
    hidden = _question_views(served, answered, reveal=False)[0]
    assert hidden["explanation"] == "" and hidden["correct_text"] == ""
    assert {choice["correct"] for choice in hidden["choices"]} == {None}
    shown = _question_views(served, answered, reveal=False, reveal_answered=True)[0]
    assert shown["answered_right"] and shown["correct_text"] == "Đáp án 0"


def test_answers_shown_after_submitting_are_not_revealed_during_the_attempt(
    client, quiz_setup, member
):
    """The attempt page once passed a function where a bool was expected; read as a bool, a
    function is true and every answered question would show its answer mid-attempt."""
    client.force_login(member)
    client.post(quiz_setup.quiz.url)
    attempt = Attempt.objects.get(user=member)
    first = attempt.served[0]
    client.post(
        reverse("quizzes:answer", args=[attempt.pk]),
        {f"q-{first['question']}": [first["choices"][0]["id"]], "go": "1"},
    )
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk]) + "?q=1").content.decode()
    assert f'value="{first["choices"][0]["id"]}" checked' in html  # the answer was saved
    assert SECRET_EXPLANATION not in html and SECRET_FEEDBACK not in html
    assert "is-revealed" not in html


def test_the_quiz_page_post_starts_an_attempt_and_get_shows_it(client, quiz_setup, member):
    quiz = quiz_setup.quiz
    assert client.get(quiz.url).status_code == 302  # the login gate
    client.force_login(member)
    response = client.post(quiz.url)
    attempt = Attempt.objects.get(user=member)
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    page = client.get(quiz.url)
    assert page.context["open_attempt"] == attempt
    assert page.context["course"].pk == quiz_setup.course.pk
    assert reverse("quizzes:attempt", args=[attempt.pk]) in page.content.decode()


def test_get_context_only_reads(quiz_setup, member):
    """Opening the re-study cycle is a write: `serve` does it, `get_context` never does."""
    quiz = quiz_setup.quiz
    quiz.max_attempts, quiz.restudy_extra_attempts = 1, 1
    quiz.save_revision().publish()
    attempt = services.start_attempt(user=member, quiz=quiz)
    services.submit_attempt(user=member, attempt_id=attempt.pk)  # failed, nothing answered
    request = RequestFactory().get(quiz.url)
    request.user = member
    context = quiz.get_context(request)
    assert context["attempts_left"] == 0 and context["restudy"] is None
    assert not RestudyUnlock.objects.exists()
    assert not hasattr(request, "quiz_state")


def test_the_page_opens_the_restudy_cycle_when_attempts_run_out(client, quiz_setup, member):
    quiz = quiz_setup.quiz
    quiz.max_attempts, quiz.restudy_extra_attempts = 1, 1
    quiz.save_revision().publish()
    attempt = services.start_attempt(user=member, quiz=quiz)
    services.submit_attempt(user=member, attempt_id=attempt.pk)
    client.force_login(member)
    response = client.get(quiz.url)
    assert RestudyUnlock.objects.filter(user=member, quiz=quiz).exists()
    assert response.context["restudy"] is not None


def test_preview_context_reads_nobody_s_attempts(quiz_setup, member):
    services.start_attempt(user=member, quiz=quiz_setup.quiz)
    request = RequestFactory().get("/")
    request.user, request.is_preview = member, True
    context = quiz_setup.quiz.get_context(request)
    assert context["attempts"] == [] and context["open_attempt"] is None
    request.user, request.is_preview = AnonymousUser(), False
    assert quiz_setup.quiz.get_context(request)["attempts"] == []
