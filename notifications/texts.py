"""The words of each kind of notification, rendered when shown or sent, in the active
language, from the parameters stored with it."""

from datetime import date

from django.utils.translation import gettext as _

from .models import Kind


def _date(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def render(kind: str, params: dict) -> tuple[str, str]:
    """(title, body) of a notification."""
    p = {**params, "due": _date(params.get("due_on")), "expires": _date(params.get("expires_on"))}
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
    return (str(kind), "")
