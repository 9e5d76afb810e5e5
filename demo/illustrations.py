"""Demo illustrations drawn locally with Pillow (nothing is downloaded): simple phone
screens and covers with Vietnamese text in the bundled DejaVu font."""

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from common.fonts import BOLD, REGULAR

PALETTE = {
    "blue": ((11, 83, 148), (230, 239, 248)),
    "green": ((30, 107, 47), (233, 245, 236)),
    "red": ((179, 38, 30), (253, 236, 234)),
    "amber": ((138, 90, 0), (253, 245, 230)),
}


def _font(size: int, *, bold: bool = False):
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


def phone_screen(*, title: str, lines: list[str], button: str = "", colour: str = "blue") -> bytes:
    """A 360×640 phone screenshot: an app bar, a few lines of text, an optional button."""
    accent, tint = PALETTE[colour]
    image = Image.new("RGB", (360, 640), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 360, 24), fill=(30, 30, 30))
    draw.text((12, 5), "9:41", font=_font(13), fill="white")
    draw.rectangle((0, 24, 360, 84), fill=accent)
    draw.text(
        (16, 40),
        textwrap.shorten(title, 28, placeholder="…"),
        font=_font(20, bold=True),
        fill="white",
    )
    y = 104
    for line in lines:
        wrapped = textwrap.wrap(line, 30) or [""]
        box_height = 16 + 26 * len(wrapped)
        draw.rounded_rectangle((16, y, 344, y + box_height), radius=10, fill=tint)
        for n, part in enumerate(wrapped):
            draw.text((28, y + 8 + 26 * n), part, font=_font(18), fill=(26, 26, 26))
        y += box_height + 12
    if button:
        draw.rounded_rectangle((16, 560, 344, 612), radius=12, fill=accent)
        width = draw.textlength(button, font=_font(20, bold=True))
        draw.text(((360 - width) / 2, 573), button, font=_font(20, bold=True), fill="white")
    return _png(image)


def cover(*, title: str, subtitle: str, colour: str = "blue") -> bytes:
    accent, tint = PALETTE[colour]
    image = Image.new("RGB", (1080, 450), tint)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, 450), fill=accent)
    draw.ellipse((900, 130, 1060, 290), fill=accent)
    y = 120
    for part in textwrap.wrap(title, 22):
        draw.text((70, y), part, font=_font(52, bold=True), fill=accent)
        y += 64
    draw.text(
        (70, y + 16),
        textwrap.shorten(subtitle, 48, placeholder="…"),
        font=_font(28),
        fill=(40, 40, 40),
    )
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
