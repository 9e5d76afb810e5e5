"""The outreach log on the member's phone: record help in a few taps (no JavaScript), see
one's history and totals; team leaders see and correct their team's entries."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.service_calls import service_call
from organisations.selectors import current_team_membership, scope_roots

from . import selectors, services
from .forms import EntryForm
from .models import HelpKind


def _help_given(form) -> services.HelpGiven:
    data = form.cleaned_data
    return services.HelpGiven(
        helped_on=data["helped_on"],
        place=data["place"],
        kind=data["kind"],
        residents=data["residents"],
        note=data["note"],
    )


@login_required
def my_outreach(request):
    membership = current_team_membership(request.user)
    if membership is None:
        return render(request, "outreach/no_team.html", status=403)
    places = selectors.places_for(membership.unit)
    initial = {
        "helped_on": timezone.localdate(),
        "place": selectors.default_place(membership.unit, places),
        "residents": 1,
    }
    form = EntryForm(request.POST or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as call:
            entry = services.record_entry(by=request.user, help_given=_help_given(form))
        if call.ok:
            messages.success(
                request,
                _("Recorded: %(n)s residents · %(kind)s · %(date)s. Thank you!")
                % {
                    "n": entry.residents,
                    "kind": entry.get_kind_display(),
                    "date": entry.helped_on.strftime("%d/%m/%Y"),
                },
            )
            return redirect("outreach:mine")
    entries = selectors.entries_visible_to(request.user).filter(user=request.user)
    page = Paginator(entries.select_related("place"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/mine.html",
        {
            "form": form,
            "page": page,
            "history": selectors.member_history(request.user),
            "targets": selectors.target_progress_for(request.user),
            "leads": bool(scope_roots(request.user)),
            "team": membership.unit,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _visible_entry(request, pk):
    return get_object_or_404(
        selectors.entries_visible_to(request.user).select_related("user", "team", "place"), pk=pk
    )


@login_required
def edit(request, pk):
    entry = _visible_entry(request, pk)
    places = selectors.places_for(entry.team)
    initial = {
        "helped_on": entry.helped_on,
        "place": entry.place,
        "kind": entry.kind,
        "residents": entry.residents,
        "note": entry.note,
    }
    form = EntryForm(request.POST or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as call:
            services.correct_entry(by=request.user, entry=entry, help_given=_help_given(form))
        if call.ok:
            messages.success(request, _("Entry corrected."))
            return redirect(
                "outreach:team" if entry.user_id != request.user.pk else "outreach:mine"
            )
    return render(
        request,
        "outreach/edit.html",
        {"form": form, "entry": entry},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def delete(request, pk):
    entry = _visible_entry(request, pk)
    own = entry.user_id == request.user.pk
    services.delete_entry(by=request.user, entry=entry)
    messages.success(request, _("Entry deleted."))
    return redirect("outreach:mine" if own else "outreach:team")


@login_required
def team(request):
    """A team leader's (or an administrator's) view of the entries in their area."""
    roots = scope_roots(request.user)
    if not roots:
        raise Http404
    entries = (
        selectors.entries_visible_to(request.user)
        .exclude(user=request.user)
        .filter(helped_on__gte=timezone.localdate() - timedelta(days=90))
        .select_related("user", "place", "team")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/team.html",
        {"page": page, "roots": roots, "labels": dict(HelpKind.choices)},
    )
