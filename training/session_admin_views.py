"""Admin screens of in-person sessions: schedule, change, cancel, show the check-in QR code,
and tick attendance on a printable list. Every object is fetched through the viewer's
area (sessions_visible_to), so anything else is "not found"."""

from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem

from accounts.models import User
from common.service_calls import service_call
from organisations.access import request_held_units

from . import checkin, selectors
from .forms import SessionForm
from .models import Attendance
from .services import sessions as session_services

# Form fields the service's error keys belong to.
_ERROR_FIELDS = {"starts_at": "starts_time", "ends_at": "ends_time"}


def area_roots(request) -> list:
    """The viewer's session area, looked up once per request."""
    if getattr(request, "_session_roots_user", None) != request.user.pk:
        request._session_roots = selectors.session_area_roots(
            request.user, held=request_held_units(request)
        )
        request._session_roots_user = request.user.pk
    return request._session_roots


def area_required(view):
    """Unit administrators, team leaders and trainers (with a unit) get in; everyone else
    sees "not found"."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not area_roots(request):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class SessionsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(area_roots(request))


def _visible(request, pk):
    return get_object_or_404(
        selectors.sessions_visible_to(request.user, roots=area_roots(request)).select_related(
            "trainer", "course", "topic"
        ),
        pk=pk,
    )


def _managed(request, pk):
    session = _visible(request, pk)
    if not selectors.may_manage_session(request.user, session, roots=area_roots(request)):
        raise Http404
    return session


@area_required
def index(request):
    sessions = selectors.sessions_visible_to(request.user, roots=area_roots(request))
    now = timezone.now()
    upcoming = (
        sessions.filter(ends_at__gte=now)
        .select_related("trainer")
        .prefetch_related("target_units")
        .order_by("starts_at")
    )
    past = Paginator(
        sessions.filter(ends_at__lt=now)
        .select_related("trainer")
        .prefetch_related("target_units")
        .order_by("-starts_at"),
        30,
    ).get_page(request.GET.get("page"))
    return render(
        request, "training/admin/sessions/index.html", {"upcoming": upcoming, "past": past}
    )


def _plan(form) -> session_services.SessionPlan:
    starts_at, ends_at = form.moments()
    data = form.cleaned_data
    return session_services.SessionPlan(
        title=data["title"],
        course=data["course"],
        topic=data["topic"],
        place=data["place"],
        starts_at=starts_at,
        ends_at=ends_at,
        trainer=data["trainer"],
        capacity=data["capacity"],
        unit_codes=data["unit_codes"].split(","),
        notes=data["notes"],
    )


@area_required
def create(request):
    form = SessionForm(
        request.POST or None,
        trainers=session_services.trainer_candidates(request.user),
        initial={"trainer": request.user.pk, "capacity": 50},
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, fields=_ERROR_FIELDS) as call:
            session = session_services.schedule_session(by=request.user, plan=_plan(form))
        if call.ok:
            messages.success(
                request, _("Session “%(title)s” scheduled.") % {"title": session.title}
            )
            return redirect("training_sessions:detail", pk=session.pk)
    return render(request, "training/admin/sessions/form.html", {"form": form, "session": None})


@area_required
def edit(request, pk):
    session = _managed(request, pk)
    trainers = session_services.trainer_candidates(request.user) | User.objects.filter(
        pk=session.trainer_id
    )
    form = SessionForm(
        request.POST or None, trainers=trainers.distinct(), initial=SessionForm.initial_for(session)
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, fields=_ERROR_FIELDS) as call:
            session_services.update_session(by=request.user, session=session, plan=_plan(form))
        if call.ok:
            messages.success(request, _("Session “%(title)s” saved.") % {"title": session.title})
            return redirect("training_sessions:detail", pk=session.pk)
    return render(request, "training/admin/sessions/form.html", {"form": form, "session": session})


def checkin_url(session, *, now=None) -> str:
    token = checkin.current_token(session.pk, now=now)
    path = reverse("training:check_in", args=[session.pk, token])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _qr(session, now) -> dict:
    """The check-in QR code of this minute (SVG), or why there is none."""
    opens = session.starts_at - checkin.OPENS_BEFORE
    if session.cancelled_at or now < opens or now >= session.ends_at:
        return {"open": False, "opens": opens}
    url = checkin_url(session, now=now)
    svg = segno.make(url, error="m").svg_inline(scale=6, border=4, title=_("Check-in QR code"))
    return {
        "open": True,
        "url": url,
        "svg": mark_safe(svg),  # noqa: S308 - segno's own drawing of our own URL
        "refresh_in": checkin.seconds_to_next_window(now=now),
    }


@area_required
def detail(request, pk):
    session = _visible(request, pk)
    manager = selectors.may_manage_session(request.user, session, roots=area_roots(request))
    now = timezone.now()
    invited = selectors.invited_members(session).count()
    attended = Attendance.objects.filter(session=session).count()
    context = {
        "session": session,
        "manager": manager,
        "invited": invited,
        "attended": attended,
        "percent": round(100 * attended / invited) if invited else 0,
        "qr": _qr(session, now) if manager else {"open": False},
        "ended": session.ends_at <= now,
        "courses": list(selectors.courses_covered_by(session)),
    }
    return render(request, "training/admin/sessions/detail.html", context)


@area_required
def projector(request, pk):
    """The QR code alone, full screen, for a projector or a tablet: it reloads itself when
    the code changes (a meta refresh, so it needs no JavaScript)."""
    session = _managed(request, pk)
    now = timezone.now()
    return render(
        request,
        "training/admin/sessions/projector.html",
        {
            "session": session,
            "qr": _qr(session, now),
            "attended": Attendance.objects.filter(session=session).count(),
        },
    )


@require_POST
@area_required
def cancel(request, pk):
    session = _managed(request, pk)
    with service_call(request) as call:
        session_services.cancel_session(by=request.user, session=session)
    if call.ok:
        messages.success(request, _("The session was cancelled; the invited members are told."))
    return redirect("training_sessions:detail", pk=session.pk)


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@area_required
def attendance(request, pk):
    """The printable attendance list: every invited member, by team, with a tick box (and a
    column to sign on paper)."""
    session = _managed(request, pk)
    if request.method == "POST":
        with service_call(request) as call:
            added, removed = session_services.record_attendance_list(
                by=request.user,
                session=session,
                shown_user_ids=_ids(request.POST.getlist("shown")),
                present_user_ids=_ids(request.POST.getlist("present")),
            )
        if call.ok:
            messages.success(
                request,
                _("Attendance saved: %(added)s added, %(removed)s removed.")
                % {"added": added, "removed": removed},
            )
            return redirect("training_sessions:attendance", pk=session.pk)
    rows = selectors.session_roster(session)
    return render(
        request,
        "training/admin/sessions/attendance.html",
        {
            "session": session,
            "rows": rows,
            "present": sum(1 for row in rows if row.attendance),
            "not_open": timezone.now() < session.starts_at - checkin.OPENS_BEFORE,
        },
    )
