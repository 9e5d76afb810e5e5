from celery import shared_task

from . import services


@shared_task(name="courses.tasks.notify_lesson_updated")
def notify_lesson_updated(lesson_id: int, revision_id: int | None = None) -> int:
    return services.notify_lesson_updated(lesson_id=lesson_id, revision_id=revision_id)
