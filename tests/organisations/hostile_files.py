# ruff: noqa: E501 - the parts of an XLSX package are long XML lines
"""Files an attacker (or an unlucky administrator) might upload, built in memory in well
under a second each."""

import io
import zipfile

from openpyxl import Workbook

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ["Họ và tên", "Số điện thoại", "Mã đơn vị", "Vai trò"]


def _header_row() -> str:
    cells = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for letter, text in zip("ABCD", HEADER, strict=True)
    )
    return f'<row r="1">{cells}</row>'


def _package(archive: zipfile.ZipFile) -> None:
    """The parts that make a zip an XLSX workbook, its sheet aside."""
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    archive.writestr("_rels/.rels", _RELS)
    archive.writestr("xl/workbook.xml", _WORKBOOK)
    archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)


def workbook(sheet_rows: str, *, dimension: str = "", shared_strings: bytes = b"") -> bytes:
    """An XLSX assembled by hand: what any program (or attacker) may write."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">{dim}'
        f"<sheetData>{_header_row()}{sheet_rows}</sheetData></worksheet>"
    ).encode()
    strings = shared_strings or f'<sst xmlns="{_MAIN}" count="0" uniqueCount="0"/>'.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _package(archive)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", strings)
    return buffer.getvalue()


def million_rows() -> bytes:
    """A few MB that unpack to a million rows (no dimension: nothing declares the size)."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, 1_000_002))
    return workbook(rows)


def many_rows_small_dimension() -> bytes:
    """100,000 rows under the archive limits, with a dimension that lies (A1:D10)."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 100_002))
    return workbook(rows, dimension="A1:D10")


def far_cell() -> bytes:
    """One cell at XFD1048576: a few KB that declare 17 billion cells."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def far_cell_without_dimension() -> bytes:
    return workbook('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def huge_shared_strings() -> bytes:
    """A small workbook whose shared-string table unpacks to 15 MB of text."""
    text = "A" * 5_000_000
    strings = f'<sst xmlns="{_MAIN}">' + f"<si><t>{text}</t></si>" * 3 + "</sst>"
    return workbook(
        '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', shared_strings=strings.encode()
    )


def many_shared_strings() -> bytes:
    """Two hundred thousand short texts, under the size limits."""
    strings = (
        f'<sst xmlns="{_MAIN}">'
        + "".join(f"<si><t>{n}</t></si>" for n in range(200_000))
        + "</sst>"
    )
    return workbook(
        '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', shared_strings=strings.encode()
    )


def zip_bomb() -> bytes:
    """A sheet that unpacks to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _package(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(200):
                sheet.write(block)
    return buffer.getvalue()


def escaped_nul() -> bytes:
    """A NUL character written the way Excel escapes it in XML (_x0000_)."""
    return workbook(
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Nguyễn_x0000_Văn</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>0912345678</t></is></c></row>'
    )


def long_csv_field() -> bytes:
    return ("Họ và tên,Số điện thoại,Mã đơn vị\n" + "A" * 140_000 + ",0912345678,T1\n").encode()


def csv_with_nul() -> bytes:
    return "Họ và tên,Số điện thoại,Mã đơn vị\nNguyễn\x00Văn,0912345678,T1\n".encode()


def latin1_csv() -> bytes:
    return "Họ và tên,Số điện thoại,Mã đơn vị\n".encode() + "Nguyễn Văn Đức,0912345678,T1\n".encode(
        "cp1258", errors="replace"
    ).replace(b"?", b"\xe9")


def not_a_spreadsheet() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
