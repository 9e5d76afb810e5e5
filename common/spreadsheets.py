"""Reading uploaded tables (XLSX, CSV) as text and writing safe XLSX files."""

import csv
import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import nfc

__all__ = [
    "FILE_HAS_ERRORS",
    "MAX_FILE_BYTES",
    "NO_VALID_ROWS",
    "SpreadsheetError",
    "read_table",
    "safe_cell",
    "workbook_bytes",
    "xlsx_row",
]

MAX_FILE_BYTES = 5 * 1024 * 1024

# Shared by every preview-then-import screen.
FILE_HAS_ERRORS = gettext_lazy(
    "The file has rows with errors. Fix them and upload it again, "
    "or choose to import only the valid rows."
)
NO_VALID_ROWS = gettext_lazy("There is no valid row to import.")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValidationError):
    """The file as a whole cannot be read: wrong type, too big, empty, too many rows."""


def read_table(*, name: str, content: bytes, max_rows: int) -> list[list[str]]:
    """The file's cells as text, header row first, blank rows dropped. Formulas are kept as
    their text, never evaluated."""
    if len(content) > MAX_FILE_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(limit)s MB. Split it into smaller files."),
            params={"limit": MAX_FILE_BYTES // (1024 * 1024)},
        )
    lower = name.lower()
    if lower.endswith(".xlsx"):
        table = _read_xlsx(content)
    elif lower.endswith(".csv"):
        table = _read_csv(content)
    else:
        raise SpreadsheetError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise SpreadsheetError(_("The file is empty."))
    if len(table) - 1 > max_rows:
        raise SpreadsheetError(
            _("The file has %(count)s rows; at most %(limit)s are allowed in one import."),
            params={"count": len(table) - 1, "limit": max_rows},
        )
    return table


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        # Excel drops the leading 0 of a phone number typed as a number.
        return "0" + text if len(text) == 9 and text[0] in "35789" else text
    return nfc(str(value)).strip()


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:
        raise SpreadsheetError(
            _("This Excel file cannot be read. Save it again as .xlsx.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_("The CSV file must be saved as UTF-8.")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[_cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def safe_cell(value):
    """For CSV: a value spreadsheet programs show as text, never run as a formula (a CSV
    has no cell types, so a leading quote is the only way). XLSX files use `xlsx_row`."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _xlsx_text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold


def xlsx_row(sheet, values) -> list:
    """Cells for `sheet.append` in which every text is an explicit text cell: "=1+1" or
    "+84912…" show exactly as written, never run as a formula, and carry no visible quote."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(sheet, value=value)
        cells.append(cell)
    return cells


def workbook_bytes(*, title: str, headers: list[str], rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
