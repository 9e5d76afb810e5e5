"""Scoring, as pure functions: no database, no clock. Everything the grader needs comes
from the attempt's snapshot of what was served and the member's chosen choice ids."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

SINGLE = "SINGLE"
MULTIPLE = "MULTIPLE"
TRUE_FALSE = "TRUE_FALSE"
ALL_OR_NOTHING = "ALL_OR_NOTHING"
PARTIAL = "PARTIAL"

__all__ = [
    "ALL_OR_NOTHING",
    "MULTIPLE",
    "PARTIAL",
    "SINGLE",
    "TRUE_FALSE",
    "Grade",
    "GradedQuestion",
    "ServedChoice",
    "ServedQuestion",
    "grade",
    "score_question",
]


class ServedChoice(TypedDict):
    id: int
    text: str
    correct: bool
    feedback: str


class ServedQuestion(TypedDict):
    """One item of `Attempt.served`: a question exactly as it was shown, so grading, the
    review and the statistics never depend on later edits of the bank."""

    question: int
    revision: int | None
    kind: str  # SINGLE, MULTIPLE or TRUE_FALSE
    text: str
    image: int | None
    explanation: str
    choices: list[ServedChoice]  # in the order shown


def score_question(
    *, kind: str, correct: frozenset[int], chosen: frozenset[int], policy: str
) -> Decimal:
    """Points in [0, 1] for one question.

    Single choice and true/false: the one correct choice, nothing else. Multiple choice:
    all or nothing, or partial credit (right picks minus wrong picks, over the number of
    right answers, never below zero), as the quiz says.
    """
    if not chosen:
        return Decimal(0)
    if kind in (SINGLE, TRUE_FALSE) or policy == ALL_OR_NOTHING:
        return Decimal(1) if chosen == correct else Decimal(0)
    if not correct:
        return Decimal(0)
    right = len(chosen & correct)
    wrong = len(chosen - correct)
    return max(Decimal(0), Decimal(right - wrong) / Decimal(len(correct)))


@dataclass(frozen=True)
class GradedQuestion:
    question_id: int
    points: Decimal
    is_correct: bool


@dataclass(frozen=True)
class Grade:
    questions: tuple[GradedQuestion, ...]
    points: Decimal
    max_points: int
    percent: Decimal
    passed: bool


def grade(
    *,
    served: list[ServedQuestion],
    answers: dict[int, frozenset[int]],
    policy: str,
    pass_mark: int,
) -> Grade:
    """Grade an attempt. `served` is the snapshot (each item: question id, kind and choices
    with their correctness); `answers` maps question id to the chosen choice ids."""
    graded = []
    for item in served:
        correct = frozenset(choice["id"] for choice in item["choices"] if choice["correct"])
        chosen = answers.get(item["question"], frozenset())
        points = score_question(kind=item["kind"], correct=correct, chosen=chosen, policy=policy)
        graded.append(
            GradedQuestion(question_id=item["question"], points=points, is_correct=points == 1)
        )
    total = sum((g.points for g in graded), Decimal(0))
    max_points = len(served)
    percent = (
        (total * 100 / max_points).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if max_points
        else Decimal(0)
    )
    return Grade(
        questions=tuple(graded),
        points=total,
        max_points=max_points,
        percent=percent,
        passed=bool(max_points) and percent >= pass_mark,
    )
