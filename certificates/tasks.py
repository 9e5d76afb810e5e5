from celery import shared_task

from . import services


@shared_task(name="certificates.tasks.issue_certificate")
def issue_certificate(completion_id: int) -> None:
    services.issue_certificate(completion_id=completion_id)


@shared_task(name="certificates.tasks.build_archive")
def build_archive(archive_id: int) -> None:
    services.build_archive(archive_id=archive_id)


@shared_task(name="certificates.tasks.issue_missing_certificates")
def issue_missing_certificates(job_id: int) -> None:
    services.issue_missing_certificates(job_id=job_id)


@shared_task(name="certificates.tasks.notify_certificate_issued")
def notify_certificate_issued(certificate_id: int) -> int:
    return services.notify_certificate_issued(certificate_id=certificate_id)
