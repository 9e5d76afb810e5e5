from typing import cast

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import User

from .models import Notification

__all__ = ["inbox", "unread_cache_key", "unread_count"]


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """Cached per member (cleared whenever it changes), so the header costs no query."""
    return cast(
        int,
        cache.get_or_set(
            unread_cache_key(user.pk),
            lambda: Notification.objects.filter(user=user, read_at__isnull=True).count(),
            timeout=3600,
        ),
    )
