"""Reads: the notice in force, whether a member accepted it, everything held about a
member, and who may see a member's requests."""

from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from certificates.models import Certificate
from courses.models import CourseCompletion, LessonProgress
from notifications import texts as notification_texts
from notifications.models import Notification
from organisations.models import Membership, OrgUnit, Role
from organisations.selectors import members_visible_to, scope_roots
from outreach.models import OutreachEntry
from quizzes.models import Attempt
from training.models import Attendance

from .models import AccessLog, Consent, CorrectionRequest, MemberChoice, PrivacyNotice

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


def _iso(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.isoformat()


def readable(value):
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
