import pytest

from tests.certificates.qr import needs_pdftoppm, qr_texts

pytestmark = pytest.mark.django_db


@needs_pdftoppm
def test_the_certificate_prints_and_encodes_base_url(completed, settings, tmp_path):
    from certificates import services
    from tests.certificates.test_certificates import pdf_text

    settings.BASE_URL = "https://hoc.example.gov.vn"
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    expected = f"https://hoc.example.gov.vn/verify/{certificate.code}/"
    assert expected in pdf_text(certificate).replace("\n", "")
    assert qr_texts(certificate, tmp_path) == [expected]
