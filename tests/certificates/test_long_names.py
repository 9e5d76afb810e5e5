"""Names of any length fit on the certificate: shrunk, then wrapped, never cut off."""

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from accounts.models import User
from certificates import services

pytestmark = pytest.mark.django_db

LONG_NAMES = [
    "Công Tằng Tôn Nữ Thị Ngọc Bích Phương Hoàng Quỳnh Như",  # 50 characters
    "Nguyễn Lê Trần Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Thị Ánh Tuyết",
    "Tôn Thất " * 16 + "Khánh",  # 149 characters: as long as the column allows
]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize("name", LONG_NAMES)
def test_a_long_name_is_printed_whole_and_inside_the_page(completed, tmp_path, name):
    family, given = name.rsplit(" ", 1)
    User.objects.filter(pk=completed.completion.user_id).update(last_name=family, first_name=given)
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    assert certificate.full_name == name
    source = tmp_path / "c.pdf"
    with certificate.pdf.open("rb") as handle:
        source.write_bytes(handle.read())

    text = " ".join(PdfReader(source).pages[0].extract_text().split())
    assert name in text

    # Where each word really landed on the page (poppler's layout of the rendered PDF).
    html = subprocess.run(
        ["pdftotext", "-bbox", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    page_width = float(page.group(1))
    words = [
        (float(x0), float(x1), word)
        for x0, x1, word in re.findall(
            r'<word xMin="([\d.-]+)" yMin="[\d.-]+" xMax="([\d.-]+)" yMax="[\d.-]+">([^<]*)</word>',
            html,
        )
    ]
    name_words = set(name.split())
    placed = [w for w in words if w[2] in name_words]
    assert {w[2] for w in placed} == name_words
    margin = 32  # the inner frame of the default design
    assert all(margin <= x0 and x1 <= page_width - margin for x0, x1, _word in placed)
