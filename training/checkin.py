"""The rotating check-in code of a training session, and when check-in is open.

The QR code on the trainer's screen is a URL carrying a token `<window>-<signature>`: the
number of the current minute since the epoch and an HMAC of the session id and that
minute, keyed by SECRET_KEY. A token is accepted during its own minute and the next one (a
member may scan a code a few seconds before it changes), so a photo of the code sent to
someone at home stops working within two minutes. Pure functions: no database access."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

__all__ = [
    "OPENS_BEFORE",
    "TICKET_VALID_FOR",
    "WINDOW_SECONDS",
    "TokenCheck",
    "check_token",
    "current_token",
    "seconds_to_next_window",
]

WINDOW_SECONDS = 60
# Check-in opens a little before the start (members arrive early) and closes at the end.
OPENS_BEFORE = timedelta(minutes=30)
# A member who scanned a valid code and had to log in first keeps the right to confirm for
# this long (kept in their own browser session, never in the URL).
TICKET_VALID_FOR = timedelta(minutes=15)
_SALT = "training.checkin"


class TokenCheck:
    VALID = "valid"
    EXPIRED = "expired"
    FORGED = "forged"


def _window(moment: datetime) -> int:
    return int(moment.timestamp()) // WINDOW_SECONDS


def _signature(session_id: int, window: int) -> str:
    return salted_hmac(_SALT, f"{session_id}:{window}", algorithm="sha256").hexdigest()[:20]


def current_token(session_id: int, *, now: datetime | None = None) -> str:
    window = _window(now or timezone.now())
    return f"{window}-{_signature(session_id, window)}"


def check_token(session_id: int, token: str, *, now: datetime | None = None) -> str:
    """VALID for this minute's or the previous minute's code, EXPIRED for an older genuine
    one, FORGED for anything else (a made-up code, another session's, a future minute)."""
    window_text, _, signature = (token or "").partition("-")
    if not window_text.isdigit() or len(window_text) > 12:
        return TokenCheck.FORGED
    window = int(window_text)
    if not constant_time_compare(signature, _signature(session_id, window)):
        return TokenCheck.FORGED
    current = _window(now or timezone.now())
    if window > current:
        return TokenCheck.FORGED
    return TokenCheck.VALID if window >= current - 1 else TokenCheck.EXPIRED


def seconds_to_next_window(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS
