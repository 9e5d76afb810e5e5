"""What members do with in-person sessions: read one, add it to their calendar, and check
in by scanning the trainer's QR code."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import checkin, selectors
from .ics import session_calendar
from .models import Attendance, TrainingSession
from .services import sessions as session_services

_TICKETS = "training_checkin_tickets"


def _session_for(request, pk) -> TrainingSession:
    """A session the viewer is invited to, leads, or oversees; otherwise 404."""
    sessions = TrainingSession.objects.select_related("trainer", "course", "topic")
    session = get_object_or_404(sessions, pk=pk)
    user = request.user
    if (
        session.trainer_id == user.pk
        or selectors.is_invited(user, session)
        or selectors.sessions_visible_to(user).filter(pk=session.pk).exists()
    ):
        return session
    raise Http404


@login_required
def session_detail(request, pk):
    session = _session_for(request, pk)
    now = timezone.now()
    attendance = Attendance.objects.filter(session=session, user=request.user).first()
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "attendance": attendance,
            "invited": selectors.is_invited(request.user, session),
            "checkin_open": not session.cancelled_at
            and session.starts_at - checkin.OPENS_BEFORE <= now < session.ends_at,
            "ended": session.ends_at <= now,
        },
    )


@login_required
def session_ics(request, pk):
    session = _session_for(request, pk)
    url = request.build_absolute_uri(session_url(session))
    response = HttpResponse(
        session_calendar(session, url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="lop-tap-huan-{session.pk}.ics"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


def session_url(session) -> str:
    return reverse("training:session", args=[session.pk])


def _tickets(request) -> dict:
    return request.session.get(_TICKETS, {})


def _give_ticket(request, pk: int, now: datetime) -> None:
    tickets = {
        key: stamp
        for key, stamp in _tickets(request).items()
        if now.timestamp() - stamp <= checkin.TICKET_VALID_FOR.total_seconds()
    }
    tickets[str(pk)] = now.timestamp()
    request.session[_TICKETS] = tickets


def _has_ticket(request, pk: int, now: datetime) -> bool:
    stamp = _tickets(request).get(str(pk))
    return stamp is not None and 0 <= now.timestamp() - stamp <= (
        checkin.TICKET_VALID_FOR.total_seconds()
    )


def _refuse(request, session, message: str, *, status: int):
    response = render(
        request,
        "training/checkin_refused.html",
        {"session": session, "message": message},
        status=status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def check_in_scan(request, pk, token):
    """Where the QR code leads. A valid code (this minute's or the previous one) gives this
    browser a ticket to confirm for 15 minutes, so a member who must log in first comes back
    here and confirms even though the code has changed meanwhile."""
    session = get_object_or_404(TrainingSession.objects.select_related("trainer"), pk=pk)
    now = timezone.now()
    result = checkin.check_token(session.pk, token, now=now)
    if result == checkin.TokenCheck.VALID:
        _give_ticket(request, session.pk, now)
    elif not _has_ticket(request, session.pk, now):
        if result == checkin.TokenCheck.EXPIRED:
            message = _(
                "This check-in code has expired: it changes every minute. Scan the code on "
                "the trainer's screen again."
            )
        else:
            message = _("This check-in code is not valid. Scan the code on the trainer's screen.")
        return _refuse(request, session, message, status=400)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        session_services.verify_check_in(user=request.user, session=session, now=now)
    except ValidationError as error:
        status = 200 if error.code == "already" else 403
        return _refuse(request, session, " ".join(error.messages), status=status)
    response = render(request, "training/checkin_confirm.html", {"session": session})
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@login_required
def check_in_confirm(request, pk):
    session = get_object_or_404(TrainingSession, pk=pk)
    now = timezone.now()
    if not _has_ticket(request, session.pk, now):
        return _refuse(
            request,
            session,
            _("Scan the code on the trainer's screen to check in."),
            status=400,
        )
    try:
        attendance = session_services.check_in(user=request.user, session=session, now=now)
    except ValidationError as error:
        status = 200 if error.code == "already" else 403
        return _refuse(request, session, " ".join(error.messages), status=status)
    tickets = _tickets(request)
    tickets.pop(str(session.pk), None)
    request.session[_TICKETS] = tickets
    messages.success(
        request,
        _("You are checked in at %(time)s. Thank you!")
        % {"time": timezone.localtime(attendance.checked_in_at).strftime("%H:%M")},
    )
    return redirect("training:session", pk=session.pk)
