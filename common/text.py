"""Vietnamese text handling: NFC storage, accent folding for search, slugs that keep đ."""

import re
import unicodedata

from django import forms
from django.utils.text import slugify

__all__ = [
    "SLUG_FORMATTERS",
    "VietnameseSlugField",
    "clean_query",
    "fold",
    "highlight",
    "nfc",
    "slugify_vi",
]

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


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch.translate(_D_MAP))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def highlight(text: str, words: list[str]) -> str:
    """`text` escaped, with every accent-insensitive match of the (folded) `words` wrapped
    in <mark>: "lua" marks "Lừa" in "Lừa đảo". Returns safe HTML."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    text = nfc(text or "")
    folded, origin = [], []
    for index, ch in enumerate(text):
        for part in _fold_char(ch):
            folded.append(part)
            origin.append(index)
    haystack = "".join(folded)
    spans = []
    for word in {w for w in words if w}:
        start = haystack.find(word)
        while start != -1:
            spans.append((origin[start], origin[start + len(word) - 1] + 1))
            start = haystack.find(word, start + len(word))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    html, position = [], 0
    for start, end in merged:
        html.append(escape(text[position:start]))
        html.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    html.append(escape(text[position:]))
    return mark_safe("".join(html))  # noqa: S308 - every piece of text went through escape()


def slugify_vi(value: str) -> str:
    """ASCII slug that keeps Vietnamese meaning: "Đi chợ" -> "di-cho" (Django gives "i-cho")."""
    return slugify(nfc(value).translate(_D_MAP))


# The admin's slug helper (Wagtail's `w-slug` controller) transliterates with tables made for
# other languages: "Lừa đảo" became "la-djo". These replacements run first, in the browser,
# so it slugifies as `slugify_vi` does on the server: accents off, đ → d.
SLUG_FORMATTERS = [
    ("[\u0300-\u036f]", ""),  # combining accents of text typed decomposed (NFD)
    (re.compile("[àáạảãâầấậẩẫăằắặẳẵ]", re.IGNORECASE), "a"),
    (re.compile("[èéẹẻẽêềếệểễ]", re.IGNORECASE), "e"),
    (re.compile("[ìíịỉĩ]", re.IGNORECASE), "i"),
    (re.compile("[òóọỏõôồốộổỗơờớợởỡ]", re.IGNORECASE), "o"),
    (re.compile("[ùúụủũưừứựửữ]", re.IGNORECASE), "u"),
    (re.compile("[ỳýỵỷỹ]", re.IGNORECASE), "y"),
    (re.compile("[đ]", re.IGNORECASE), "d"),
]


class VietnameseSlugField(forms.SlugField):
    """A slug form field that accepts what a trainer types ("Lừa đảo qua mã QR") and keeps
    its meaning (`lua-dao-qua-ma-qr`), instead of refusing it as an invalid slug."""

    def to_python(self, value):
        value = super().to_python(value)
        return slugify_vi(value) if value else value
