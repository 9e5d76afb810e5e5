"""Reads of the per-question statistics: how each question is answered across every graded
attempt. The counts themselves are kept by `services.count_attempt_stats`, run for each
graded attempt by `tasks.after_attempt_graded`; this module only reads them."""

from .models import Choice, ChoiceStat, Question

__all__ = ["MIN_ANSWERS_FOR_FLAG", "TOO_EASY_ABOVE", "TOO_HARD_BELOW", "item_analysis"]

MIN_ANSWERS_FOR_FLAG = 20
TOO_HARD_BELOW = 0.2
TOO_EASY_ABOVE = 0.95


def item_analysis(*, topic_id: int | None = None) -> list[dict]:
    """Per question: answers counted, share correct, the most chosen wrong answer, and a
    flag when almost everyone fails or passes it."""
    questions = Question.objects.select_related("topic", "stat").order_by("topic__name", "pk")
    if topic_id:
        questions = questions.filter(topic_id=topic_id)
    questions = list(questions)
    wrong = {c.pk: c for c in Choice.objects.filter(question__in=questions, is_correct=False)}
    top_wrong: dict[int, tuple[Choice, int]] = {}
    for stat in ChoiceStat.objects.filter(question__in=questions, choice_id__in=list(wrong)):
        best = top_wrong.get(stat.question_id)
        if stat.chosen and (best is None or stat.chosen > best[1]):
            top_wrong[stat.question_id] = (wrong[stat.choice_id], stat.chosen)
    result = []
    for question in questions:
        question_stat = getattr(question, "stat", None)
        answered = question_stat.answered if question_stat else 0
        share = (question_stat.correct / answered) if question_stat and answered else None
        flag = ""
        if answered >= MIN_ANSWERS_FOR_FLAG and share is not None:
            flag = "hard" if share < TOO_HARD_BELOW else "easy" if share > TOO_EASY_ABOVE else ""
        choice, chosen = top_wrong.get(question.pk, (None, 0))
        result.append(
            {
                "question": question,
                "answered": answered,
                "correct_percent": round(100 * share) if share is not None else None,
                "top_wrong": choice,
                "top_wrong_percent": round(100 * chosen / answered)
                if answered and choice
                else None,
                "flag": flag,
            }
        )
    return result
