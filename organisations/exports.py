"""Spreadsheets the organisations screens hand out: the roster template, activation codes."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .roster import TEMPLATE_HEADERS

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value that spreadsheet programs show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def workbook_bytes(*, title: str, headers: list[str], rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_template() -> bytes:
    example = [
        ["Nguyễn Thị Ánh Tuyết", "0912 345 678", "VL-X01-T01", "Tổ trưởng", "", "15/08/1990"],
        ["Trần Văn Bình", "0987 654 321", "VL-X01-T01", "Thành viên", "binh@example.com", ""],
    ]
    return workbook_bytes(title="Danh sách thành viên", headers=TEMPLATE_HEADERS, rows=example)
