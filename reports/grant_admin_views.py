"""Extra attempts and time, granted by the administrators and trainers of a member's area:
to one member (from their record) or to a list (a unit, filtered as in the reports).
Anyone or any unit outside the viewer's area is "not found"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.service_calls import service_call
from notifications import services as notification_services
from notifications.models import Kind
from organisations.access import request_training_roots, training_scope_required
from organisations.models import OrgUnit
from organisations.selectors import (
    current_team_membership,
    members_visible_to,
    search_members,
    units_visible_to,
)
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services

from . import exports
from .figures import member_rows
from .forms import FilterForm
from .grant_forms import GrantForm, GroupGrantForm

LISTED_NAMES = 50


def _roots(request) -> list[OrgUnit]:
    return request_training_roots(request)


def may_grant(request) -> bool:
    return bool(_roots(request))


def may_grant_to(request, person) -> bool:
    roots = _roots(request)
    if not roots:
        return False
    return members_visible_to(request.user, roots=roots).filter(pk=person.pk).exists()


def may_grant_in(request, unit: OrgUnit) -> bool:
    return any(unit.path.startswith(root.path) for root in _roots(request))


def _grant(request, form, members, *, group: str = "") -> int | None:
    data = form.cleaned_data
    try:
        with service_call(request, form=form) as call:
            grants = quiz_services.grant_extra(
                by=request.user,
                members=members,
                quiz=data["quiz"],
                extra_attempts=data["extra_attempts"],
                extra_minutes=data["extra_minutes"],
                reason=data["reason"],
                group=group,
            )
    except PermissionDenied:
        raise Http404 from None
    if not call.ok:
        return None
    _tell_members(grants)
    return len(grants)


def _tell_members(grants) -> None:
    """Each member granted something finds it in their notifications, with the reason."""
    if not grants:
        return
    first = grants[0]
    quiz = first.quiz
    course = quiz.get_parent()
    notification_services.notify(
        user_ids=[grant.user_id for grant in grants],
        kind=Kind.GRANTED,
        key=f"grant:{first.pk}",
        params={
            "quiz": f"{quiz.title} ({course.title})" if course else quiz.title,
            "attempts": first.extra_attempts,
            "minutes": first.extra_minutes,
            "reason": first.reason,
        },
        link=quiz.url or "",
    )


@training_scope_required
def index(request):
    """Find a member (name or phone) or a unit (name or code) in the viewer's area."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    people, units = [], []
    if query:
        scoped = members_visible_to(request.user, roots=_roots(request))
        people = list(
            search_members(viewer=request.user, query=query).filter(pk__in=scoped.values("pk"))[:30]
        )
        units = list(
            units_visible_to(request.user, roots=_roots(request))
            .filter(Q(name__icontains=query) | Q(code__iexact=query))
            .order_by("depth", "name")[:30]
        )
    return render(
        request,
        "reports/admin/grants_index.html",
        {"query": query, "people": people, "units": units, "roots": _roots(request)},
    )


@training_scope_required
def member(request, user_id):
    person = get_object_or_404(members_visible_to(request.user, roots=_roots(request)), pk=user_id)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = _grant(request, form, [person])
        if count:
            messages.success(
                request,
                _("Granted to %(name)s: the member sees it on the quiz page.")
                % {"name": person.full_name or person.username},
            )
            return redirect("reports_admin:grant_member", user_id=person.pk)
    quizzes = {}
    for attempt in quiz_selectors.attempts_of_member(person):
        quizzes.setdefault(attempt.quiz_id, {"quiz": attempt.quiz, "attempts": []})
        quizzes[attempt.quiz_id]["attempts"].append(attempt)
    for row in quizzes.values():
        row["allowance"] = quiz_selectors.allowance(person, row["quiz"])
    return render(
        request,
        "reports/admin/grants_member.html",
        {
            "person": person,
            "team": current_team_membership(person),
            "form": form,
            "quizzes": list(quizzes.values()),
            "grants": list(quiz_selectors.grants_of(person)),
            "may_see_record": members_visible_to(request.user).filter(pk=person.pk).exists(),
        },
    )


@training_scope_required
def group(request):
    """Grant to everyone in a list: a unit of the viewer's area, filtered as in the reports
    (course, campaign, role, period, status), optionally only those out of attempts."""
    roots = _roots(request)
    unit_id = request.GET.get("unit", "")
    if not unit_id.isdigit():
        raise Http404
    unit = get_object_or_404(units_visible_to(request.user, roots=roots), pk=unit_id)
    filter_form = FilterForm(request.GET, viewer=request.user, roots=roots)
    filters = filter_form.filters()
    status = request.GET.get("status", "")
    labels = exports.status_labels()
    if status not in labels:
        status = ""
    people = [row.user for row in member_rows(unit, filters, status=status)]
    form = GroupGrantForm(request.POST or None)
    chosen = people
    if form.is_bound and form.is_valid() and form.cleaned_data["only_out_of_attempts"]:
        stuck = quiz_selectors.out_of_attempts([p.pk for p in people], form.cleaned_data["quiz"])
        chosen = [p for p in people if p.pk in stuck]
    description = " · ".join(
        part
        for part in (
            unit.name,
            labels.get(status, ""),
            filters.course.title if filters.course else "",
            filters.campaign.title if filters.campaign else "",
        )
        if part
    )
    if request.method == "POST" and form.is_valid():
        if not chosen:
            form.add_error(None, _("Nobody in this list has used every attempt at this quiz."))
        else:
            count = _grant(request, form, chosen, group=description)
            if count:
                messages.success(
                    request,
                    _("Granted to %(n)s members (%(group)s).") % {"n": count, "group": description},
                )
                return redirect(request.get_full_path())
    return render(
        request,
        "reports/admin/grants_group.html",
        {
            "unit": unit,
            "description": description,
            "people": people[:LISTED_NAMES],
            "count": len(people),
            "form": form,
            "back": reverse("reports_admin:members") + "?" + request.GET.urlencode(),
        },
    )
