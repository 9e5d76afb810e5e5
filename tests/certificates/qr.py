"""Read the QR codes printed on a certificate's PDF, as a phone would see the page."""

import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

needs_pdftoppm = pytest.mark.skipif(
    not shutil.which("pdftoppm"), reason="needs poppler-utils (pdftoppm); .ci/run installs it"
)


def qr_texts(certificate, folder) -> list[str]:
    source = folder / f"{certificate.code}.pdf"
    with certificate.pdf.open("rb") as handle:
        source.write_bytes(handle.read())
    page = folder / f"{certificate.code}-page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(source), str(page)], check=True
    )
    return [code.text for code in zxingcpp.read_barcodes(Image.open(f"{page}.png"))]
