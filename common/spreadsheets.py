"""Reading uploaded tables (XLSX, CSV) as text and writing safe XLSX files.

Reading is bounded for files nobody should trust: the size, the archive's declared
uncompressed sizes and compression ratios, the sheets' declared dimensions, the rows,
columns and cells actually present, the shared strings (count and total length) and the
text kept are all checked while the file is streamed, before anything is expanded, so a
hostile file is refused in well under a second and a few megabytes. Refusals name the row
and column where a person can find them.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import nfc

__all__ = [
    "FILE_HAS_ERRORS",
    "MAX_FILE_BYTES",
    "NO_VALID_ROWS",
    "SpreadsheetError",
    "Table",
    "field_problem",
    "read_table",
    "safe_cell",
    "workbook_bytes",
    "xlsx_row",
]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 30
MAX_CELL_CHARS = 5_000
# All the text kept from one file, and the shared-string table openpyxl loads whole.
MAX_TEXT_CHARS = 4_000_000
MAX_SHARED_STRINGS = 150_000
# The archive: what its members declare once uncompressed (zipfile enforces the declared
# sizes while reading), and how much a large member may be compressed.
MAX_ARCHIVE_MEMBERS = 200
MAX_UNCOMPRESSED_BYTES = 48 * 1024 * 1024
MAX_SHEET_XML_BYTES = 16 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
MAX_OTHER_XML_BYTES = 8 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Blank rows tolerated below the last allowed row before the sheet counts as too long.
BLANK_ROWS_ALLOWED = 1_000
PROGRESS_EVERY = 1_000

# Shared by every preview-then-import screen.
FILE_HAS_ERRORS = gettext_lazy(
    "The file has rows with errors. Fix them and upload it again, "
    "or choose to import only the valid rows."
)
NO_VALID_ROWS = gettext_lazy("There is no valid row to import.")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 controls except tab, line feed and carriage return; DEL; C1 controls; the
# bidirectional overrides and isolates, which can make a cell display other than it reads.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class SpreadsheetError(ValidationError):
    """The file as a whole cannot be read: wrong type, too big, empty, too many rows, a
    cell that cannot be text."""


@dataclass
class Table:
    """A file's non-blank rows, header first: (row number as the spreadsheet shows it,
    cells as text)."""

    rows: list[tuple[int, list[str]]]

    @property
    def header(self) -> list[str]:
        return self.rows[0][1]

    @property
    def body(self) -> list[tuple[int, list[str]]]:
        return self.rows[1:]


def _column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def field_problem(text: str) -> str:
    """Why a cell's text cannot be stored (a control character), or ""."""
    found = _CONTROL.search(text)
    if not found:
        return ""
    return _("it contains an invisible control character (U+%(code)04X)") % {
        "code": ord(found.group())
    }


def _refuse(message: str, **params) -> SpreadsheetError:
    return SpreadsheetError(message % params if params else message)


def _too_many_rows(limit: int) -> SpreadsheetError:
    return _refuse(
        _("The file has more than %(limit)s rows; at most %(limit)s are allowed in one import."),
        limit=f"{limit:,}".replace(",", "."),
    )


def read_table(*, name: str, file, max_rows: int, progress=None) -> Table:
    """The file's cells as text, header row first, blank rows dropped (row numbers kept).
    Formulas are kept as their text, never evaluated. `file` is a binary file object (or
    bytes); `progress(rows_read)` is called every thousand rows. Raises SpreadsheetError."""
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size > MAX_FILE_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)s MB. Split it into smaller files."),
            limit=MAX_FILE_BYTES // (1024 * 1024),
        )
    lower = name.lower()
    reader = _Reader(max_rows=max_rows, progress=progress)
    if lower.endswith(".xlsx"):
        reader.read_xlsx(file)
    elif lower.endswith(".csv"):
        reader.read_csv(file.read(MAX_FILE_BYTES + 1))
    else:
        raise _refuse(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
    if not reader.rows:
        raise _refuse(_("The file is empty."))
    return Table(reader.rows)


class _Reader:
    def __init__(self, *, max_rows: int, progress):
        self.max_rows = max_rows
        self.max_position = max_rows + 1 + BLANK_ROWS_ALLOWED
        self.progress = progress
        self.rows: list[tuple[int, list[str]]] = []
        self.chars = 0

    # -- one row, whatever the format ---------------------------------------------------

    def add(self, number: int, values) -> None:
        cells = [_cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if not cells or not any(cells):
            return
        if len(cells) > MAX_COLUMNS:
            raise _refuse(
                _(
                    "Row %(row)s has a value in column %(column)s: at most %(limit)s columns "
                    "are read. Delete the columns after %(last)s."
                ),
                row=number,
                column=_column_letter(len(cells)),
                limit=MAX_COLUMNS,
                last=_column_letter(MAX_COLUMNS),
            )
        for index, cell in enumerate(cells, start=1):
            if len(cell) > MAX_CELL_CHARS:
                raise _refuse(
                    _(
                        "Row %(row)s, column %(column)s: the cell has %(length)s characters; "
                        "at most %(limit)s are allowed."
                    ),
                    row=number,
                    column=_column_letter(index),
                    length=f"{len(cell):,}".replace(",", "."),
                    limit=f"{MAX_CELL_CHARS:,}".replace(",", "."),
                )
            problem = field_problem(cell)
            if problem:
                raise _refuse(
                    _("Row %(row)s, column %(column)s: %(problem)s. Retype the cell."),
                    row=number,
                    column=_column_letter(index),
                    problem=problem,
                )
            self.chars += len(cell)
        if self.chars > MAX_TEXT_CHARS:
            raise _refuse(
                _("The file holds too much text (stopped at row %(row)s). Split it."),
                row=number,
            )
        if len(self.rows) > self.max_rows:  # the header and max_rows rows are in already
            raise _too_many_rows(self.max_rows)
        self.rows.append((number, cells))
        if self.progress and len(self.rows) % PROGRESS_EVERY == 0:
            self.progress(len(self.rows))

    # -- CSV ----------------------------------------------------------------------------

    def read_csv(self, content: bytes) -> None:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _refuse(
                _(
                    "Row %(row)s of the CSV file is not UTF-8 text. Save the file again as "
                    "“CSV UTF-8”."
                ),
                row=content[: error.start].count(b"\n") + 1,
            ) from error
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        records = csv.reader(io.StringIO(text, newline=""), dialect)
        number = 0
        while True:
            try:
                row = next(records)
            except StopIteration:
                break
            except csv.Error as error:
                if "field larger than field limit" in str(error):
                    raise _refuse(
                        _(
                            "Row %(row)s: a cell is longer than %(limit)s characters. Check "
                            "the row (a missing closing quote makes the rest of the file "
                            "one cell)."
                        ),
                        row=number + 1,
                        limit=f"{MAX_CELL_CHARS:,}".replace(",", "."),
                    ) from error
                raise _refuse(
                    _("Row %(row)s of the CSV file cannot be read: check its quotes."),
                    row=number + 1,
                ) from error
            number += 1
            if number > self.max_position:
                raise _too_many_rows(self.max_rows)
            self.add(number, row)

    # -- XLSX ---------------------------------------------------------------------------

    def read_xlsx(self, file) -> None:
        unreadable = _("This Excel file cannot be read. Save it again as .xlsx.")
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise _refuse(
                _(
                    "This is not an Excel file (.xlsx). Save the table as “Excel Workbook "
                    "(.xlsx)” or “CSV UTF-8” and upload it again."
                )
            ) from error
        with archive:
            self._check_archive(archive)
            try:
                for member in archive.infolist():
                    lower = member.filename.lower()
                    if lower.endswith("sharedstrings.xml"):
                        self._scan_shared_strings(archive, member)
                    elif lower.endswith((".xml", ".rels")):
                        self._scan_xml(archive, member)
            except SpreadsheetError:
                raise
            except (ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError) as error:
                raise _refuse(unreadable) from error
        file.seek(0)
        self._read_first_sheet(file, unreadable)

    def _check_archive(self, archive: zipfile.ZipFile) -> None:
        members = archive.infolist()
        too_big = _(
            "The Excel file unpacks to more than %(limit)s MB: it is not an ordinary table. "
            "Copy the values into the template and upload that."
        )
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise _refuse(_("This Excel file cannot be read. Save it again as .xlsx."))
        if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
            raise _refuse(too_big, limit=MAX_UNCOMPRESSED_BYTES // (1024 * 1024))
        for member in members:
            if member.flag_bits & 0x1:
                raise _refuse(_("The Excel file is protected by a password. Remove it first."))
            lower = member.filename.lower()
            if lower.endswith("sharedstrings.xml"):
                limit = MAX_SHARED_STRINGS_BYTES
            elif "worksheets/" in lower:
                limit = MAX_SHEET_XML_BYTES
            elif lower.endswith((".xml", ".rels")):
                limit = MAX_OTHER_XML_BYTES
            else:
                limit = MAX_UNCOMPRESSED_BYTES  # pictures: openpyxl does not read them here
            if member.file_size > limit:
                raise _refuse(too_big, limit=limit // (1024 * 1024))
            if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(
                member.compress_size, 1
            ):
                raise _refuse(too_big, limit=MAX_UNCOMPRESSED_BYTES // (1024 * 1024))

    def _scan_shared_strings(self, archive, member) -> None:
        """Count the strings openpyxl will load whole, without parsing or keeping them (the
        table's size is capped by MAX_SHEET_XML_BYTES, its text therefore too)."""
        count, tail = 0, b""
        with archive.open(member) as source:
            while block := source.read(1024 * 1024):
                data = tail + block
                count += data.count(b"<si>") + data.count(b"<si ")
                tail = data[-3:]  # a tag cut in two is counted with the next block
                if count > MAX_SHARED_STRINGS:
                    raise _refuse(
                        _("The file holds more than %(limit)s different texts. Split it."),
                        limit=f"{MAX_SHARED_STRINGS:,}".replace(",", "."),
                    )

    def _scan_xml(self, archive, member) -> None:
        """Rows, cells and the declared dimension of anything that may be a sheet, checked
        before openpyxl, which sizes a sheet from what it declares (one cell declared at
        XFD1048576 would make it fill a billion cells)."""
        row = column = 0
        has_value = False
        with archive.open(member) as source:
            for event, element in _events(source):
                tag = element.tag
                if event == "start":
                    if tag == _MAIN_NS + "row":
                        row = int(element.get("r") or row + 1)
                        column = 0
                        if row > self.max_position:
                            raise _too_many_rows(self.max_rows)
                    elif tag == _MAIN_NS + "c":
                        column = _reference(element.get("r"), column + 1)[1]
                        has_value = False
                elif tag in (_MAIN_NS + "v", _MAIN_NS + "t"):
                    has_value = has_value or bool(element.text)
                elif tag == _MAIN_NS + "c" and has_value and column > MAX_COLUMNS:
                    raise _refuse(
                        _(
                            "Row %(row)s has a value in column %(column)s: at most %(limit)s "
                            "columns are read. Delete the columns after %(last)s."
                        ),
                        row=row,
                        column=_column_letter(column),
                        limit=MAX_COLUMNS,
                        last=_column_letter(MAX_COLUMNS),
                    )
                elif tag == _MAIN_NS + "dimension":
                    self._check_dimension(element.get("ref", ""))

    def _check_dimension(self, reference: str) -> None:
        last = (reference or "A1").split(":")[-1]
        last_row, last_column = _reference(last, 1)
        if last_column > MAX_COLUMNS:
            raise _refuse(
                _(
                    "The sheet declares cells up to column %(column)s (cell %(cell)s): at most "
                    "%(limit)s columns are read. Copy the table into the template."
                ),
                column=_column_letter(last_column),
                cell=last,
                limit=MAX_COLUMNS,
            )
        if last_row > self.max_position:
            raise _too_many_rows(self.max_rows)

    def _read_first_sheet(self, file, unreadable: str) -> None:
        from openpyxl import load_workbook
        from openpyxl.utils.escape import unescape

        try:
            workbook = load_workbook(file, read_only=True, data_only=False, keep_links=False)
        except Exception as error:  # openpyxl raises many kinds on malformed files
            raise _refuse(unreadable) from error
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # checked above; read what is there, not what it says
            rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
            for number, values in enumerate(rows, start=1):
                if number > self.max_position:
                    raise _too_many_rows(self.max_rows)
                self.add(
                    number,
                    [unescape(v) if isinstance(v, str) and "_x" in v else v for v in values],
                )
        except SpreadsheetError:
            raise
        except Exception as error:
            raise _refuse(unreadable) from error
        finally:
            workbook.close()


def _reference(reference: str | None, default_column: int) -> tuple[int, int]:
    """ "XFD1048576" → (1048576, 16384)."""
    if not reference:
        return 0, default_column
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})", reference.strip())
    if not match:
        raise ValueError(reference)
    return int(match.group(2)), _column_index(match.group(1).upper())


def _events(source):
    """Stream an XML part and keep nothing: (event, element) pairs, each element dropped
    from its parent once the consumer has seen its end."""
    stack = []
    # expat (2.5 here) refuses entity-expansion bombs and ElementTree never fetches external
    # entities; sizes were checked from the archive before this.
    for event, element in ElementTree.iterparse(source, events=("start", "end")):  # noqa: S314
        if event == "start":
            stack.append(element)
            yield event, element
            continue
        stack.pop()
        yield event, element
        element.clear()
        if stack:
            stack[-1].remove(element)


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
