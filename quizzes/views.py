"""Taking a quiz. Every attempt URL is looked up with the member's own id, so another
member's attempt is a 404; correct answers are only in the context after grading."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.ratelimit import by_user, rate_limited

from . import selectors, services
from .models import Attempt, QuizPage, ShowAnswers


def quiz_intro(request, page: QuizPage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            attempt = services.start_attempt(user=request.user, quiz=page)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(page.url)
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    attempts = list(selectors.attempts_of(request.user, page))
    used = len(attempts)
    context = {
        "page": page,
        "self": page,
        "attempts": attempts,
        "open_attempt": next((a for a in attempts if a.is_open), None),
        "attempts_left": None if not page.max_attempts else max(0, page.max_attempts - used),
        "passed": any(a.passed for a in attempts),
    }
    return TemplateResponse(request, "quizzes/quiz_page.html", context)


def _my_attempt(request, attempt_id: int) -> Attempt:
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz"), pk=attempt_id, user=request.user
    )
    return services.close_if_expired(attempt=attempt)


def _answered(attempt: Attempt) -> dict[int, list[int]]:
    return {r.question_id: r.chosen for r in attempt.responses.all()}


def _question_views(attempt: Attempt, answered: dict, *, reveal: bool) -> list[dict]:
    """What a template may show. Correctness and explanations only when `reveal` allows."""
    from wagtail.images.models import Image

    image_ids = {item["image"] for item in attempt.served if item["image"]}
    images = Image.objects.in_bulk(image_ids) if image_ids else {}
    views = []
    for number, item in enumerate(attempt.served, start=1):
        chosen = set(answered.get(item["question"], []))
        show = reveal(item) if callable(reveal) else reveal
        correct_ids = {c["id"] for c in item["choices"] if c["correct"]}
        views.append(
            {
                "number": number,
                "question": item["question"],
                "kind": item["kind"],
                "text": item["text"],
                "image_obj": images.get(item["image"]),
                "answered": bool(chosen),
                "answered_right": show and chosen == correct_ids,
                "explanation": item["explanation"] if show else "",
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
    after_each = quiz.show_answers == ShowAnswers.AFTER_EACH
    questions = _question_views(
        attempt, answered, reveal=lambda item: after_each and item["question"] in answered
    )
    if quiz.one_question_per_screen:
        try:
            index = min(max(int(request.GET.get("q", "1")), 1), len(questions))
        except ValueError:
            index = 1
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


@require_POST
@login_required
@rate_limited("quiz_answer", key=by_user)
def attempt_answer(request, attempt_id: int):
    attempt = _my_attempt(request, attempt_id)
    if not attempt.is_open:
        messages.error(request, _closed_message(attempt))
        return redirect("quizzes:result", attempt_id=attempt.pk)
    errors = []
    for key in request.POST:
        if not key.startswith("q-"):
            continue
        try:
            question_id = int(key[2:])
            choice_ids = [int(value) for value in request.POST.getlist(key)]
            services.save_answer(
                user=request.user, attempt=attempt, question_id=question_id, choice_ids=choice_ids
            )
        except ValueError:
            errors.append(_("That answer does not belong to this question."))
        except ValidationError as error:
            errors.extend(error.messages)
    for message in dict.fromkeys(errors):
        messages.error(request, message)
    if request.POST.get("action") == "submit":
        return attempt_submit(request, attempt_id)
    target = reverse("quizzes:attempt", args=[attempt.pk])
    step = request.POST.get("next", "")
    if step.isdigit():
        target += f"?q={step}"
    return redirect(target)


def _closed_message(attempt: Attempt) -> str:
    if attempt.state == "EXPIRED":
        return _("Time is up: answers given now are not counted.")
    return _("This attempt has already been submitted.")


@require_POST
@login_required
def attempt_submit(request, attempt_id: int):
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
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "questions": _question_views(attempt, _answered(attempt), reveal=reveal),
        "reveal": reveal,
        "course": quiz.get_parent(),
    }
    return render(request, "quizzes/result.html", context)
