from celery import shared_task

from . import services


@shared_task(name="quizzes.tasks.after_attempt_graded")
def after_attempt_graded(attempt_id: int) -> None:
    """Follow-up work of a graded attempt; each step is idempotent, so a re-run is harmless."""
    services.count_attempt_stats(attempt_id=attempt_id)
    services.complete_course_if_final_quiz_passed(attempt_id=attempt_id)
    services.open_restudy_after_attempt(attempt_id=attempt_id)


@shared_task(name="quizzes.tasks.unlock_after_restudy")
def unlock_after_restudy(user_id: int, course_id: int) -> None:
    services.unlock_after_restudy(user_id=user_id, course_id=course_id)


@shared_task(name="quizzes.tasks.run_question_import")
def run_question_import(job_id: int) -> None:
    """Check an uploaded question file, or import it once confirmed."""
    services.run_question_job(job_id=job_id)
