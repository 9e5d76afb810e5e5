"""Taking a quiz, after the quiz page (`QuizPage.serve`) started an attempt. Every attempt
URL is looked up with the member's own id, so another member's attempt is a 404; correct
answers are only in the context after grading."""

from typing import TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.images.models import Image

from common.ratelimit import by_user, rate_limited

from . import selectors, services
from .models import Attempt, ShowAnswers
from .scoring import ServedQuestion


def _my_attempt(request, attempt_id: int) -> Attempt:
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz"), pk=attempt_id, user=request.user
    )
    return services.close_if_expired(attempt=attempt)


def _answered(attempt: Attempt) -> dict[int, list[int]]:
    return {r.question_id: r.chosen for r in attempt.responses.all()}


class ChoiceView(TypedDict):
    id: int
    text: str
    chosen: bool
    correct: bool | None  # None: not revealed
    feedback: str


class QuestionView(TypedDict):
    """One served question as a template may show it."""

    number: int
    question: int
    kind: str
    text: str
    image_obj: Image | None
    answered: bool
    answered_right: bool
    explanation: str
    chosen_text: str
    correct_text: str
    revealed: bool
    choices: list[ChoiceView]


def _question_views(
    served: list[ServedQuestion],
    answered: dict[int, list[int]],
    *,
    reveal: bool,
    reveal_answered: bool = False,
) -> list[QuestionView]:
    """What a template may show. Correctness, feedback and explanations only for the
    questions revealed: every question with `reveal`, the answered ones only with
    `reveal_answered` (answers shown after each question, during the attempt)."""
    image_ids = {item["image"] for item in served if item["image"]}
    images = Image.objects.in_bulk(image_ids) if image_ids else {}
    views: list[QuestionView] = []
    for number, item in enumerate(served, start=1):
        chosen = set(answered.get(item["question"], []))
        show = reveal or (reveal_answered and item["question"] in answered)
        correct_ids = {c["id"] for c in item["choices"] if c["correct"]}
        views.append(
            {
                "number": number,
                "question": item["question"],
                "kind": item["kind"],
                "text": item["text"],
                "image_obj": images.get(item["image"]) if item["image"] else None,
                "answered": bool(chosen),
                "answered_right": show and chosen == correct_ids,
                "explanation": item["explanation"] if show else "",
                "chosen_text": "; ".join(c["text"] for c in item["choices"] if c["id"] in chosen)
                if show
                else "",
                "correct_text": "; ".join(c["text"] for c in item["choices"] if c["correct"])
                if show
                else "",
                "revealed": show,
                "choices": [
                    {
                        "id": c["id"],
                        "text": c["text"],
                        "chosen": c["id"] in chosen,
                        "correct": c["correct"] if show else None,
                        "feedback": c["feedback"] if show else "",
                    }
                    for c in item["choices"]
                ],
            }
        )
    return views


@login_required
def attempt_page(request, attempt_id: int):
    attempt = _my_attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("quizzes:result", attempt_id=attempt.pk)
    quiz = attempt.quiz
    answered = _answered(attempt)
    questions = _question_views(
        attempt.served,
        answered,
        reveal=False,
        reveal_answered=quiz.show_answers == ShowAnswers.AFTER_EACH,
    )
    if quiz.one_question_per_screen:
        index = _question_number(request.GET.get("q"), len(questions))
        shown = [questions[index - 1]]
    else:
        index, shown = None, questions
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "questions": shown,
        "index": index,
        "total": len(questions),
        "answered_count": len(answered),
        "numbers": [(q["number"], q["answered"]) for q in questions],
        "deadline_iso": attempt.deadline.isoformat() if attempt.deadline else "",
    }
    return render(request, "quizzes/attempt.html", context)


def _question_number(value, total: int) -> int:
    try:
        return min(max(int(value or "1"), 1), total)
    except ValueError:
        return 1


def _posted_answers(post, attempt: Attempt) -> tuple[dict[int, list[int]], list[str]]:
    """The answers in a POST, read only from the fields of the questions served in this
    attempt, and at most as many values per field as the question has choices: the work is
    bounded by the attempt, never by what was sent."""
    answers, errors = {}, []
    for item in attempt.served:
        key = f"q-{item['question']}"
        if key not in post:
            continue
        values = post.getlist(key)
        if len(values) > len(item["choices"]):
            errors.append(_("That answer does not belong to this question."))
            continue
        try:
            answers[item["question"]] = [int(value) for value in values]
        except ValueError:
            errors.append(_("That answer does not belong to this question."))
    return answers, errors


@require_POST
@login_required
@rate_limited("quiz_answer", key=by_user)
def attempt_answer(request, attempt_id: int):
    """Save the answers on screen, then go where the member asked: another question (the
    number buttons, previous, next), the check before submitting, or back to the same one.
    With JavaScript, quiz.js posts here on every change (X-Autosave) and gets JSON."""
    autosave = request.headers.get("X-Autosave") == "1"
    attempt = _my_attempt(request, attempt_id)
    if not attempt.is_open:
        if autosave:
            return JsonResponse({"saved": False, "errors": [_closed_message(attempt)]}, status=409)
        messages.error(request, _closed_message(attempt))
        return redirect("quizzes:result", attempt_id=attempt.pk)
    answers, errors = _posted_answers(request.POST, attempt)
    if answers:
        try:
            _saved, refused = services.save_answers(
                user=request.user, attempt=attempt, answers=answers
            )
            errors.extend(refused)
        except ValidationError as error:
            errors.extend(error.messages)
    errors = list(dict.fromkeys(errors))
    if autosave:
        return JsonResponse({"saved": not errors, "errors": errors}, status=400 if errors else 200)
    for message in errors:
        messages.error(request, message)
    if request.POST.get("action") == "review":
        return redirect("quizzes:confirm", attempt_id=attempt.pk)
    target = reverse("quizzes:attempt", args=[attempt.pk])
    step = request.POST.get("go", "")
    if step.isdigit() and attempt.quiz.one_question_per_screen:
        target += f"?q={_question_number(step, len(attempt.served))}"
    return redirect(target)


def _closed_message(attempt: Attempt) -> str:
    if attempt.state == "EXPIRED":
        return _("Time is up: answers given now are not counted.")
    return _("This attempt has already been submitted.")


@login_required
def attempt_confirm(request, attempt_id: int):
    """The check before submitting: which questions are still unanswered, each a link back,
    and one clear button that submits. A server page, so it works without JavaScript."""
    attempt = _my_attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("quizzes:result", attempt_id=attempt.pk)
    answered = _answered(attempt)
    unanswered = [
        {"number": number, "text": item["text"]}
        for number, item in enumerate(attempt.served, start=1)
        if item["question"] not in answered
    ]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "total": len(attempt.served),
        "answered_count": len(attempt.served) - len(unanswered),
        "unanswered": unanswered,
        "deadline_iso": attempt.deadline.isoformat() if attempt.deadline else "",
    }
    return render(request, "quizzes/confirm.html", context)


@require_POST
@login_required
def attempt_submit(request, attempt_id: int):
    """Grades the attempt, but only when sent from the check page (`confirm`): any other
    submit is taken to that page first, so nothing is submitted by accident."""
    if request.POST.get("confirm") != "yes":
        if not Attempt.objects.filter(pk=attempt_id, user=request.user).exists():
            raise Http404
        return redirect("quizzes:confirm", attempt_id=attempt_id)
    try:
        services.submit_attempt(user=request.user, attempt_id=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404 from None
    return redirect("quizzes:result", attempt_id=attempt_id)


@login_required
def attempt_result(request, attempt_id: int):
    attempt = _my_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz
    reveal = quiz.show_answers != ShowAnswers.NEVER
    course = quiz.get_parent().specific
    allowance = selectors.allowance(request.user, quiz)
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "questions": _question_views(attempt.served, _answered(attempt), reveal=reveal),
        "reveal": reveal,
        "course": course,
        "allowance": allowance,
        "journey": selectors.course_journey(request.user, course),
    }
    return render(request, "quizzes/result.html", context)
