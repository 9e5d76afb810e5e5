"""Vietnamese phone numbers, stored in one canonical form: +84 followed by the national number.

"0912 345 678", "+84 912 345 678", "84912345678" and "(+84) 912.345.678" are one number.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["InvalidPhoneNumber", "looks_like_phone", "normalize_phone"]

_SEPARATORS = re.compile(r"[\s.\-()/]")
# Mobile numbers have 9 digits after the 0 (03x, 05x, 07x, 08x, 09x);
# landlines have 10 (02x area codes).
_NATIONAL_NUMBER = re.compile(r"^(?:[35789]\d{8}|2\d{9})$")


class InvalidPhoneNumber(ValidationError):
    pass


def normalize_phone(raw: str) -> str:
    """Return "+84…" or raise InvalidPhoneNumber with a message fit to show the user."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidPhoneNumber(_("Enter a phone number."), code="required")
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("0084"):
        national = digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = None
    if national is not None and national.startswith("0"):
        national = national[1:]  # "+84 0912 ..." is a common way of writing it
    if national is None or not national.isascii() or not _NATIONAL_NUMBER.match(national):
        raise InvalidPhoneNumber(
            _(
                "“%(value)s” is not a valid Vietnamese phone number. "
                "Write it like 0912 345 678 or +84 912 345 678."
            ),
            code="invalid",
            params={"value": raw.strip()[:40]},
        )
    return "+84" + national


def looks_like_phone(value: str) -> bool:
    try:
        normalize_phone(value)
    except InvalidPhoneNumber:
        return False
    return True
