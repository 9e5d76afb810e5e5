"""Checks on text and dates where they enter (forms, searches, imports)."""

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .params import EARLIEST_DATE, LATEST_DATE

__all__ = [
    "hidden_characters",
    "validate_birth_date",
    "validate_date_range",
    "validate_plain_text",
]

# Control characters (NUL, escapes), format characters (right-to-left and left-to-right
# overrides and embeddings, zero-width spaces and joiners, the byte-order mark), lone
# surrogates, private-use and unassigned code points: none belongs in a name, an address
# or a search, and the format ones make a name display as something else ("RLO" turns
# "Nguyễn Văn An‮gnóuhP" around) or two names look equal while differing.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}  # only in multi-line text


def hidden_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The characters of `value` that are invisible or change how text is displayed."""
    allowed = _ALLOWED_CONTROLS if multiline else set()
    return [
        ch for ch in value if unicodedata.category(ch) in _HIDDEN_CATEGORIES and ch not in allowed
    ]


def validate_plain_text(value) -> None:
    """One-line text a person typed: letters, digits, punctuation and spaces only."""
    if isinstance(value, str) and hidden_characters(value):
        raise ValidationError(
            _(
                "The text contains hidden or control characters (for example from a copy "
                "and paste). Type it again."
            ),
            code="hidden_characters",
        )


def validate_date_range(value) -> None:
    if isinstance(value, dt.date) and not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise ValidationError(
            _("Enter a date between 01/01/1900 and 31/12/2100."), code="date_out_of_range"
        )


def validate_birth_date(value) -> None:
    if isinstance(value, dt.date) and not (EARLIEST_DATE <= value <= timezone.localdate()):
        raise ValidationError(
            _("Enter a date of birth between 01/01/1900 and today."), code="birth_date"
        )
