"""The chart that sets training beside the help that followed: per unit, the share of
members who completed the course (blue) and the residents helped per member (green), drawn
on the server as SVG like the other charts."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString

from .charts import BAR_COLOUR, LABEL_WIDTH, MUTED, WIDTH, _shorten, _svg

HELP_COLOUR = "#1e6b2f"
PAIR_HEIGHT = 40


def training_and_help(
    items: list[tuple[str, int, float]], *, title: str, first: str, second: str
) -> SafeString:
    """One pair of bars per unit: (label, share who completed 0–100, help per member). The
    second bar is scaled to the largest value shown."""
    if not items:
        return SafeString("")
    highest = max(per_member for _, _, per_member in items) or 1
    span = WIDTH - LABEL_WIDTH - 60
    legend = 22
    height = legend + PAIR_HEIGHT * len(items) + 6
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<rect x="4" y="6" width="10" height="10" fill="{BAR_COLOUR}"/>'
        f'<text x="18" y="15" font-size="11">{escape(first)}</text>'
        f'<rect x="{WIDTH // 2}" y="6" width="10" height="10" fill="{HELP_COLOUR}"/>'
        f'<text x="{WIDTH // 2 + 14}" y="15" font-size="11">{escape(second)}</text>',
    ]
    for n, (label, share, per_member) in enumerate(items):
        y = legend + n * PAIR_HEIGHT
        share_length = max(0.0, min(100.0, share)) * span / 100
        help_length = per_member * span / highest
        share_text, help_text = _number(share), _number(per_member)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 22}" text-anchor="end" font-size="12" '
            f'fill="{MUTED}"><title>{escape(label)}</title>{escape(_shorten(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{share_length:.1f}" height="14" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {share_text}%</title></rect>'
            f'<text x="{LABEL_WIDTH + share_length + 4:.1f}" y="{y + 15}" font-size="11">'
            f"{share_text}%</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 20}" width="{help_length:.1f}" height="14" '
            f'fill="{HELP_COLOUR}"><title>{escape(label)}: {help_text}</title></rect>'
            f'<text x="{LABEL_WIDTH + help_length + 4:.1f}" y="{y + 31}" font-size="11">'
            f"{help_text}</text>"
        )
    return _svg(parts)


def _number(value: float) -> str:
    """As the tables beside the chart print it: "13,5" in Vietnamese, "13.5" in English."""
    return number_format(f"{value:g}", use_l10n=True)
