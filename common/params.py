"""Request parameters turned into typed values before anything uses them.

A wrong id is "not found" (the caller raises 404), a wrong value gets a Vietnamese message;
nothing reaches the database or a date function unchecked, so bad input never becomes a 500.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "clean_date",
    "parse_date",
    "parse_id",
]

MAX_ID = 2**63 - 1  # the largest BigAutoField value; anything above overflows the database
# Dates any screen accepts: before 1900 or after 2100 is a typing mistake, and 01/01/0001
# makes date arithmetic (a week before, a day after) overflow.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)

BAD_DATE = _("Enter a real date between 01/01/1900 and 31/12/2100, written dd/mm/yyyy.")


def parse_id(value) -> int | None:
    """A positive database id from text (or an int), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_date(value) -> dt.date | None:
    """A date from ISO (yyyy-mm-dd) or dd/mm/yyyy text within the accepted range, else None."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = str(value or "").strip()
        day = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                day = dt.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
    if day is None or not (EARLIEST_DATE <= day <= LATEST_DATE):
        return None
    return day


def clean_date(value) -> dt.date:
    """Like parse_date, raising ValidationError with a Vietnamese message instead of None."""
    day = parse_date(value)
    if day is None:
        raise ValidationError(BAD_DATE, code="invalid_date")
    return day
