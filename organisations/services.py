from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import NoReturn

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.authority import require_authority, require_not_erased
from accounts.models import ActivationCode, User, generate_activation_code, split_full_name
from accounts.phone import normalize_phone
from accounts.services import issue_activation_code
from common import imports, jobs
from common.text import nfc
from common.validators import hidden_characters, validate_birth_date

from . import roster
from .authority import UNIT_ADMINS_GROUP, actable_member_ids, authority_of, may_grant
from .models import (
    SCOPE_ROLES,
    TEAM_ROLES,
    Membership,
    OrgUnit,
    Role,
    RosterImport,
    UnitKind,
    UnitPlacement,
    check_parent_kind,
)
from .selectors import members_visible_to, units_visible_to
from .signals import units_merged

__all__ = [
    "UNIT_ADMINS_GROUP",
    "add_member",
    "assign_role",
    "check_roster_file",
    "confirm_roster_import",
    "create_unit",
    "end_membership",
    "merge_units",
    "run_roster_job",
    "set_member_active",
    "update_member",
    "upload_roster_file",
]


def _require_in_scope(*, by: User, unit: OrgUnit) -> None:
    if not units_visible_to(by).filter(pk=unit.pk).exists():
        raise ValidationError(_("This unit is outside your area."), code="out_of_scope")


def _require_may_grant(*, by: User, unit: OrgUnit, role: str) -> None:
    if not may_grant(by, unit=unit, role=role):
        raise ValidationError(
            _("You can only give roles below your own, in units of your area."), code="rank"
        )


@transaction.atomic
def create_unit(
    *,
    parent: OrgUnit | None,
    kind: str,
    name: str,
    code: str,
    local_label: str = "",
    valid_from: date | None = None,
) -> OrgUnit:
    check_parent_kind(kind=kind, parent=parent)
    name, code = nfc(name).strip(), code.strip().upper()
    if not name:
        raise ValidationError(_("Enter the unit's name."), code="required")
    if not code:
        raise ValidationError(_("Enter the unit's code."), code="required")
    if OrgUnit.objects.filter(code=code).exists():
        raise ValidationError(
            _("The code %(code)s is already used."), code="duplicate", params={"code": code}
        )
    fields: dict[str, str | date] = {
        "kind": kind,
        "name": name,
        "code": code,
        "local_label": local_label,
    }
    if valid_from:
        fields["valid_from"] = valid_from
    unit = OrgUnit(**fields)
    return parent.add_child(instance=unit) if parent else OrgUnit.add_root(instance=unit)


@transaction.atomic
def merge_units(*, source: OrgUnit, target: OrgUnit, on: date | None = None) -> OrgUnit:
    """Merge `source` into `target` on `on`: sub-units and current memberships move, history
    stays. `source` keeps its old memberships (ended on the merge date), gets `valid_to` and
    points to `target` as its successor; each sub-unit keeps its former placement under
    `source`, so reports for dates before the merger show the units as they were."""
    today = timezone.localdate()
    on = on or today
    source = OrgUnit.objects.select_for_update().get(pk=source.pk)
    target = OrgUnit.objects.select_for_update().get(pk=target.pk)
    if source.pk == target.pk:
        raise ValidationError(_("A unit cannot be merged into itself."), code="same_unit")
    if source.kind != target.kind:
        raise ValidationError(
            _("Only units of the same kind can be merged."), code="different_kind"
        )
    if target.path.startswith(source.path):
        raise ValidationError(
            _("A unit cannot be merged into one of its own sub-units."), code="inside"
        )
    if not source.is_current or not target.is_current:
        raise ValidationError(_("Both units must still be in use."), code="ended")
    children = list(source.get_children())
    memberships = list(
        Membership.objects.filter(unit=source, ended_on__isnull=True).select_related("user")
    )
    _check_merge_date(
        on=on, today=today, source=source, target=target, children=children, memberships=memberships
    )

    placed_since = _placed_since(children)
    for child in children:
        since = max(child.valid_from, placed_since.get(child.pk, child.valid_from))
        if since < on:  # a unit moved on again the same day was never anywhere in between
            UnitPlacement.objects.create(unit=child, parent=source, valid_from=since, valid_to=on)
        OrgUnit.objects.get(pk=child.pk).move(target, pos="last-child")

    for membership in memberships:
        membership.ended_on = on
        membership.save(update_fields=["ended_on"])
        Membership.objects.get_or_create(
            user=membership.user,
            unit=target,
            role=membership.role,
            ended_on=None,
            defaults={"started_on": on, "affiliation": membership.affiliation},
        )

    source.refresh_from_db()
    source.valid_to = on
    source.successor = target
    source.save(update_fields=["valid_to", "successor"])
    transaction.on_commit(
        lambda: units_merged.send(sender=OrgUnit, source_id=source.pk, target_id=target.pk)
    )
    return source


def _placed_since(units: list[OrgUnit]) -> dict[int, date]:
    """Since when each unit has been where it is: its last move, else its creation."""
    moved = (
        UnitPlacement.objects.filter(unit__in=units)
        .values("unit_id")
        .annotate(last=Max("valid_to"))
    )
    return {row["unit_id"]: row["last"] for row in moved}


def _check_merge_date(
    *,
    on: date,
    today: date,
    source: OrgUnit,
    target: OrgUnit,
    children: list[OrgUnit],
    memberships: list[Membership],
) -> None:
    """A merger happens on a day when both units, each sub-unit where it is and each
    membership that moves already existed, and not in the future (it takes effect now)."""

    def refuse(message: str, **params: object) -> NoReturn:
        params = {
            k: v.strftime("%d/%m/%Y") if isinstance(v, date) else v for k, v in params.items()
        }
        raise ValidationError(message, code="merge_date", params=params)

    if on > today:
        refuse(
            _("The merger date cannot be in the future: a merger takes effect when you confirm it.")
        )
    for unit in (source, target):
        if on < unit.valid_from:
            refuse(
                _("%(name)s only exists since %(since)s: the merger date cannot be earlier."),
                name=unit.name,
                since=unit.valid_from,
            )
    placed_since = _placed_since(children)
    for child in children:
        since = max(child.valid_from, placed_since.get(child.pk, child.valid_from))
        if on < since:
            refuse(
                _(
                    "The sub-unit %(name)s is only in %(source)s since %(since)s: the merger "
                    "date cannot be earlier."
                ),
                name=child.name,
                source=source.name,
                since=since,
            )
    latest = max(memberships, key=lambda m: m.started_on, default=None)
    if latest is not None and on < latest.started_on:
        refuse(
            _(
                "%(person)s only belongs to %(source)s since %(since)s: the merger date cannot "
                "be earlier."
            ),
            person=latest.user.full_name or latest.user.username,
            source=source.name,
            since=latest.started_on,
        )


def _clean_person(
    *, full_name: str, phone: str, email: str = "", exclude_pk: int | None = None
) -> tuple[str, str, str]:
    full_name = " ".join(nfc(full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter the full name.")})
    family, given = split_full_name(full_name)
    if hidden_characters(full_name) or hidden_characters(email or ""):
        raise ValidationError(
            {"full_name": _("The name contains hidden or control characters. Type it again.")}
        )
    if max(len(family), len(given)) > 150:
        raise ValidationError({"full_name": _("The name is too long.")})
    if len((email or "").strip()) > 254:
        raise ValidationError({"email": _("The email address is too long.")})
    phone = normalize_phone(phone)
    clash = User.objects.filter(phone=phone)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"phone": _("Another account already uses this phone number.")})
    return full_name, phone, (email or "").strip()


def _sync_unit_admins_group(user: User) -> None:
    """Access to the admin follows the roles: administrators, team leaders and the trainers
    of a unit (who run its in-person sessions) have it."""
    group, _created = Group.objects.get_or_create(name=UNIT_ADMINS_GROUP)
    roles = (*SCOPE_ROLES, Role.TRAINER)
    if Membership.objects.current().filter(user=user, role__in=roles).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def add_member(
    *,
    by: User,
    unit: OrgUnit,
    full_name: str,
    phone: str,
    email: str = "",
    date_of_birth: date | None = None,
    role: str = Role.MEMBER,
) -> User:
    """Create a member in a team, with a one-time activation code for their first login."""
    _require_in_scope(by=by, unit=unit)
    _require_may_grant(by=by, unit=unit, role=role)
    full_name, phone, email = _clean_person(full_name=full_name, phone=phone, email=email)
    if date_of_birth is not None:
        validate_birth_date(date_of_birth)
    last_name, first_name = split_full_name(full_name)
    user = User(
        username=_username_for(phone),
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        email=email,
        date_of_birth=date_of_birth,
    )
    user.set_unusable_password()
    user.save()
    _assign_role(user=user, unit=unit, role=role)  # a new person: nobody else's yet
    issue_activation_code(user=user)
    return user


def _username_for(phone: str) -> str:
    """Members' usernames are their national phone number ("0912345678")."""
    base = "0" + phone.removeprefix("+84")
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def update_member(
    *,
    by: User,
    member: User,
    full_name: str,
    phone: str,
    email: str = "",
    date_of_birth: date | None = None,
) -> User:
    require_authority(by=by, target=member)
    full_name, phone, email = _clean_person(
        full_name=full_name, phone=phone, email=email, exclude_pk=member.pk
    )
    if date_of_birth is not None:
        validate_birth_date(date_of_birth)
    member.last_name, member.first_name = split_full_name(full_name)
    member.phone, member.email, member.date_of_birth = phone, email, date_of_birth
    member.save(update_fields=["first_name", "last_name", "phone", "email", "date_of_birth"])
    return member


@transaction.atomic
def set_member_active(*, by: User, member: User, active: bool) -> User:
    """Deactivate (cannot log in, memberships kept for reports) or reactivate a member."""
    require_not_erased(member)
    if member.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    require_authority(by=by, target=member)
    member.is_active = active
    member.save(update_fields=["is_active"])
    return member


@transaction.atomic
def assign_role(
    *, by: User, user: User, unit: OrgUnit, role: str, on: date | None = None
) -> Membership:
    """Give `user` a role in `unit`. A team role moves them out of their previous team."""
    _require_in_scope(by=by, unit=unit)
    require_authority(by=by, target=user)
    _require_may_grant(by=by, unit=unit, role=role)
    return _assign_role(user=user, unit=unit, role=role, on=on)


def _assign_role(*, user: User, unit: OrgUnit, role: str, on: date | None = None) -> Membership:
    on = on or timezone.localdate()
    if role in TEAM_ROLES and unit.kind != UnitKind.TEAM:
        raise ValidationError(_("Members, leaders and deputies belong to a team."), code="not_team")
    if not unit.is_current:
        raise ValidationError(_("This unit is no longer in use."), code="ended")
    existing = Membership.objects.current(on).filter(user=user, unit=unit, role=role).first()
    if existing:
        return existing
    if role in TEAM_ROLES:
        for previous in Membership.objects.filter(
            user=user, role__in=TEAM_ROLES, ended_on__isnull=True
        ):
            _end(previous, on)
    membership = Membership.objects.create(user=user, unit=unit, role=role, started_on=on)
    _sync_unit_admins_group(user)
    return membership


def _end(membership: Membership, on: date) -> None:
    membership.ended_on = max(on, membership.started_on)
    membership.save(update_fields=["ended_on"])


@transaction.atomic
def end_membership(*, by: User, membership: Membership, on: date | None = None) -> Membership:
    _require_in_scope(by=by, unit=membership.unit)
    require_authority(by=by, target=membership.user)
    _end(membership, on or timezone.localdate())
    _sync_unit_admins_group(membership.user)
    return membership


# --- Roster import ------------------------------------------------------------------------

IMPORT_CHUNK = 500


def upload_roster_file(*, by: User, upload: UploadedFile) -> RosterImport:
    """Store an uploaded roster (private storage) and queue its check; returns at once."""
    return imports.upload(RosterImport, by=by, upload=upload)


def run_roster_job(*, job_id: int) -> RosterImport | None:
    """The worker's step of a roster import, whichever is due: check the stored file, or
    import the checked rows. Safe to deliver twice and to resume after a crash."""
    return jobs.run(RosterImport, job_id, _roster_step)


def _roster_step(lease: jobs.Lease) -> dict:
    if lease.job.status == RosterImport.Status.CHECKING:
        return imports.check_stored_file(lease, partial(_check_roster, by=lease.job.created_by))
    importer = lease.job.created_by

    def write(rows: list[dict]) -> dict:
        created, updated, unchanged, skipped = _import_chunk(rows=rows, by=importer)
        return {
            "created_count": F("created_count") + created,
            "updated_count": F("updated_count") + updated,
            "unchanged_count": F("unchanged_count") + unchanged,
            "skipped_count": F("skipped_count") + skipped,
        }

    # Rows are upserted keyed on phone: a second run of the same rows finds them unchanged.
    imports.import_in_chunks(lease, size=IMPORT_CHUNK, write=write)
    return {}


def _check_roster(
    *, file: File, name: str, progress: Callable[[int], object], by: User
) -> tuple[int, list, list]:
    table = roster.read_table(name=name, file=file, progress=progress)
    checked = roster.check_roster(
        table=table, visible_units=units_visible_to(by), visible_members=members_visible_to(by)
    )
    _apply_rank_rule(checked, by=by)
    return checked.total_rows, checked.rows, checked.errors


def _apply_rank_rule(checked: roster.RosterCheck, *, by: User) -> None:
    """A roster row edits or moves its person and gives them a role: both must be within
    the importer's rank (accounts.authority), like the same change made on the screen."""
    from .models import OrgUnit as Unit

    owners = dict(
        User.objects.filter(phone__in=[r["phone"] for r in checked.rows]).values_list("phone", "pk")
    )
    actable = actable_member_ids(by, list(owners.values()))
    units = Unit.objects.in_bulk({r["unit_id"] for r in checked.rows})
    held = authority_of(by)
    kept = []
    for row in checked.rows:
        owner = owners.get(row["phone"])
        if owner is not None and owner not in actable:
            message = _("This phone number belongs to someone whose account you cannot change.")
            column = "phone"
        elif not may_grant(by, unit=units[row["unit_id"]], role=row["role"], held=held):
            message = _("You can only give roles below your own, in units of your area.")
            column = "role"
        else:
            kept.append(row)
            continue
        checked.errors.append(
            {"row": row["row"], "column": str(roster.COLUMNS[column]), "message": message}
        )
    checked.rows = kept
    checked.errors.sort(key=lambda error: error["row"])


def check_roster_file(*, by: User, file_name: str, content: bytes) -> RosterImport:
    """Store and check a roster now, in this process (what the worker does after an upload)."""
    job = upload_roster_file(by=by, upload=SimpleUploadedFile(file_name, content))
    run_roster_job(job_id=job.pk)
    job.refresh_from_db()
    return job


MEMBERS_NOT_INFORMED = gettext_lazy(
    "Confirm that the members on the list were informed of how the platform uses their "
    "personal data (the privacy notice) before importing them."
)


@transaction.atomic
def confirm_roster_import(
    *, by: User, job: RosterImport, members_informed: bool, only_valid_rows: bool = False
) -> RosterImport:
    """Queue the import. A file with bad rows imports nothing unless only_valid_rows is chosen;
    the administrator confirms that the members were informed (Decree 13/2023)."""
    if not members_informed:
        raise ValidationError(MEMBERS_NOT_INFORMED, code="not_informed")
    job = imports.confirm(RosterImport, by=by, job=job, only_valid_rows=only_valid_rows)
    RosterImport.objects.filter(pk=job.pk).update(members_informed_at=timezone.now())
    return job


@transaction.atomic
def _import_chunk(*, rows: list[dict], by: User) -> tuple[int, int, int, int]:
    """(created, updated, unchanged, skipped) for one chunk of checked rows."""
    today = timezone.localdate()
    given = len(rows)
    # Scope is checked again at import time: it may have changed since the preview. A row
    # whose team left the importer's area, or whose phone now belongs to an account outside
    # it, is skipped.
    allowed_units = set(
        units_visible_to(by)
        .filter(pk__in={r["unit_id"] for r in rows})
        .values_list("pk", flat=True)
    )
    rows = [row for row in rows if row["unit_id"] in allowed_units]
    users = {u.phone: u for u in User.objects.filter(phone__in=[r["phone"] for r in rows])}
    visible = set(
        members_visible_to(by)
        .filter(pk__in=[u.pk for u in users.values()], is_staff=False, is_superuser=False)
        .values_list("pk", flat=True)
    )
    rows = [row for row in rows if row["phone"] not in users or users[row["phone"]].pk in visible]
    skipped = given - len(rows)
    wanted_usernames = ["0" + r["phone"].removeprefix("+84") for r in rows]
    taken_usernames = set(
        User.objects.filter(username__in=wanted_usernames).values_list("username", flat=True)
    )

    new_users, changed_users = [], []
    for row in rows:
        last_name, first_name = split_full_name(row["full_name"])
        birth = date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None
        user = users.get(row["phone"])
        if user is None:
            username = _free_username("0" + row["phone"].removeprefix("+84"), taken_usernames)
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                phone=row["phone"],
                email=row["email"],
                date_of_birth=birth,
            )
            user.set_unusable_password()
            new_users.append(user)
            users[row["phone"]] = user
            continue
        wanted = {"first_name": first_name, "last_name": last_name, "date_of_birth": birth}
        if row["email"]:
            wanted["email"] = row["email"]
        if any(getattr(user, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(user, name, value)
            changed_users.append(user)
    User.objects.bulk_create(new_users, batch_size=IMPORT_CHUNK)
    if not all(user.pk for user in new_users):  # backends without RETURNING ids
        fetched = dict(
            User.objects.filter(phone__in=[u.phone for u in new_users]).values_list("phone", "pk")
        )
        for user in new_users:
            user.pk = user.id = fetched[user.phone]
    User.objects.bulk_update(changed_users, ["first_name", "last_name", "email", "date_of_birth"])

    current = {
        m.user_id: m
        for m in Membership.objects.filter(
            user__in=[users[r["phone"]] for r in rows], role__in=TEAM_ROLES, ended_on__isnull=True
        )
    }
    to_end, to_create, moved_user_ids = [], [], set()
    for row in rows:
        user = users[row["phone"]]
        membership = current.get(user.pk)
        if membership and membership.unit_id == row["unit_id"] and membership.role == row["role"]:
            continue
        if membership:
            membership.ended_on = max(today, membership.started_on)
            to_end.append(membership)
        to_create.append(
            Membership(user=user, unit_id=row["unit_id"], role=row["role"], started_on=today)
        )
        moved_user_ids.add(user.pk)
    Membership.objects.bulk_update(to_end, ["ended_on"])
    Membership.objects.bulk_create(to_create, batch_size=IMPORT_CHUNK)

    _bulk_issue_activation_codes(new_users)
    leaders = [m.user for m in to_create if m.role in SCOPE_ROLES]
    leaders += [m.user for m in to_end if m.role in SCOPE_ROLES]
    for user in {u.pk: u for u in leaders}.values():
        _sync_unit_admins_group(user)

    new_ids = {u.pk for u in new_users}
    created = len(new_users)
    updated = len({u.pk for u in changed_users} | (moved_user_ids - new_ids))
    return created, updated, len(rows) - created - updated, skipped


def _free_username(base: str, taken: set[str]) -> str:
    """The member's national phone number, or with -2, -3… when an account already has it."""
    username, n = base, 1
    while username in taken or (n > 1 and User.objects.filter(username=username).exists()):
        n += 1
        username = f"{base}-{n}"
    taken.add(username)
    return username


def _bulk_issue_activation_codes(users: list[User]) -> None:
    now = timezone.now()
    expires = now + timedelta(days=settings.ACTIVATION_CODE_VALID_DAYS)
    ActivationCode.objects.bulk_create(
        [
            ActivationCode(
                user=u, code=generate_activation_code(), created_at=now, expires_at=expires
            )
            for u in users
        ],
        batch_size=IMPORT_CHUNK,
    )
