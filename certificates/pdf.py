"""A4 landscape certificate PDF: ReportLab with the bundled DejaVu Sans (built-in fonts print
Vietnamese as boxes), a QR code to the verify page, and the verify address printed in full
so a reader can check the domain before trusting the code."""

import io

import segno
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from common.fonts import BOLD, REGULAR

from .models import Certificate

PAGE = landscape(A4)
BLUE = (11 / 255, 83 / 255, 148 / 255)
_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if not _fonts_registered:
        pdfmetrics.registerFont(TTFont("DejaVu", str(REGULAR)))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(BOLD)))
        _fonts_registered = True


def _image(field_file) -> ImageReader | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return ImageReader(io.BytesIO(handle.read()))
    except OSError:
        return None


def _wrap(text: str, font: str, size: int, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def _fit(text: str, font: str, *, size: float, smallest: float, width: float, height: float):
    """(font size, lines) that show the whole of `text` within `width` and, once it must
    wrap, within `height`: the size shrinks to `smallest` on one line first, then the text
    wraps at sizes down to 8 pt. Nothing is ever cut off."""
    current = size
    while current > smallest and pdfmetrics.stringWidth(text, font, current) > width:
        current -= 1
    if pdfmetrics.stringWidth(text, font, current) <= width:
        return current, [text]
    while True:
        lines = _wrap_long(text, font, current, width)
        if current <= 8 or len(lines) * current * 1.15 <= height:
            return current, lines
        current -= 1


def _wrap_long(text: str, font: str, size: float, width: float) -> list[str]:
    """Like _wrap, but a single word wider than the line is split too."""
    lines: list[str] = []
    for line in _wrap(text, font, size, width):
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line)
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def _draw_fitted(pdf, text: str, font: str, *, centre: float, y: float, **fit) -> None:
    """`text` centred on `y` (its first line's baseline when it fits on one)."""
    size, lines = _fit(text, font, **fit)
    pdf.setFont(font, size)
    step = size * 1.15
    top = y + (len(lines) - 1) * step / 2
    for n, line in enumerate(lines):
        pdf.drawCentredString(centre, top - n * step, line)


def wording_text(certificate: Certificate) -> str:
    date = timezone.localtime(certificate.issued_at).strftime("%d/%m/%Y")
    return (
        certificate.wording.replace("{ho_ten}", certificate.full_name)
        .replace("{khoa_hoc}", certificate.course_title)
        .replace("{don_vi}", certificate.unit_name)
        .replace("{ngay_cap}", date)
    )


def render_pdf(certificate: Certificate, *, verify_url: str, images: dict | None = None) -> bytes:
    """`images` may hold pre-read "background", "signature" and "seal" ImageReaders (bulk runs)."""
    _register_fonts()
    width, height = PAGE
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=PAGE, pageCompression=1)
    pdf.setTitle(f"Chứng nhận {certificate.display_code}")
    pdf.setAuthor(certificate.issuing_organisation or "digiskills")
    template = certificate.template
    if images is None:
        images = {
            "background": _image(template.background_image.file)
            if template and template.background_image
            else None,
            "signature": _image(template.signature_image.file)
            if template and template.signature_image
            else None,
            "seal": _image(template.seal_image.file) if template and template.seal_image else None,
        }
    if images.get("background"):
        pdf.drawImage(
            images["background"], 0, 0, width, height, preserveAspectRatio=False, mask="auto"
        )
    else:
        pdf.setStrokeColorRGB(*BLUE)
        pdf.setLineWidth(4)
        pdf.rect(24, 24, width - 48, height - 48)
        pdf.setLineWidth(1)
        pdf.rect(32, 32, width - 64, height - 64)

    centre = width / 2
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont("DejaVu-Bold", 14)
    pdf.drawCentredString(centre, height - 80, certificate.issuing_organisation.upper())
    pdf.setFillColorRGB(*BLUE)
    pdf.setFont("DejaVu-Bold", 34)
    pdf.drawCentredString(centre, height - 140, certificate.heading)
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont("DejaVu", 15)
    pdf.drawCentredString(centre, height - 180, "Chứng nhận Ông/Bà")
    # Names of any length fit: a long one is printed smaller, then on two lines or more.
    _draw_fitted(
        pdf,
        certificate.full_name,
        "DejaVu-Bold",
        centre=centre,
        y=height - 216,
        size=28,
        smallest=16,
        width=width - 140,
        height=42,
    )
    if certificate.unit_name:
        _draw_fitted(
            pdf,
            certificate.unit_name,
            "DejaVu",
            centre=centre,
            y=height - 250,
            size=14,
            smallest=9,
            width=width - 140,
            height=20,
        )
    pdf.setFont("DejaVu", 15)
    y = height - 290
    for line in _wrap(wording_text(certificate), "DejaVu", 15, width - 220):
        pdf.drawCentredString(centre, y, line)
        y -= 22

    issued = timezone.localtime(certificate.issued_at).strftime("%d/%m/%Y")
    expires = (
        timezone.localtime(certificate.expires_at).strftime("%d/%m/%Y")
        if certificate.expires_at
        else None
    )
    pdf.setFont("DejaVu", 12)
    pdf.drawString(70, 150, f"Số chứng nhận: {certificate.display_code}")
    pdf.drawString(70, 132, f"Ngày cấp: {issued}")
    pdf.drawString(70, 114, f"Có giá trị đến: {expires}" if expires else "Không thời hạn")

    qr = segno.make(verify_url, error="m")
    qr_png = io.BytesIO()
    qr.save(qr_png, kind="png", scale=4, border=2)
    qr_png.seek(0)
    pdf.drawImage(ImageReader(qr_png), 70, 170 - 10, 100, 100)
    pdf.setFont("DejaVu", 9)
    pdf.drawString(70, 96, "Kiểm tra tại / Verify at:")
    pdf.drawString(70, 84, verify_url)

    signature_x = width - 250
    pdf.setFont("DejaVu-Bold", 13)
    pdf.drawCentredString(signature_x, 200, certificate.signatory_title.upper())
    if images.get("seal"):
        pdf.drawImage(
            images["seal"], signature_x - 110, 95, 100, 100, mask="auto", preserveAspectRatio=True
        )
    if images.get("signature"):
        pdf.drawImage(
            images["signature"],
            signature_x - 60,
            110,
            120,
            60,
            mask="auto",
            preserveAspectRatio=True,
        )
    pdf.setFont("DejaVu-Bold", 14)
    pdf.drawCentredString(signature_x, 90, certificate.signatory_name)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
