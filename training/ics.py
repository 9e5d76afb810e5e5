"""A training session as an iCalendar file (RFC 5545) members add to their phone's calendar.

Times are written in Vietnam's time zone with its VTIMEZONE, DTSTAMP in UTC; the UID is the
same for every download of a session, and SEQUENCE grows with each change, so a calendar
that imported the file updates the event instead of adding a second one. A cancelled
session is sent with STATUS:CANCELLED."""

import zoneinfo
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import TrainingSession

__all__ = ["session_calendar", "session_uid"]


def session_uid(session: TrainingSession) -> str:
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "digiskills"
    return f"training-session-{session.pk}@{host}"


def session_calendar(session: TrainingSession, *, url: str) -> bytes:
    import icalendar

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//digiskills//Lop tap huan//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now().astimezone(zoneinfo.ZoneInfo("UTC")))
    event.add("sequence", session.sequence)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    event.add("location", session.place)
    lines = [
        _("Training session (lớp tập huấn): %(subject)s") % {"subject": session.subject},
        _("Trainer: %(name)s") % {"name": session.trainer.full_name or session.trainer.username},
    ]
    if session.notes:
        lines.append(session.notes)
    lines.append(_("Check in by scanning the QR code on the trainer's screen."))
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", "CANCELLED" if session.cancelled_at else "CONFIRMED")
    if not session.cancelled_at:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", session.title)
        alarm.add("trigger", -timedelta(hours=1))
        event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
