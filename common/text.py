"""Vietnamese text handling: NFC storage, accent folding for search, slugs that keep đ."""

import re
import unicodedata

from django.utils.text import slugify

__all__ = ["clean_query", "fold", "nfc", "slugify_vi"]

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(value: str) -> str:
    """Compose Vietnamese text: some keyboards and browsers send it decomposed (NFD)."""
    return unicodedata.normalize("NFC", value) if value else value


def clean_query(value, *, limit: int = 100) -> str:
    """What a search box sent, ready to search with: NFC, without invisible or control
    characters (zero-width, bidi overrides, NUL), single spaces, at most `limit` characters."""
    text = nfc(str(value or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace())
    return " ".join(text.split())[:limit]


def fold(value: str) -> str:
    """Lower-case, accent-free form for search: "Lừa Đảo" -> "lua dao".

    NFD does not decompose đ/Đ, so they are mapped explicitly.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


def slugify_vi(value: str) -> str:
    """ASCII slug that keeps Vietnamese meaning: "Đi chợ" -> "di-cho" (Django gives "i-cho")."""
    return slugify(nfc(value).translate(_D_MAP))
