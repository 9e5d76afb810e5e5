"""Reading and checking roster files (XLSX or CSV). Nothing here writes to the database.

A roster has one row per member: full name, phone, unit code, role, and optionally email
and date of birth. Headers may be Vietnamese (as in the downloadable template) or English,
with or without accents.

The check refuses every row the import could not write: each value is validated with the
model field it goes into (its length, an e-mail's format and length), phone numbers must be
unique in the file and may not belong to an account outside the importer's area, so a file
that passes the check cannot fail half-way through the import.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User, split_full_name
from accounts.phone import InvalidPhoneNumber, normalize_phone
from common import spreadsheets
from common.spreadsheets import MAX_FILE_BYTES, Table
from common.spreadsheets import SpreadsheetError as RosterFileError
from common.text import fold
from common.validators import validate_plain_text

from .models import OrgUnit, Role, UnitKind

MAX_ROWS = 20_000

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "RosterFileError", "check_roster", "read_table"]

COLUMNS = {
    "full_name": gettext_lazy("Full name"),
    "phone": gettext_lazy("Phone number"),
    "unit_code": gettext_lazy("Unit code"),
    "role": gettext_lazy("Role"),
    "email": gettext_lazy("Email"),
    "date_of_birth": gettext_lazy("Date of birth"),
}
TEMPLATE_HEADERS = ["Họ và tên", "Số điện thoại", "Mã đơn vị", "Vai trò", "Email", "Ngày sinh"]
_HEADER_ALIASES = {
    "full_name": {"ho va ten", "ho ten", "full name", "full_name", "name", "ten"},
    "phone": {"so dien thoai", "dien thoai", "sdt", "phone", "phone number", "mobile"},
    "unit_code": {"ma don vi", "ma to", "unit code", "unit_code", "unit"},
    "role": {"vai tro", "chuc vu", "role"},
    "email": {"email", "thu dien tu", "e-mail"},
    "date_of_birth": {"ngay sinh", "date of birth", "date_of_birth", "dob", "birthday"},
}
REQUIRED = ("full_name", "phone", "unit_code")
_ROLE_ALIASES = {
    "": Role.MEMBER,
    "thanh vien": Role.MEMBER,
    "member": Role.MEMBER,
    "to truong": Role.LEADER,
    "leader": Role.LEADER,
    "team leader": Role.LEADER,
    "to pho": Role.DEPUTY,
    "deputy": Role.DEPUTY,
}


@dataclass
class RosterCheck:
    total_rows: int = 0
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def read_table(*, name: str, file, progress=None) -> Table:
    return spreadsheets.read_table(name=name, file=file, max_rows=MAX_ROWS, progress=progress)


def field_error(model, name: str, value) -> str:
    """What the model field `name` says about `value` (its length, format…), or ""."""
    field = model._meta.get_field(name)
    try:
        field.clean(value, None)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _map_headers(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = fold(title).replace("*", "").strip()
        for column, aliases in _HEADER_ALIASES.items():
            if key in aliases and column not in positions:
                positions[column] = index
    missing = [str(COLUMNS[column]) for column in REQUIRED if column not in positions]
    if missing:
        raise RosterFileError(
            _(
                "The header row must contain the columns: %(columns)s. "
                "Download the template to see them."
            ),
            params={"columns": ", ".join(missing)},
        )
    return positions


def _parse_date(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def check_roster(*, table: Table, visible_units, visible_members) -> RosterCheck:
    """Every row checked; errors carry the row number as the spreadsheet shows it."""
    positions = _map_headers(table.header)
    result = RosterCheck(total_rows=len(table.body))

    def cell(row: list[str], column: str) -> str:
        index = positions.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    codes = {cell(row, "unit_code").upper() for _number, row in table.body}
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}
    visible_ids = set(visible_units.filter(code__in=codes).values_list("pk", flat=True))
    phones: dict[str, int] = {}
    parsed: list[tuple[int, dict]] = []

    for number, row in table.body:
        errors: list[tuple[str, str]] = []
        full_name = " ".join(cell(row, "full_name").split())
        if not full_name:
            errors.append(("full_name", _("The full name is missing.")))
        try:
            validate_plain_text(full_name)
        except ValidationError as error:
            errors.append(("full_name", error.messages[0]))
        last_name, first_name = split_full_name(full_name)
        for name, value in (("last_name", last_name), ("first_name", first_name)):
            problem = value and field_error(User, name, value)
            if problem:
                label = User._meta.get_field(name).verbose_name
                errors.append(("full_name", f"{str(label).capitalize()}: {problem}"))
        phone = ""
        try:
            phone = normalize_phone(cell(row, "phone"))
        except InvalidPhoneNumber as error:
            errors.append(("phone", error.messages[0]))
        else:
            problem = field_error(User, "phone", phone)
            if problem:
                errors.append(("phone", problem))
        if phone and phone in phones:
            errors.append(
                ("phone", _("The same phone number is on row %(row)s.") % {"row": phones[phone]})
            )
        elif phone:
            phones[phone] = number
        code = cell(row, "unit_code").upper()
        unit = units.get(code)
        if not code:
            errors.append(("unit_code", _("The unit code is missing.")))
        elif unit is None:
            errors.append(
                ("unit_code", _("There is no unit with the code %(code)s.") % {"code": code})
            )
        elif unit.pk not in visible_ids:
            errors.append(
                ("unit_code", _("The unit %(code)s is outside your area.") % {"code": code})
            )
        elif unit.kind != UnitKind.TEAM:
            errors.append(("unit_code", _("The unit %(code)s is not a team.") % {"code": code}))
        elif not unit.is_current:
            errors.append(
                (
                    "unit_code",
                    _("The unit %(code)s was merged and is no longer in use.") % {"code": code},
                )
            )
        role = _ROLE_ALIASES.get(fold(cell(row, "role")))
        if role is None:
            errors.append(
                (
                    "role",
                    _("Unknown role “%(role)s”: use Thành viên, Tổ trưởng or Tổ phó.")
                    % {"role": cell(row, "role")},
                )
            )
        email = cell(row, "email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    (
                        "email",
                        _("“%(email)s” is not a valid email address.")
                        % {"email": email if len(email) <= 80 else email[:80] + "…"},
                    )
                )
            else:
                problem = field_error(User, "email", email)
                if problem:
                    errors.append(("email", problem))
        birth = cell(row, "date_of_birth")
        date_of_birth = None
        if birth:
            try:
                date_of_birth = _parse_date(birth)
                if not dt.date(1900, 1, 1) < date_of_birth < dt.date.today():
                    raise ValueError(birth)
            except ValueError:
                errors.append(
                    (
                        "date_of_birth",
                        _("“%(value)s” is not a valid date of birth (dd/mm/yyyy).")
                        % {"value": birth},
                    )
                )
        for column, message in errors:
            result.errors.append(
                {"row": number, "column": str(COLUMNS[column]), "message": message}
            )
        if not errors:
            parsed.append(
                (
                    number,
                    {
                        "row": number,
                        "full_name": full_name,
                        "phone": phone,
                        "unit_id": unit.pk,
                        "unit_code": code,
                        "role": str(role),
                        "email": email,
                        "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
                    },
                )
            )

    # A phone that already belongs to someone the importer cannot see, or to staff, is a clash.
    existing = dict(
        User.objects.filter(phone__in=[r["phone"] for _n, r in parsed]).values_list("phone", "pk")
    )
    visible = set(visible_members.filter(pk__in=existing.values()).values_list("pk", flat=True))
    staff = set(
        User.objects.filter(pk__in=existing.values(), is_staff=True).values_list("pk", flat=True)
    )
    staff |= set(
        User.objects.filter(pk__in=existing.values(), is_superuser=True).values_list(
            "pk", flat=True
        )
    )
    for number, row in parsed:
        owner = existing.get(row["phone"])
        if owner is not None and (owner not in visible or owner in staff):
            result.errors.append(
                {
                    "row": number,
                    "column": str(COLUMNS["phone"]),
                    "message": _("This phone number belongs to an account outside your area."),
                }
            )
        else:
            result.rows.append(row)
    result.errors.sort(key=lambda error: error["row"])
    return result
