import pytest

from quizzes import services
from quizzes.models import QuestionStat
from tests.quizzes.conftest import wrong_answers
from tests.worker import requires_redis, running_worker, send, wait_for

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_item_statistics_are_counted_by_a_real_worker(quiz_setup, make_user):
    member = make_user(username="thanhvien")
    attempt = services.start_attempt(user=member, quiz=quiz_setup.quiz)
    for question_id, choices in wrong_answers(attempt).items():
        services.save_answer(
            user=member, attempt=attempt, question_id=question_id, choice_ids=choices
        )
    services.submit_attempt(user=member, attempt_id=attempt.pk)
    QuestionStat.objects.all().delete()
    from quizzes.models import GradedAttemptStats

    GradedAttemptStats.objects.all().delete()  # the in-process run in tests; now the worker's turn
    with running_worker() as queue:
        send("quizzes.tasks.after_attempt_graded", queue=queue, attempt_id=attempt.pk)
        assert wait_for(lambda: QuestionStat.objects.count() == 10)
    assert set(QuestionStat.objects.values_list("answered", "correct")) == {(1, 0)}
