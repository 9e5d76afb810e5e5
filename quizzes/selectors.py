from collections import defaultdict

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Attempt, AttemptState, Question, QuizPage, Response

__all__ = ["draw_shortfall", "quiz_summaries_for", "topic_mastery_for", "usable_questions"]


def usable_questions():
    return Question.objects.filter(is_active=True)


def draw_shortfall(quiz: QuizPage) -> str:
    """A message when the bank cannot fill the quiz (too few active questions in a topic)."""
    fixed_ids = {fq.question_id for fq in quiz.fixed_questions.all() if fq.question_id}
    needed = defaultdict(int)
    for rule in quiz.draw_rules.all():
        if rule.topic_id:
            needed[rule.topic_id] += rule.count
    problems = []
    for topic_id, count in needed.items():
        available = usable_questions().filter(topic_id=topic_id).exclude(pk__in=fixed_ids).count()
        if available < count:
            from courses.models import Topic

            problems.append(
                _(
                    "The topic “%(topic)s” has %(available)s active questions; "
                    "%(count)s are to be drawn."
                )
                % {
                    "topic": Topic.objects.get(pk=topic_id).name,
                    "available": available,
                    "count": count,
                }
            )
    if not fixed_ids and not needed:
        problems.append(_("Add fixed questions or a rule that draws questions from a topic."))
    return " ".join(problems)


def quiz_summaries_for(user: User) -> list[dict]:
    """Per quiz the member has attempted: attempts, best score, passed and when."""
    rows = (
        Attempt.objects.filter(user=user)
        .values("quiz_id", "quiz__title")
        .annotate(
            attempts=Count("pk"),
            best=Max("percent"),
            passed_count=Count("pk", filter=Q(passed=True)),
            last=Max("started_at"),
            passed_at=Max("submitted_at", filter=Q(passed=True)),
        )
        .order_by("-last")
    )
    quizzes = {q.pk: q for q in QuizPage.objects.filter(pk__in=[r["quiz_id"] for r in rows])}
    return [
        {
            "quiz": quizzes[row["quiz_id"]],
            "attempts": row["attempts"],
            "best": row["best"],
            "passed": row["passed_count"] > 0,
            "passed_at": row["passed_at"],
            "last": row["last"],
        }
        for row in rows
    ]


def topic_mastery_for(user: User) -> list[dict]:
    """Share of graded answers that were right, per topic, across all quizzes."""
    rows = (
        Response.objects.filter(attempt__user=user, is_correct__isnull=False)
        .exclude(attempt__state=AttemptState.OPEN)
        .values("question__topic__name")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("question__topic__name")
    )
    return [
        {
            "topic": row["question__topic__name"],
            "answered": row["answered"],
            "correct": row["correct"],
            "percent": round(100 * row["correct"] / row["answered"]) if row["answered"] else 0,
        }
        for row in rows
    ]


def attempts_of(user: User, quiz: QuizPage):
    return Attempt.objects.filter(user=user, quiz=quiz).order_by("-number")


def open_attempt(user: User, quiz: QuizPage) -> Attempt | None:
    return Attempt.objects.filter(user=user, quiz=quiz, state=AttemptState.OPEN).first()


def served_item(attempt: Attempt, question_id: int) -> dict | None:
    return next((item for item in attempt.served if item["question"] == question_id), None)
