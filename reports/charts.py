"""Small SVG charts drawn on the server: no JavaScript, nothing to download, readable on a
360 px phone (the drawing is 360 units wide and scales with the page)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
LABEL_WIDTH = 130
ROW_HEIGHT = 26
BAR_COLOUR = "#0b5394"
MUTED = "#555"


def _shorten(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def horizontal_bars(
    items: list[tuple[str, float, str]], *, title: str, sublabels: list[str] | None = None
) -> SafeString:
    """One bar per item: (label, share 0–100, text written after the bar). `sublabels`
    adds a second, smaller line under each label (a quiz's course: the quizzes of two
    courses may share a title, and a cut label must still tell them apart)."""
    if not items:
        return SafeString("")
    row_height = ROW_HEIGHT + (12 if sublabels else 0)
    height = row_height * len(items) + 8
    span = WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for n, (label, share, text) in enumerate(items):
        y = 4 + n * row_height
        length = max(0.0, min(100.0, share)) * span / 100
        full = f"{label} ({sublabels[n]})" if sublabels else label
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" font-size="12" '
            f'fill="{MUTED}"><title>{escape(full)}</title>{escape(_shorten(label))}</text>'
        )
        if sublabels:
            parts.append(
                f'<text x="{LABEL_WIDTH - 6}" y="{y + 29}" text-anchor="end" font-size="10" '
                f'fill="{MUTED}">{escape(_shorten(sublabels[n], 24))}</text>'
            )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{span}" height="16" fill="#e8edf3"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="16" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + span + 4}" y="{y + 16}" font-size="12">{escape(text)}</text>'
        )
    return _svg(parts)


def columns(items: list[tuple[str, int]], *, title: str) -> SafeString:
    """Vertical columns over time: (label under the column, value)."""
    if not items:
        return SafeString("")
    height, base, top = 170, 140, 16
    highest = max(value for _, value in items) or 1
    step = (WIDTH - 20) / len(items)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="10" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#d0d5dc"/>',
    ]
    label_every = max(1, round(len(items) / 6))
    for n, (label, value) in enumerate(items):
        x = 10 + n * step
        bar = (base - top) * value / highest
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{base - bar:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="{BAR_COLOUR}"><title>{escape(label)}: {value}</title></rect>'
        )
        if value:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{base - bar - 3:.1f}" font-size="10" '
                f'text-anchor="middle">{value}</text>'
            )
        if n % label_every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{base + 16}" font-size="10" '
                f'text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
            )
    return _svg(parts)


def empty(message: str) -> SafeString:
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} 40" role="img" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="8" y="24" font-size="13" fill="{MUTED}">{escape(message)}</text>',
    ]
    return _svg(parts)


def _svg(parts: list[str]) -> SafeString:
    # Every text placed in the drawing went through escape(); numbers are formatted here.
    return mark_safe("".join([*parts, "</svg>"]))  # noqa: S308
