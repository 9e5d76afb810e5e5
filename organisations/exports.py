"""Spreadsheets the organisations screens hand out: the roster template."""

from common.spreadsheets import workbook_bytes

from .roster import TEMPLATE_HEADERS


def roster_template() -> bytes:
    example = [
        ["Nguyễn Thị Ánh Tuyết", "0912 345 678", "VL-X01-T01", "Tổ trưởng", "", "15/08/1990"],
        ["Trần Văn Bình", "0987 654 321", "VL-X01-T01", "Thành viên", "binh@example.com", ""],
    ]
    return workbook_bytes(title="Danh sách thành viên", headers=TEMPLATE_HEADERS, rows=example)
