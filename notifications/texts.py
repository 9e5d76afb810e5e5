"""The words of each kind of notification, rendered when shown or sent, in the active
language, from the parameters stored with it."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Kind


def _date(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def _moment(value: str | None) -> str:
    if not value:
        return ""
    return timezone.localtime(datetime.fromisoformat(value)).strftime("%H:%M %d/%m/%Y")


def render(kind: str, params: dict) -> tuple[str, str]:
    """(title, body) of a notification."""
    p = {
        **params,
        "due": _date(params.get("due_on")),
        "expires": _date(params.get("expires_on")),
        "when": _moment(params.get("starts_at")),
    }
    if kind == Kind.ASSIGNED:
        return (
            _("New training: %(campaign)s") % p,
            _("You have been assigned %(courses)s. Complete it by %(due)s.") % p,
        )
    if kind == Kind.DUE_SOON and not p.get("days"):
        return (_("Due today: %(campaign)s") % p, _("Complete %(courses)s today.") % p)
    if kind == Kind.DUE_SOON:
        return (
            _("%(days)s days left: %(campaign)s") % p,
            _("Complete %(courses)s by %(due)s.") % p,
        )
    if kind == Kind.OVERDUE:
        return (
            _("Overdue: %(campaign)s") % p,
            _("%(courses)s was due on %(due)s. Please complete it as soon as you can.") % p,
        )
    if kind == Kind.CERTIFICATE_ISSUED:
        return (
            _("Certificate issued: %(course)s") % p,
            _("Your certificate %(code)s is ready in “My certificates”.") % p,
        )
    if kind == Kind.CERTIFICATE_EXPIRING:
        return (
            _("Your certificate expires on %(expires)s") % p,
            _(
                "To renew the certificate of %(course)s, "
                "study %(refresher)s again before %(expires)s."
            )
            % p,
        )
    if kind == Kind.LESSON_UPDATED:
        return (
            _("Lesson updated: %(lesson)s") % p,
            _("The lesson “%(lesson)s” of %(course)s has changed. Please study it again.") % p,
        )
    if kind == Kind.SESSION_NEW:
        return (
            _("New training session: %(session)s") % p,
            _(
                "%(when)s at %(place)s, with %(trainer)s. "
                "Add it to your calendar from “My learning”."
            )
            % p,
        )
    if kind == Kind.SESSION_SOON:
        title = _("Tomorrow: %(session)s") if p.get("days") else _("Today: %(session)s")
        return (
            title % p,
            _("%(when)s at %(place)s. Bring your phone: you check in by scanning the QR code.") % p,
        )
    if kind == Kind.SESSION_CANCELLED:
        return (
            _("Training session cancelled: %(session)s") % p,
            _("The session of %(when)s at %(place)s will not take place.") % p,
        )
    if kind == Kind.GRANTED:
        return (_("Granted to you: %(quiz)s") % p, _granted(p))
    return (str(kind), "")


def _granted(p: dict) -> str:
    attempts, minutes = int(p.get("attempts") or 0), int(p.get("minutes") or 0)
    parts = []
    if attempts:
        parts.append(
            ngettext("%(n)s more attempt", "%(n)s more attempts", attempts) % {"n": attempts}
        )
    if minutes:
        parts.append(
            ngettext("%(n)s more minute per attempt", "%(n)s more minutes per attempt", minutes)
            % {"n": minutes}
        )
    return _("You have %(what)s at “%(quiz)s”. Reason: %(reason)s") % {
        "what": _(" and ").join(parts),
        "quiz": p.get("quiz", ""),
        "reason": p.get("reason", ""),
    }
