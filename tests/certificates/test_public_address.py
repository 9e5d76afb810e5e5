import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils (pdftoppm)")
def test_the_certificate_prints_and_encodes_base_url(completed, settings, tmp_path):
    from certificates import services
    from tests.certificates.test_certificates import pdf_text

    settings.BASE_URL = "https://hoc.example.gov.vn"
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    expected = f"https://hoc.example.gov.vn/verify/{certificate.code}/"
    assert expected in pdf_text(certificate).replace("\n", "")
    source = tmp_path / "c.pdf"
    with certificate.pdf.open("rb") as handle:
        source.write_bytes(handle.read())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(source), str(tmp_path / "page")],
        check=True,
    )
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))] == [expected]
