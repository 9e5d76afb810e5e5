from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from common import outbox

from . import texts
from .channels import configured_channels
from .models import Delivery, Notification
from .selectors import unread_cache_key

__all__ = [
    "Notice",
    "mark_all_read",
    "mark_read",
    "next_sending_time",
    "notify",
    "notify_each",
    "send_pending_deliveries",
]

BATCH = 1000
STALE_CLAIM = timedelta(hours=1)


def next_sending_time(moment: datetime) -> datetime:
    """The first moment at or after `moment` outside quiet hours (local time)."""
    start, end = settings.NOTIFICATION_QUIET_HOURS
    local = timezone.localtime(moment)
    if start > local.hour >= end:
        return moment
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return datetime.combine(day, time(end), tzinfo=local.tzinfo)


@dataclass(frozen=True, kw_only=True)
class Notice:
    """One member's notice about one event (`key`), for `notify_each`."""

    user_id: int
    key: str
    params: dict = field(default_factory=dict)
    link: str = ""


def notify(
    *,
    user_ids: Iterable[int],
    kind: str,
    key: str,
    params: dict,
    link: str = "",
    chunk: int = BATCH,
) -> int:
    """Notify each member once about the event `key`; returns how many were new.

    Safe to run any number of times, in parallel too: the unique (user, key) and
    (notification, channel) constraints drop duplicates. External deliveries wait for the
    end of quiet hours."""
    return notify_each(
        kind=kind,
        notices=[
            Notice(user_id=user_id, key=key, params=params, link=link)
            for user_id in sorted(set(user_ids))
        ],
        chunk=chunk,
    )


def notify_each(*, kind: str, notices: Iterable[Notice], chunk: int = BATCH) -> int:
    """Notices of one kind, each with its own member, event and text (a sweep over many
    certificates, say), written in chunks of a few statements each; returns how many were
    new. Exactly-once as `notify`: a notice whose (member, event) exists is skipped."""
    unique: dict[tuple[int, str], Notice] = {}
    for notice in notices:
        unique.setdefault((notice.user_id, notice.key), notice)
    ordered = [unique[pair] for pair in sorted(unique)]
    created = 0
    for start in range(0, len(ordered), chunk):
        created += _notify_batch(ordered[start : start + chunk], kind)
    return created


@transaction.atomic
def _notify_batch(notices: Sequence[Notice], kind: str) -> int:
    """The same few statements for 1 notice or 1,000: which (member, event) pairs exist,
    one INSERT of the others, one read of the rows it wrote, one INSERT of deliveries."""
    now = timezone.now()
    known = set(
        Notification.objects.filter(
            user_id__in={notice.user_id for notice in notices},
            key__in={notice.key for notice in notices},
        ).values_list("user_id", "key")
    )
    fresh = [notice for notice in notices if (notice.user_id, notice.key) not in known]
    if not fresh:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=notice.user_id,
                kind=kind,
                key=notice.key,
                params=notice.params,
                link=notice.link,
                created_at=now,
            )
            for notice in fresh
        ],
        ignore_conflicts=True,
    )
    # The rows this call wrote carry its own `created_at`; a pair that a parallel run wrote
    # first is not among them (its deliveries are that run's).
    wanted = {(notice.user_id, notice.key) for notice in fresh}
    written = [
        (pk, user_id)
        for pk, user_id, key in Notification.objects.filter(
            user_id__in={user_id for user_id, _key in wanted}, created_at=now
        ).values_list("pk", "user_id", "key")
        if (user_id, key) in wanted
    ]
    if not written:
        return 0
    fresh_users = sorted({user_id for _pk, user_id in written})
    cache.delete_many([unread_cache_key(u) for u in fresh_users])
    channels = configured_channels()
    not_before = next_sending_time(now)
    users = {u.pk: u for u in User.objects.filter(pk__in=fresh_users, is_active=True)}
    deliveries = []
    for notification_id, user_id in written:
        user = users.get(user_id)
        if user is None:  # deactivated since
            continue
        for channel in channels.values():
            address = channel.address_for(user)
            if address:
                deliveries.append(
                    Delivery(
                        notification_id=notification_id,
                        channel=channel.name,
                        address=address,
                        not_before=not_before,
                    )
                )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=BATCH)
    if deliveries and not_before == now:
        outbox.enqueue("notifications.tasks.send_pending_deliveries")
    return len(written)


def send_pending_deliveries(*, now: datetime | None = None, limit: int = 2000) -> int:
    """Send what is due, never during quiet hours; each delivery is claimed by a conditional
    UPDATE first, so two workers never send the same one. A delivery whose worker died while
    sending is marked failed rather than sent again (it may have gone out)."""
    now = now or timezone.now()
    Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=Delivery.Status.FAILED, error="interrupted while sending")
    if next_sending_time(now) != now:
        return 0
    channels = configured_channels()
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, not_before__lte=now)
        .order_by("not_before", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        claimed = Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, claimed_at=now
        )
        if not claimed:
            continue
        delivery = Delivery.objects.select_related("notification").get(pk=pk)
        channel = channels.get(delivery.channel)
        notification = delivery.notification
        with translation.override(settings.LANGUAGE_CODE):
            subject, text = texts.render(notification.kind, notification.params)
        if notification.link.startswith("/"):
            text = f"{text}\n{settings.BASE_URL.rstrip('/')}{notification.link}"
        try:
            if channel is None:
                raise LookupError(f"no channel named {delivery.channel!r}")
            channel.send(address=delivery.address, subject=subject, text=text)
        except Exception as error:  # a provider failure must not stop the other deliveries
            Delivery.objects.filter(pk=pk).update(
                status=Delivery.Status.FAILED, error=str(error)[:300]
            )
            continue
        Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
        sent += 1
    if len(due) == limit:
        outbox.enqueue("notifications.tasks.send_pending_deliveries")
    return sent


def mark_read(*, user: User, notification_id: int) -> Notification:
    notification = Notification.objects.get(pk=notification_id, user=user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        cache.delete(unread_cache_key(user.pk))
    return notification


def mark_all_read(*, user: User) -> int:
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    cache.delete(unread_cache_key(user.pk))
    return count
