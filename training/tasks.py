from celery import shared_task

from .services import reminders, renewals, sessions


@shared_task(name="training.tasks.run_daily_reminders")
def run_daily_reminders() -> int:
    return reminders.run_daily_reminders()


@shared_task(name="training.tasks.open_recertifications")
def open_recertifications() -> int:
    return renewals.open_recertifications()


@shared_task(name="training.tasks.send_campaign_notices")
def send_campaign_notices(campaign_id: int) -> int:
    return reminders.send_campaign_notices(campaign_id=campaign_id)


@shared_task(name="training.tasks.renew_if_recertifying")
def renew_if_recertifying(user_id: int, course_id: int) -> int:
    return len(renewals.renew_if_recertifying(user_id=user_id, course_id=course_id))


@shared_task(name="training.tasks.send_session_reminders")
def send_session_reminders() -> int:
    return sessions.send_session_reminders()


@shared_task(name="training.tasks.notify_session_scheduled")
def notify_session_scheduled(session_id: int) -> int:
    return sessions.notify_session_scheduled(session_id=session_id)


@shared_task(name="training.tasks.notify_session_cancelled")
def notify_session_cancelled(session_id: int) -> int:
    return sessions.notify_session_cancelled(session_id=session_id)
