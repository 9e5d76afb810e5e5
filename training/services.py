from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from certificates.models import Certificate
from certificates.services import renew_certificate
from common import outbox
from common.text import nfc
from courses.models import CourseCompletion, CoursePage, LessonPage, LessonProgress, Topic
from courses.services import record_course_completion_if_done, request_course_review
from notifications.models import Kind
from notifications.services import notify
from organisations.models import Membership, OrgUnit, Role
from organisations.selectors import path_with_ancestors, units_visible_to

from . import checkin, selectors
from .models import (
    Attendance,
    AttendanceMethod,
    Campaign,
    CampaignStatus,
    Recertification,
    TrainingSession,
)

__all__ = [
    "SessionPlan",
    "cancel_session",
    "check_in",
    "create_campaign",
    "notify_certificate_issued",
    "notify_lesson_updated",
    "notify_session_cancelled",
    "notify_session_scheduled",
    "open_recertifications",
    "record_attendance_list",
    "renew_if_recertifying",
    "require_whole_campaign_in_scope",
    "run_daily_reminders",
    "schedule_session",
    "send_campaign_notices",
    "send_session_reminders",
    "set_campaign_status",
    "trainer_candidates",
    "update_campaign",
    "update_session",
    "verify_check_in",
]

DUE_REMINDER_DAYS = (7, 3, 1)


def _units_from_codes(codes: list[str], allowed: QuerySet[OrgUnit]) -> tuple[list, str]:
    """The current units of `allowed` named by these codes, and what is wrong with them."""
    codes = sorted({code.strip().upper() for code in codes if code.strip()})
    units = list(allowed.filter(code__in=codes, valid_to__isnull=True))
    unknown = sorted(set(codes) - {unit.code for unit in units})
    if not codes:
        return units, _("Enter the codes of the target units.")
    if unknown:
        return units, _("Not in your area, merged or unknown: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    return units, ""


@transaction.atomic
def create_campaign(
    *,
    by: User,
    title: str,
    course_ids: list[int],
    unit_codes: list[str],
    starts_on: date,
    due_on: date,
    description: str = "",
    status: str = CampaignStatus.DRAFT,
) -> Campaign:
    """A campaign for units in the creator's area only, checked in full before anything is saved."""
    title = " ".join(nfc(title or "").split())
    errors = {}
    if not title:
        errors["title"] = _("Enter a title.")
    courses = list(CoursePage.objects.live().filter(pk__in=course_ids))
    if not courses:
        errors["courses"] = _("Choose at least one course.")
    units, unit_error = _units_from_codes(unit_codes, units_visible_to(by))
    if unit_error:
        errors["unit_codes"] = unit_error
    if due_on < starts_on:
        errors["due_on"] = _("The due date must not be before the start date.")
    if status not in (CampaignStatus.DRAFT, CampaignStatus.RUNNING):
        errors["status"] = _("A new campaign is a draft or running.")
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        title=title,
        description=nfc(description or ""),
        starts_on=starts_on,
        due_on=due_on,
        status=status,
        created_by=by,
    )
    campaign.courses.set(courses)
    campaign.target_units.set(units)
    if status == CampaignStatus.RUNNING:
        outbox.enqueue("training.tasks.send_campaign_notices", campaign_id=campaign.pk)
    return campaign


def require_whole_campaign_in_scope(*, by: User, campaign: Campaign) -> None:
    scope = set(units_visible_to(by).values_list("pk", flat=True))
    if not set(campaign.target_units.values_list("pk", flat=True)) <= scope:
        raise ValidationError(
            _("This campaign reaches units outside your area."), code="out_of_scope"
        )


@transaction.atomic
def update_campaign(
    *, by: User, campaign: Campaign, title: str, description: str, due_on: date
) -> Campaign:
    """Rename, describe or move the due date of a campaign that is not closed. Moving the
    due date restarts the reminders for the new date."""
    require_whole_campaign_in_scope(by=by, campaign=campaign)
    title = " ".join(nfc(title or "").split())
    errors = {}
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot be changed."), code="closed")
    if not title:
        errors["title"] = _("Enter a title.")
    if due_on < campaign.starts_on:
        errors["due_on"] = _("The due date must not be before the start date.")
    if errors:
        raise ValidationError(errors)
    campaign.title, campaign.description, campaign.due_on = title, nfc(description or ""), due_on
    campaign.save(update_fields=["title", "description", "due_on"])
    return campaign


@transaction.atomic
def set_campaign_status(*, by: User, campaign: Campaign, status: str) -> Campaign:
    allowed: dict[str, set[str]] = {
        CampaignStatus.DRAFT: {CampaignStatus.RUNNING, CampaignStatus.CLOSED},
        CampaignStatus.RUNNING: {CampaignStatus.CLOSED},
        CampaignStatus.CLOSED: set(),
    }
    if status not in allowed[campaign.status]:
        raise ValidationError(
            _("This campaign cannot change to that status."), code="bad_transition"
        )
    require_whole_campaign_in_scope(by=by, campaign=campaign)
    campaign.status = status
    campaign.save(update_fields=["status"])
    if status == CampaignStatus.RUNNING:
        outbox.enqueue("training.tasks.send_campaign_notices", campaign_id=campaign.pk)
    return campaign


# --- Reminders ---------------------------------------------------------------------------
# Every notice below is keyed by its event, so each member gets it once, however many times
# (or on however many workers) the jobs run.


def _campaign_params(campaign: Campaign, courses: list[CoursePage], **extra: object) -> dict:
    return {
        "campaign": campaign.title,
        "courses": ", ".join(course.title for course in courses),
        "due_on": campaign.due_on.isoformat(),
        **extra,
    }


def send_campaign_notices(*, campaign_id: int, on: date | None = None) -> int:
    """New-assignment notice, then whichever due reminder or overdue notice applies today,
    to every targeted member who has not completed the campaign."""
    on = on or timezone.localdate()
    campaign = Campaign.objects.filter(
        pk=campaign_id, status=CampaignStatus.RUNNING, starts_on__lte=on
    ).first()
    if campaign is None:
        return 0
    courses = list(campaign.courses.live().order_by("title"))  # type: ignore[attr-defined]
    if not courses:
        return 0
    behind = list(selectors.members_behind(campaign, on=on))
    link = reverse("courses:my_learning")
    sent = notify(
        user_ids=behind,
        kind=Kind.ASSIGNED,
        key=f"campaign:{campaign.pk}:assigned",
        params=_campaign_params(campaign, courses),
        link=link,
    )
    days_left = (campaign.due_on - on).days
    if days_left < 0:
        sent += notify(
            user_ids=behind,
            kind=Kind.OVERDUE,
            key=f"campaign:{campaign.pk}:{campaign.due_on.isoformat()}:overdue",
            params=_campaign_params(campaign, courses),
            link=link,
        )
    elif days_left <= max(DUE_REMINDER_DAYS):
        # The nearest threshold not yet passed: on schedule this is the day itself; after
        # a missed run the member still gets one reminder, not a burst of old ones.
        threshold = min(days for days in DUE_REMINDER_DAYS if days >= days_left)
        sent += notify(
            user_ids=behind,
            kind=Kind.DUE_SOON,
            # The due date is part of the event: moving it restarts the reminders.
            key=f"campaign:{campaign.pk}:{campaign.due_on.isoformat()}:due:{threshold}",
            params=_campaign_params(campaign, courses, days=days_left),
            link=link,
        )
    return sent


def run_daily_reminders(*, on: date | None = None) -> int:
    """The daily job: notices for every running campaign (later joiners included)."""
    on = on or timezone.localdate()
    campaigns = Campaign.objects.filter(status=CampaignStatus.RUNNING, starts_on__lte=on)
    return sum(
        send_campaign_notices(campaign_id=pk, on=on)
        for pk in campaigns.values_list("pk", flat=True)
    )


# --- Certificates and recertification ------------------------------------------------


def notify_certificate_issued(*, certificate_id: int) -> int:
    certificate = Certificate.objects.filter(pk=certificate_id, revoked_at__isnull=True).first()
    if certificate is None:
        return 0
    return notify(
        user_ids=[certificate.user_id],
        kind=Kind.CERTIFICATE_ISSUED,
        key=f"certificate:{certificate.pk}:issued",
        params={"course": certificate.course_title, "code": certificate.display_code},
        link=reverse("certificates:mine"),
    )


def open_recertifications(*, on: date | None = None) -> int:
    """The daily job: certificates with 30 days left (or already lapsed) get a renewal: the
    course (or its refresher) is assigned again, its lessons are marked for re-study, and
    the member is reminded. Renewals already satisfied are completed."""
    on = on or timezone.localdate()
    opened = 0
    for certificate in selectors.recertifications_due(on=on).iterator():
        issued_for = cast(CoursePage, certificate.course)  # the selector keeps those with one
        course = issued_for.refresher_course or issued_for
        if not course.live:
            course = issued_for
        with transaction.atomic():
            renewal, created = Recertification.objects.get_or_create(
                certificate=certificate,
                defaults={
                    "user_id": certificate.user_id,
                    "course": course,
                    "due_on": timezone.localtime(certificate.expires_at).date(),
                },
            )
            if not created:
                continue
            request_course_review(course=course, user_ids=[certificate.user_id])
            notify(
                user_ids=[certificate.user_id],
                kind=Kind.CERTIFICATE_EXPIRING,
                key=f"certificate:{certificate.pk}:expiring",
                params={
                    "course": certificate.course_title,
                    "refresher": course.title,
                    "expires_on": renewal.due_on.isoformat(),
                },
                link=course.url or "",
            )
        opened += 1
    for renewal in selectors.renewals_ready():
        renew_if_recertifying(**renewal)
    return opened


def renew_if_recertifying(*, user_id: int, course_id: int) -> list[Certificate]:
    """Renew the certificates waiting on this course once the member has completed it with
    nothing left to re-study."""
    renewals = list(
        Recertification.objects.filter(
            user_id=user_id, course_id=course_id, renewed_at__isnull=True
        ).select_related("certificate", "course")
    )
    if not renewals:
        return []
    course = renewals[0].course
    finished = CourseCompletion.objects.filter(user_id=user_id, course=course).exists()
    if not finished or selectors.restudying_members([course]).filter(user_id=user_id).exists():
        return []
    renewed = []
    for renewal in renewals:
        with transaction.atomic():
            claimed = Recertification.objects.filter(pk=renewal.pk, renewed_at__isnull=True).update(
                renewed_at=timezone.now()
            )
            if not claimed:
                continue
            certificate = renew_certificate(certificate=renewal.certificate)
            if certificate is None:  # revoked meanwhile: re-study does not undo a revocation
                transaction.set_rollback(True)
                continue
            Recertification.objects.filter(pk=renewal.pk).update(renewed_certificate=certificate)
            renewed.append(certificate)
    return renewed


# --- Content updates -----------------------------------------------------------------


def notify_lesson_updated(*, lesson_id: int, revision_id: int | None) -> int:
    """Tell every member whose completed lesson was marked for re-study by this publish."""
    lesson = LessonPage.objects.filter(pk=lesson_id).first()
    if lesson is None:
        return 0
    course = lesson.get_parent()
    members = LessonProgress.objects.filter(
        lesson=lesson, review_requested_at__isnull=False
    ).values_list("user_id", flat=True)
    return notify(
        user_ids=list(members),
        kind=Kind.LESSON_UPDATED,
        key=f"lesson:{lesson.pk}:revision:{revision_id or 0}",
        params={"lesson": lesson.title, "course": course.title},
        link=lesson.url or "",
    )


# --- In-person training sessions ---------------------------------------------------------

SESSION_MAX_LENGTH = timedelta(days=7)
SESSION_PAST_LIMIT = timedelta(days=60)  # a session held earlier can be entered from its paper list
MAX_CAPACITY = 5000


def trainer_candidates(user: User) -> QuerySet[User]:
    """Who may lead a session the user schedules: the user, and the people holding the
    trainer or unit-administrator role in the user's area or above it."""
    roots = selectors.session_area_roots(user)
    condition = Q(pk=user.pk)
    if user.is_superuser:
        condition |= Q(is_superuser=True)
    paths = {prefix for root in roots for prefix in path_with_ancestors(root.path)}
    place = Q(unit__path__in=paths)
    for root in roots:
        place |= Q(unit__path__startswith=root.path)
    if roots:
        held = (
            Membership.objects.current()
            .filter(place, role__in=[Role.TRAINER, Role.UNIT_ADMIN])
            .values("user_id")
        )
        condition |= Q(pk__in=held)
    return User.objects.filter(condition, is_active=True).order_by("first_name", "last_name")


@dataclass(frozen=True, kw_only=True)
class SessionPlan:
    """What a trainer or administrator fills in to schedule or change a session."""

    title: str
    place: str
    starts_at: datetime | None
    ends_at: datetime | None
    trainer: User | None
    capacity: int | None
    unit_codes: list[str]
    course: CoursePage | None = None
    topic: Topic | None = None
    notes: str = ""


def _clean_session(
    *,
    by: User,
    plan: SessionPlan,
    allowed_units: QuerySet[OrgUnit],
    now: datetime,
    current_trainer_id: int | None = None,
) -> tuple[dict, list[OrgUnit]]:
    errors: dict[str, str] = {}
    title = " ".join(nfc(plan.title or "").split())
    place = " ".join(nfc(plan.place or "").split())
    course, topic, trainer = plan.course, plan.topic, plan.trainer
    starts_at, ends_at, capacity = plan.starts_at, plan.ends_at, plan.capacity
    if not title:
        errors["title"] = _("Enter a title.")
    if not place:
        errors["place"] = _("Enter where the session takes place.")
    if course is not None and not CoursePage.objects.live().filter(pk=course.pk).exists():
        errors["course"] = _("Choose a published course.")
    if course is None and topic is None:
        errors["course"] = _("Choose the course or the topic of the session.")
    if starts_at is None or ends_at is None:
        errors["starts_at"] = _("Enter when the session starts and ends.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    elif ends_at - starts_at > SESSION_MAX_LENGTH:
        errors["ends_at"] = _("A session lasts at most 7 days.")
    elif starts_at < now - SESSION_PAST_LIMIT:
        errors["starts_at"] = _("A session cannot start more than 60 days ago.")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("The capacity is a number of people from 1 to %(max)s.") % {
            "max": MAX_CAPACITY
        }
    if trainer is None or (
        trainer.pk != current_trainer_id
        and not trainer_candidates(by).filter(pk=trainer.pk).exists()
    ):
        errors["trainer"] = _("Choose a trainer of your area.")
    units, unit_error = _units_from_codes(plan.unit_codes, allowed_units)
    if unit_error:
        errors["unit_codes"] = unit_error
    if errors:
        raise ValidationError(errors)
    fields = {
        "title": title,
        "place": place,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "trainer": trainer,
        "capacity": capacity,
        "course": course,
        "topic": None if course is not None else topic,
        "notes": nfc(plan.notes or ""),
    }
    return fields, units


@transaction.atomic
def schedule_session(*, by: User, plan: SessionPlan) -> TrainingSession:
    """A session for units in the scheduler's area only, checked in full before saving.
    The invited members are told at once (if it is still to come) and reminded the day
    before and on the day."""
    now = timezone.now()
    roots = selectors.session_area_roots(by)
    if not roots:
        raise ValidationError(_("You have no area to schedule sessions for."), code="no_area")
    fields, units = _clean_session(
        by=by, plan=plan, allowed_units=units_visible_to(by, roots=roots), now=now
    )
    session = TrainingSession.objects.create(**fields, created_by=by)
    session.target_units.set(units)
    if session.starts_at > now:
        outbox.enqueue("training.tasks.notify_session_scheduled", session_id=session.pk)
    return session


def _require_manager(by: User, session: TrainingSession) -> None:
    if not selectors.may_manage_session(by, session):
        raise ValidationError(
            _("This session reaches units outside your area."), code="out_of_scope"
        )


@transaction.atomic
def update_session(*, by: User, session: TrainingSession, plan: SessionPlan) -> TrainingSession:
    """Change a session that is not cancelled; calendars that imported it update (SEQUENCE),
    and a new date restarts the reminders."""
    _require_manager(by, session)
    if session.cancelled_at:
        raise ValidationError(_("A cancelled session cannot be changed."), code="cancelled")
    current = session.target_units.values("pk")
    allowed = OrgUnit.objects.filter(
        Q(pk__in=units_visible_to(by, roots=selectors.session_area_roots(by)).values("pk"))
        | Q(pk__in=current)
    )
    fields, units = _clean_session(
        by=by,
        plan=plan,
        allowed_units=allowed,
        now=timezone.now(),
        current_trainer_id=session.trainer_id,  # the current trainer stays eligible
    )
    for name, value in fields.items():
        setattr(session, name, value)
    session.sequence += 1
    session.save()
    session.target_units.set(units)
    return session


@transaction.atomic
def cancel_session(*, by: User, session: TrainingSession) -> TrainingSession:
    _require_manager(by, session)
    if session.cancelled_at:
        return session
    if session.ends_at <= timezone.now():
        raise ValidationError(_("A session that has ended cannot be cancelled."), code="ended")
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "sequence"])
    outbox.enqueue("training.tasks.notify_session_cancelled", session_id=session.pk)
    return session


def _local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def _check_in_open(session: TrainingSession, now: datetime) -> None:
    if session.cancelled_at:
        raise ValidationError(_("This session was cancelled."), code="cancelled")
    opens = session.starts_at - checkin.OPENS_BEFORE
    if now < opens:
        raise ValidationError(
            _("Check-in has not opened yet: it opens at %(time)s."),
            code="not_open",
            params={"time": _local_time(opens)},
        )
    if now >= session.ends_at:
        raise ValidationError(_("This session has ended; check-in is closed."), code="ended")


def _complete_courses(session: TrainingSession, user_ids: list[int]) -> None:
    """Attendance may be the last requirement of a course: complete it (the certificate
    follows from `course_completed`, as for any completion)."""
    courses = list(selectors.courses_covered_by(session))
    if not courses or not user_ids:
        return
    for user in User.objects.filter(pk__in=user_ids):
        for course in courses:
            record_course_completion_if_done(user=user, course=course)


def verify_check_in(*, user: User, session: TrainingSession, now: datetime | None = None) -> None:
    """Raise the reason this member cannot check in now (ValidationError), if any."""
    now = now or timezone.now()
    _check_in_open(session, now)
    existing = Attendance.objects.filter(session=session, user=user).first()
    if existing:
        raise ValidationError(
            _("You already checked in at %(time)s."),
            code="already",
            params={"time": _local_time(existing.checked_in_at)},
        )
    if not selectors.is_invited(user, session):
        raise ValidationError(
            _("This session is for the members of other units: you are not on its list."),
            code="not_invited",
        )
    if Attendance.objects.filter(session=session).count() >= session.capacity:
        raise ValidationError(
            _(
                "The session is full (%(capacity)s people). "
                "Ask the trainer to tick you on the list."
            ),
            code="full",
            params={"capacity": session.capacity},
        )


@transaction.atomic
def check_in(*, user: User, session: TrainingSession, now: datetime | None = None) -> Attendance:
    """The member checks in by the session's QR code: only while check-in is open, only a
    member of the invited units, only once, and not beyond the capacity."""
    now = now or timezone.now()
    # The row lock makes concurrent check-ins count the capacity one after the other.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    verify_check_in(user=user, session=session, now=now)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                user=user,
                checked_in_at=now,
                method=AttendanceMethod.QR,
                recorded_by=user,
            )
    except IntegrityError as error:  # the same member in two tabs at the same moment
        raise ValidationError(_("You already checked in."), code="already") from error
    _complete_courses(session, [user.pk])
    return attendance


@transaction.atomic
def record_attendance_list(
    *,
    by: User,
    session: TrainingSession,
    shown_user_ids: list[int],
    present_user_ids: list[int],
    now: datetime | None = None,
) -> tuple[int, int]:
    """The trainer's list: of the members shown on it, the ticked ones attended and the
    unticked ones did not. Returns (added, removed). Only invited members can be ticked."""
    now = now or timezone.now()
    _require_manager(by, session)
    if session.cancelled_at:
        raise ValidationError(_("This session was cancelled."), code="cancelled")
    if now < session.starts_at - checkin.OPENS_BEFORE:
        raise ValidationError(
            _("Attendance can be recorded once the session has started."), code="not_open"
        )
    invited = set(selectors.invited_members(session))
    shown, present = set(shown_user_ids), set(present_user_ids)
    if not present <= shown or not shown <= invited:
        raise ValidationError(
            _("The list has people who are not invited to this session. Reload it and try again."),
            code="not_invited",
        )
    existing = set(
        Attendance.objects.filter(session=session, user_id__in=shown).values_list(
            "user_id", flat=True
        )
    )
    added = sorted(present - existing)
    removed = sorted((shown - present) & existing)
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                user_id=user_id,
                checked_in_at=now,
                method=AttendanceMethod.LIST,
                recorded_by=by,
            )
            for user_id in added
        ],
        ignore_conflicts=True,
    )
    Attendance.objects.filter(session=session, user_id__in=removed).delete()
    _complete_courses(session, added)
    return len(added), len(removed)


def _notify_invited(session: TrainingSession, *, kind: str, event: str, **params: object) -> int:
    """Notify the session's invited members once about `event` (part of the key)."""
    return notify(
        user_ids=list(selectors.invited_members(session)),
        kind=kind,
        key=f"session:{session.pk}:{event}",
        params={
            "session": session.title,
            "starts_at": session.starts_at.isoformat(),
            "place": session.place,
            "trainer": session.trainer.full_name or session.trainer.username,
            **params,
        },
        link=reverse("training:session", args=[session.pk]),
    )


def notify_session_scheduled(*, session_id: int) -> int:
    session = (
        TrainingSession.objects.filter(
            pk=session_id, cancelled_at__isnull=True, starts_at__gt=timezone.now()
        )
        .select_related("trainer")
        .first()
    )
    return _notify_invited(session, kind=Kind.SESSION_NEW, event="new") if session else 0


def notify_session_cancelled(*, session_id: int) -> int:
    session = (
        TrainingSession.objects.filter(pk=session_id, cancelled_at__isnull=False)
        .select_related("trainer")
        .first()
    )
    return (
        _notify_invited(session, kind=Kind.SESSION_CANCELLED, event="cancelled") if session else 0
    )


def send_session_reminders(*, now: datetime | None = None) -> int:
    """The beat job (hourly): a reminder the day before and one on the day, to every invited
    member. Each is keyed by the session, its date and the day, so whatever the number of
    runs a member gets each once, and moving the session to another day reminds again."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = timezone.make_aware(datetime.combine(today + timedelta(days=2), datetime.min.time()))
    sessions = TrainingSession.objects.filter(
        cancelled_at__isnull=True, starts_at__gt=now, starts_at__lt=horizon
    ).select_related("trainer")
    sent = 0
    for session in sessions:
        day = timezone.localdate(session.starts_at)
        days = (day - today).days
        sent += _notify_invited(
            session, kind=Kind.SESSION_SOON, event=f"{day.isoformat()}:day:{days}", days=days
        )
    return sent
