"""The access log is written when a lower app says it handed out a file of personal data;
the notice cache is cleared when a notice changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from common.signals import personal_data_downloaded

from . import services
from .models import PrivacyNotice


@receiver(personal_data_downloaded)
def log_download(sender, *, user, kind, description, unit=None, **kwargs):
    services.record_download(user=user, kind=kind, description=description, unit=unit)


@receiver(post_save, sender=PrivacyNotice)
@receiver(post_delete, sender=PrivacyNotice)
def notice_changed(sender, **kwargs):
    services.clear_notice_cache()
