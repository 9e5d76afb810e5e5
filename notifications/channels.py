"""Ways to reach a member outside the app. A channel says which address it would use for a
member (empty: it cannot reach them) and sends one text; raising means it failed.

`NOTIFICATION_CHANNELS` lists the channel classes in use. The default SMS/Zalo channel
records messages in the database; a real provider is a class with the same two methods."""

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from accounts.models import User

from .models import RecordedMessage


class Channel(Protocol):
    name: str

    def address_for(self, user: User) -> str: ...

    def send(self, *, address: str, subject: str, text: str) -> None: ...


class EmailChannel:
    name = "email"

    def address_for(self, user: User) -> str:
        return user.email or ""

    def send(self, *, address: str, subject: str, text: str) -> None:
        send_mail(subject, text, None, [address])


class RecordingChannel:
    """Stands in for SMS or Zalo until a provider is contracted."""

    name = "sms"

    def address_for(self, user: User) -> str:
        return user.phone or ""

    def send(self, *, address: str, subject: str, text: str) -> None:
        RecordedMessage.objects.create(
            channel=self.name, address=address, text=f"{subject}. {text}"
        )


def configured_channels() -> dict[str, Channel]:
    channels = [import_string(path)() for path in settings.NOTIFICATION_CHANNELS]
    return {channel.name: channel for channel in channels}
