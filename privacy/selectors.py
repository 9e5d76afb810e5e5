"""Reads: the notice in force, whether a member accepted it, everything held about a
member, and who may see a member's requests."""

from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from certificates.models import Certificate
from courses.models import CourseCompletion, LessonProgress
from notifications import texts as notification_texts
from notifications.models import Notification
from organisations.models import Membership, OrgUnit, Role, UnitKind
from organisations.selectors import held_units, members_visible_to, scope_roots
from outreach.models import OutreachEntry
from quizzes.models import Attempt
from training.models import Attendance

from .models import (
    AccessLog,
    Consent,
    CorrectionRequest,
    ErasureRecord,
    MemberChoice,
    PrivacyNotice,
    RetentionRun,
)

CURRENT_NOTICE_KEY = "privacy:current-notice-version"


def current_notice() -> PrivacyNotice | None:
    """The newest published version of the notice (None before any is published)."""
    return (
        PrivacyNotice.objects.filter(published_at__isnull=False, published_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def current_version() -> int:
    """The version in force (0: none), cached; publishing a version clears the cache."""
    version = cache.get(CURRENT_NOTICE_KEY)
    if version is None:
        notice = current_notice()
        version = notice.version if notice else 0
        cache.set(CURRENT_NOTICE_KEY, version, 300)
    return version


def accepted_version(user: User) -> int:
    """The newest version of the notice the user accepted (0: none)."""
    consent = (
        Consent.objects.filter(user=user)
        .order_by("-notice__version")
        .values_list("notice__version", flat=True)
        .first()
    )
    return consent or 0


def keeps_name_on_certificates(user: User) -> bool:
    return MemberChoice.objects.filter(user=user, keep_name_on_certificates=True).exists()


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return value.isoformat()


def readable(value: object) -> object:
    """A value of `member_data` as a person reads it: ISO dates and times as dd/mm/yyyy
    (hh:mm, local time); anything else unchanged."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            return timezone.localtime(datetime.fromisoformat(value)).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    return value


def member_data(user: User) -> dict[str, list[dict] | dict]:
    """Everything held about `user`, section by section, as plain data (JSON-ready). Every
    query is filtered on this user: nobody else's data can appear."""
    profile = {
        _("Username"): user.username,
        _("Family and middle names"): user.last_name,
        _("Given name"): user.first_name,
        _("Phone number"): user.phone or "",
        _("E-mail"): user.email,
        _("Date of birth"): _iso(user.date_of_birth),
        _("Account created"): _iso(user.date_joined),
        _("Last login"): _iso(user.last_login),
        _("Account active"): user.is_active,
    }
    memberships = [
        {
            _("Unit"): m.unit.name,
            _("Unit code"): m.unit.code,
            _("Role"): m.get_role_display(),
            _("Started on"): _iso(m.started_on),
            _("Ended on"): _iso(m.ended_on),
        }
        for m in Membership.objects.filter(user=user).select_related("unit").order_by("started_on")
    ]
    lessons = [
        {
            _("Lesson"): p.lesson.title,
            _("Started at"): _iso(p.started_at),
            _("Last opened at"): _iso(p.last_opened_at),
            _("Completed at"): _iso(p.completed_at),
        }
        for p in LessonProgress.objects.filter(user=user)
        .select_related("lesson")
        .order_by("started_at")
    ]
    completions = [
        {_("Course"): c.course.title, _("Completed at"): _iso(c.completed_at)}
        for c in CourseCompletion.objects.filter(user=user)
        .select_related("course")
        .order_by("completed_at")
    ]
    attempts = [
        {
            _("Quiz"): a.quiz.title,
            _("Attempt number"): a.number,
            _("Started at"): _iso(a.started_at),
            _("Submitted at"): _iso(a.submitted_at),
            _("Score (%)"): float(a.percent) if a.percent is not None else None,
            _("Passed"): a.passed,
        }
        for a in Attempt.objects.filter(user=user).select_related("quiz").order_by("started_at")
    ]
    certificates = [
        {
            _("Certificate number"): c.display_code,
            _("Course"): c.course_title,
            _("Name printed"): c.full_name,
            _("Unit printed"): c.unit_name,
            _("Issued at"): _iso(c.issued_at),
            _("Expires at"): _iso(c.expires_at),
            _("Revoked at"): _iso(c.revoked_at),
        }
        for c in Certificate.objects.filter(user=user).order_by("issued_at")
    ]
    notices = []
    for n in Notification.objects.filter(user=user).order_by("created_at"):
        title, body = notification_texts.render(n.kind, n.params)
        notices.append(
            {
                _("Title"): title,
                _("Text"): body,
                _("Sent at"): _iso(n.created_at),
                _("Read at"): _iso(n.read_at),
            }
        )
    sessions = [
        {
            _("Training session"): a.session.title,
            _("Place"): a.session.place,
            _("Starts at"): _iso(a.session.starts_at),
            _("Checked in at"): _iso(a.checked_in_at),
        }
        for a in Attendance.objects.filter(user=user)
        .select_related("session")
        .order_by("session__starts_at")
    ]
    outreach = [
        {
            _("Date"): _iso(e.helped_on),
            _("Kind of help"): e.get_kind_display(),
            _("Residents helped"): e.residents,
            _("Short note"): e.note,
        }
        for e in OutreachEntry.objects.filter(user=user).order_by("helped_on")
    ]
    consents = [
        {_("Notice version"): c.notice.version, _("Accepted at"): _iso(c.accepted_at)}
        for c in Consent.objects.filter(user=user).select_related("notice").order_by("accepted_at")
    ]
    corrections = [
        {
            _("Sent at"): _iso(c.created_at),
            _("Request"): c.text,
            _("Status"): c.get_status_display(),
            _("Reply"): c.reply,
        }
        for c in CorrectionRequest.objects.filter(member=user).order_by("created_at")
    ]
    return {
        "profile": profile,
        "memberships": memberships,
        "lessons": lessons,
        "completions": completions,
        "attempts": attempts,
        "certificates": certificates,
        "notifications": notices,
        "sessions": sessions,
        "outreach": outreach,
        "consents": consents,
        "corrections": corrections,
    }


def section_titles() -> dict[str, str]:
    return {
        "profile": _("Profile"),
        "memberships": _("Units and roles"),
        "lessons": _("Lessons studied"),
        "completions": _("Courses completed"),
        "attempts": _("Quiz attempts"),
        "certificates": _("Certificates"),
        "notifications": _("Notifications"),
        "sessions": _("Training sessions attended"),
        "outreach": _("Help given to residents"),
        "consents": _("Privacy notice accepted"),
        "corrections": _("Correction requests"),
    }


SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names


def sheet_titles() -> dict[str, str]:
    """The section titles as sheet names of the XLSX copy: at most 31 characters, shortened
    by words (a title that does not fit has a short form of its own)."""
    short = {
        "consents": pgettext("sheet name, at most 31 characters", "Privacy notice accepted"),
    }
    titles = {}
    for key, title in section_titles().items():
        name = str(short.get(key, title))
        if len(name) > SHEET_NAME_LIMIT:
            name = name[: SHEET_NAME_LIMIT + 1].rsplit(" ", 1)[0]
        titles[key] = name[:SHEET_NAME_LIMIT]
    return titles


def corrections_visible_to(user: User) -> QuerySet[CorrectionRequest]:
    """Requests of the members in the user's area (team leaders: their team; unit
    administrators: their subtree; superusers: all)."""
    members = members_visible_to(user)
    return (
        CorrectionRequest.objects.filter(member__in=members.values("pk"))
        .exclude(member=user)
        .select_related("member", "handled_by")
    )


def access_log_visible_to(user: User) -> QuerySet[AccessLog]:
    """Downloads in the areas the user administers (superusers: all)."""
    if user.is_superuser:
        return AccessLog.objects.select_related("user", "unit")
    roots = scope_roots(user, roles=(Role.UNIT_ADMIN,))
    if not roots:
        return AccessLog.objects.none()
    condition = Q()
    for root in roots:
        condition |= Q(unit_path__startswith=root.path)
    return AccessLog.objects.filter(condition).select_related("user", "unit")


def unit_of(unit_id: int | None) -> OrgUnit | None:
    return OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None


# --- Erasure: who may erase whom -------------------------------------------------------


def may_erase_at_all(user: User, *, held: list[tuple[str, OrgUnit]] | None = None) -> bool:
    """Unit administrators (commune, province) and superusers; nobody else sees erasure.
    `held`: the user's `held_units`, when the caller has them."""
    return user.is_authenticated and (
        user.is_superuser or bool(scope_roots(user, roles=(Role.UNIT_ADMIN,), held=held))
    )


def erasure_candidates(user: User) -> QuerySet[User]:
    """People who are or were in the administrator's area (a departed member has only
    ended memberships there), not yet erased; everyone for a superuser."""
    people = User.objects.filter(erased_at__isnull=True)
    if user.is_superuser:
        return people
    roots = scope_roots(user, roles=(Role.UNIT_ADMIN,))
    if not roots:
        return User.objects.none()
    condition = Q()
    for root in roots:
        condition |= Q(unit__path__startswith=root.path)
    return people.filter(pk__in=Membership.objects.filter(condition).values("user_id"))


def erasure_refusal(by: User, member: User) -> str | None:
    """Why `by` may not erase `member` (a Vietnamese sentence), or None if they may.

    Only a unit administrator whose area covers the member, or a superuser; never oneself;
    only a departed member (no current membership in a team: the administrator ends it
    first); the rank rule: the administrator outranks every role the member still holds
    or, for a departed member, every role they held last."""
    from accounts.authority import NOT_YOURS_TO_CHANGE, may_act_on
    from organisations.authority import authority_of, outranks
    from organisations.models import TEAM_ROLES

    if member.erased_at is not None:
        return _("This member's data was already erased.")
    if member.pk == by.pk:
        return _("You cannot erase your own data here: ask an administrator above you.")
    if member.is_superuser or member.is_staff:
        return _("An administrator's account with admin rights cannot be erased here.")
    if not may_erase_at_all(by) or not erasure_candidates(by).filter(pk=member.pk).exists():
        return _("This member is not in your area.")
    current = Membership.objects.current().filter(user=member)
    if current.filter(role__in=TEAM_ROLES).exists():
        return _(
            "This person is still a member of a team. Only a departed member's data can be "
            "erased: end their membership first (member page › Units and roles › End), "
            "then erase."
        )
    if by.is_superuser:
        return None
    if current.exists():
        return None if may_act_on(by, member) else str(NOT_YOURS_TO_CHANGE)
    ended = Membership.objects.filter(user=member, ended_on__isnull=False)
    last = ended.order_by("-ended_on").values_list("ended_on", flat=True).first()
    held = authority_of(by)
    last_roles = ended.filter(ended_on=last).values_list("role", "unit__path")
    if last is None or not all(
        any(outranks(r, p, role, path) for r, p in held) for role, path in last_roles
    ):
        return str(NOT_YOURS_TO_CHANGE)
    return None


def last_unit(member: User) -> OrgUnit | None:
    """The unit of the member's current membership, or of the one that ended last."""
    membership = (
        Membership.objects.filter(user=member)
        .select_related("unit")
        .order_by("ended_on", "-started_on", "-pk")  # NULL (current) first on PostgreSQL
    )
    current = membership.filter(ended_on__isnull=True).first()
    if current is not None:
        return current.unit
    ended = membership.order_by("-ended_on", "-pk").first()
    return ended.unit if ended is not None else None


def erasures_visible_to(user: User) -> QuerySet[ErasureRecord]:
    """Erasures in the areas the user administers, and their own (superusers: all)."""
    records = ErasureRecord.objects.select_related("by", "unit")
    if user.is_superuser:
        return records
    condition = Q(by=user)
    for root in scope_roots(user, roles=(Role.UNIT_ADMIN,)):
        condition |= Q(unit_path__startswith=root.path)
    return records.filter(condition)


def may_see_retention_runs(user: User, *, held: list[tuple[str, OrgUnit]] | None = None) -> bool:
    """Superusers and province administrators. `held`: the user's `held_units`, if known."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(
        role == Role.UNIT_ADMIN and unit.kind in (UnitKind.PROVINCE, UnitKind.NATION)
        for role, unit in (held_units(user) if held is None else held)
    )


def retention_runs() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.all()


def retention_labels() -> dict[str, str]:
    """What the counts of a retention run mean, to read."""
    return {
        "import_files": _("Uploaded member list files"),
        "import_rows": _("Member list imports: rows kept for the preview"),
        "report_exports": _("Report exports"),
        "data_exports": _("Members' copies of their data"),
        "certificate_archives": _("Certificate archives"),
        "recorded_messages": _("SMS/Zalo message log entries"),
        "deliveries": _("Finished deliveries"),
        "notifications": _("Notifications"),
        "access_log": _("Access log entries"),
        "login_records": _("Login records"),
        "inactive_accounts": _("Inactive accounts erased"),
    }
