from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.scoring import (
    ALL_OR_NOTHING,
    MULTIPLE,
    PARTIAL,
    SINGLE,
    TRUE_FALSE,
    grade,
    score_question,
)

ids = st.frozensets(st.integers(min_value=1, max_value=8), max_size=8)


@pytest.mark.parametrize("kind", [SINGLE, TRUE_FALSE])
def test_single_and_true_false(kind):
    assert (
        score_question(kind=kind, correct=frozenset({2}), chosen=frozenset({2}), policy=PARTIAL)
        == 1
    )
    assert (
        score_question(kind=kind, correct=frozenset({2}), chosen=frozenset({3}), policy=PARTIAL)
        == 0
    )
    assert (
        score_question(kind=kind, correct=frozenset({2}), chosen=frozenset({2, 3}), policy=PARTIAL)
        == 0
    )
    assert (
        score_question(kind=kind, correct=frozenset({2}), chosen=frozenset(), policy=PARTIAL) == 0
    )


def test_multiple_all_or_nothing():
    correct = frozenset({1, 3})
    assert (
        score_question(
            kind=MULTIPLE, correct=correct, chosen=frozenset({1, 3}), policy=ALL_OR_NOTHING
        )
        == 1
    )
    assert (
        score_question(kind=MULTIPLE, correct=correct, chosen=frozenset({1}), policy=ALL_OR_NOTHING)
        == 0
    )
    assert (
        score_question(
            kind=MULTIPLE, correct=correct, chosen=frozenset({1, 2, 3}), policy=ALL_OR_NOTHING
        )
        == 0
    )


def test_multiple_partial_credit():
    correct = frozenset({1, 2, 3})
    assert (
        score_question(kind=MULTIPLE, correct=correct, chosen=frozenset({1, 2}), policy=PARTIAL)
        == Decimal(2) / 3
    )
    assert (
        score_question(kind=MULTIPLE, correct=correct, chosen=frozenset({1, 4}), policy=PARTIAL)
        == 0
    )
    assert (
        score_question(kind=MULTIPLE, correct=correct, chosen=frozenset({4, 5}), policy=PARTIAL)
        == 0
    )


@given(correct=ids.filter(bool), chosen=ids, policy=st.sampled_from([PARTIAL, ALL_OR_NOTHING]))
def test_points_are_between_zero_and_one_and_full_only_for_the_exact_answer(
    correct, chosen, policy
):
    points = score_question(kind=MULTIPLE, correct=correct, chosen=chosen, policy=policy)
    assert 0 <= points <= 1
    assert (points == 1) == (chosen == correct)


@given(correct=ids.filter(bool), chosen=ids, extra=st.integers(min_value=9, max_value=20))
def test_adding_a_wrong_pick_never_raises_the_score(correct, chosen, extra):
    before = score_question(kind=MULTIPLE, correct=correct, chosen=chosen, policy=PARTIAL)
    after = score_question(kind=MULTIPLE, correct=correct, chosen=chosen | {extra}, policy=PARTIAL)
    assert after <= before


def served(*questions):
    return [
        {
            "question": n,
            "kind": kind,
            "choices": [{"id": c, "correct": c in right} for c in range(1, 5)],
        }
        for n, (kind, right) in enumerate(questions, start=1)
    ]


def test_grade_totals_percent_and_pass_mark():
    items = served((SINGLE, {1}), (SINGLE, {2}), (MULTIPLE, {1, 2}), (TRUE_FALSE, {1}))
    answers = {1: frozenset({1}), 2: frozenset({2}), 3: frozenset({1}), 4: frozenset({2})}
    result = grade(served=items, answers=answers, policy=PARTIAL, pass_mark=60)
    assert result.points == Decimal("2.5")
    assert result.max_points == 4
    assert result.percent == Decimal("62.50")
    assert result.passed
    assert not grade(served=items, answers=answers, policy=ALL_OR_NOTHING, pass_mark=60).passed
    assert [g.is_correct for g in result.questions] == [True, True, False, False]


def test_unanswered_questions_score_zero_and_empty_quiz_never_passes():
    assert grade(served=served((SINGLE, {1})), answers={}, policy=PARTIAL, pass_mark=1).percent == 0
    assert not grade(served=[], answers={}, policy=PARTIAL, pass_mark=1).passed
