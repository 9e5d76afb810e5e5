from celery import shared_task

from . import services


@shared_task(name="training.tasks.run_daily_reminders")
def run_daily_reminders() -> int:
    return services.run_daily_reminders()


@shared_task(name="training.tasks.open_recertifications")
def open_recertifications() -> int:
    return services.open_recertifications()


@shared_task(name="training.tasks.send_campaign_notices")
def send_campaign_notices(campaign_id: int) -> int:
    return services.send_campaign_notices(campaign_id=campaign_id)


@shared_task(name="training.tasks.notify_lesson_updated")
def notify_lesson_updated(lesson_id: int, revision_id: int | None = None) -> int:
    return services.notify_lesson_updated(lesson_id=lesson_id, revision_id=revision_id)


@shared_task(name="training.tasks.notify_certificate_issued")
def notify_certificate_issued(certificate_id: int) -> int:
    return services.notify_certificate_issued(certificate_id=certificate_id)


@shared_task(name="training.tasks.renew_if_recertifying")
def renew_if_recertifying(user_id: int, course_id: int) -> int:
    return len(services.renew_if_recertifying(user_id=user_id, course_id=course_id))


@shared_task(name="training.tasks.send_session_reminders")
def send_session_reminders() -> int:
    return services.send_session_reminders()


@shared_task(name="training.tasks.notify_session_scheduled")
def notify_session_scheduled(session_id: int) -> int:
    return services.notify_session_scheduled(session_id=session_id)


@shared_task(name="training.tasks.notify_session_cancelled")
def notify_session_cancelled(session_id: int) -> int:
    return services.notify_session_cancelled(session_id=session_id)
