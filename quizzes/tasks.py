from celery import shared_task

from . import services


@shared_task(name="quizzes.tasks.count_attempt_stats")
def count_attempt_stats(attempt_id: int) -> None:
    services.count_attempt_stats(attempt_id=attempt_id)
