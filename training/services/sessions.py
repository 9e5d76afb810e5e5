"""In-person training sessions: scheduling, check-in, the trainer's list and their notices."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common import outbox
from common.text import nfc
from courses.models import CoursePage, Topic
from courses.services import record_course_completion_if_done
from notifications.models import Kind
from notifications.services import notify
from organisations.models import Membership, OrgUnit, Role
from organisations.selectors import path_with_ancestors, units_visible_to

from .. import checkin, selectors
from ..models import Attendance, AttendanceMethod, TrainingSession
from ..selectors import units_from_codes

__all__ = [
    "MAX_CAPACITY",
    "SessionPlan",
    "cancel_session",
    "check_in",
    "notify_session_cancelled",
    "notify_session_scheduled",
    "record_attendance_list",
    "schedule_session",
    "send_session_reminders",
    "trainer_candidates",
    "update_session",
    "verify_check_in",
]

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
    units, unit_error = units_from_codes(plan.unit_codes, allowed_units)
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
