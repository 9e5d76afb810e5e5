"""Public certificate codes: about 84 random bits, easy to type from paper or a phone.

18 characters from a 25-letter alphabet with no 0/O, 1/I/L, 2/Z, 5/S, 8/B, shown in three
groups of six: "K7QX4M-3RTWH9-PCDNA3". A typed code is normalised (case, spaces, dashes)
and looked up exactly: there is no "did you mean", so a near miss reveals nothing.
"""

import re
import secrets

ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 18  # 18 × log2(25) ≈ 83.6 bits

__all__ = ["ALPHABET", "LENGTH", "format_code", "new_code", "normalise_code"]


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 6] for i in range(0, len(code), 6))


def normalise_code(typed: str) -> str:
    return re.sub(r"[\s\-_.]", "", typed or "").upper()[:40]
