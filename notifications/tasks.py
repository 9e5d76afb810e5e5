from celery import shared_task

from . import services


@shared_task(name="notifications.tasks.send_pending_deliveries")
def send_pending_deliveries() -> int:
    return services.send_pending_deliveries()
