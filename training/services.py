from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from certificates.models import Certificate
from certificates.services import renew_certificate
from common import outbox
from common.text import nfc
from courses.models import CourseCompletion, CoursePage, LessonPage, LessonProgress
from courses.services import request_course_review
from notifications.models import Kind
from notifications.services import notify
from organisations.selectors import units_visible_to

from . import selectors
from .models import Campaign, CampaignStatus, Recertification

__all__ = [
    "create_campaign",
    "notify_certificate_issued",
    "notify_lesson_updated",
    "open_recertifications",
    "renew_if_recertifying",
    "run_daily_reminders",
    "send_campaign_notices",
    "set_campaign_status",
    "update_campaign",
]

DUE_REMINDER_DAYS = (7, 3, 1)


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
    codes = sorted({code.strip().upper() for code in unit_codes if code.strip()})
    units = list(units_visible_to(by).filter(code__in=codes, valid_to__isnull=True))
    unknown = sorted(set(codes) - {unit.code for unit in units})
    if not codes:
        errors["unit_codes"] = _("Enter the codes of the target units.")
    elif unknown:
        errors["unit_codes"] = _("Not in your area, merged or unknown: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
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


def _require_whole_campaign_in_scope(*, by: User, campaign: Campaign) -> None:
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
    _require_whole_campaign_in_scope(by=by, campaign=campaign)
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
    allowed = {
        CampaignStatus.DRAFT: {CampaignStatus.RUNNING, CampaignStatus.CLOSED},
        CampaignStatus.RUNNING: {CampaignStatus.CLOSED},
        CampaignStatus.CLOSED: set(),
    }
    if status not in allowed[campaign.status]:
        raise ValidationError(
            _("This campaign cannot change to that status."), code="bad_transition"
        )
    _require_whole_campaign_in_scope(by=by, campaign=campaign)
    campaign.status = status
    campaign.save(update_fields=["status"])
    if status == CampaignStatus.RUNNING:
        outbox.enqueue("training.tasks.send_campaign_notices", campaign_id=campaign.pk)
    return campaign


# --- Reminders ---------------------------------------------------------------------------
# Every notice below is keyed by its event, so each member gets it once, however many times
# (or on however many workers) the jobs run.


def _campaign_params(campaign: Campaign, courses: list[CoursePage], **extra) -> dict:
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
    courses = list(campaign.courses.live().order_by("title"))
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
        course = certificate.course.refresher_course or certificate.course
        if not course.live:
            course = certificate.course
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
