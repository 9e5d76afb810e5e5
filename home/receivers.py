from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from common import content_cache

from .models import PlatformSettings


@receiver([post_save, post_delete], sender=Site)
@receiver([post_save, post_delete], sender=PlatformSettings)
def drop_cached_site(sender, **kwargs):
    content_cache.invalidate()
