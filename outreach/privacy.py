"""Spotting residents' personal data in a free-text note, so it can be refused: phone
numbers, ID card numbers (9 or 12 digits), e-mail addresses and names after a Vietnamese
form of address ("bà Lan", "anh Nguyễn Văn Bình"). Pure functions."""

import re

from common.text import nfc

__all__ = ["looks_personal"]

# Nine digits or more, spaces, dots or dashes allowed between them: every mobile and
# landline number (with or without +84), CMND (9) and CCCD (12) numbers.
_LONG_NUMBER = re.compile(r"\d(?:[\s.\-]?\d){8,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ADDRESS_WORDS = "ông|bà|anh|chị|cô|chú|bác|cụ|em|dì|cậu|mợ|thím|dượng|thầy|chủ\\s+hộ|cháu|con"
_NAMED = re.compile(rf"(?<!\w)(?:{_ADDRESS_WORDS})\s+(\w+)", re.IGNORECASE)


def looks_personal(text: str) -> bool:
    text = nfc(text or "")
    if _LONG_NUMBER.search(text) or _EMAIL.search(text):
        return True
    # "bà con" (residents) is fine; "bà Lan" (a name) is not.
    return any(match.group(1)[:1].isupper() for match in _NAMED.finditer(text))
