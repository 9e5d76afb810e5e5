from celery import shared_task

from . import services


@shared_task(name="accounts.tasks.purge_expired_activation_codes")
def purge_expired_activation_codes() -> int:
    return services.purge_expired_activation_codes()
