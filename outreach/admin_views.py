"""Admin screens of the outreach log: an area's entries, and a campaign's targets."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.service_calls import service_call
from organisations.access import request_scope_roots, scope_required
from training.selectors import campaigns_visible_to

from . import selectors, services
from .models import HelpKind, OutreachTarget


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@scope_required
def index(request):
    entries = selectors.entries_visible_to(request.user).select_related("user", "team", "place")
    kind = request.GET.get("kind", "")
    if kind in HelpKind.values:
        entries = entries.filter(kind=kind)
    date_from, date_to = (
        _date(request.GET.get("date_from", "")),
        _date(request.GET.get("date_to", "")),
    )
    if date_from:
        entries = entries.filter(helped_on__gte=date_from)
    if date_to:
        entries = entries.filter(helped_on__lte=date_to)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/admin/index.html",
        {
            "page": page,
            "kinds": HelpKind.choices,
            "kind": kind,
            "date_from": date_from,
            "date_to": date_to,
            "roots": request_scope_roots(request),
        },
    )


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


@require_POST
@scope_required
def add_target(request, campaign_id):
    campaign = get_object_or_404(
        campaigns_visible_to(request.user, roots=request_scope_roots(request)), pk=campaign_id
    )
    with service_call(request) as call:
        services.add_target(
            by=request.user,
            campaign=campaign,
            kind=request.POST.get("kind", ""),
            per_member=_int(request.POST.get("per_member", "")),
            starts_on=_date(request.POST.get("starts_on", "")),
            ends_on=_date(request.POST.get("ends_on", "")),
        )
    if call.ok:
        messages.success(request, _("Target added."))
    return redirect("training_admin:detail", pk=campaign.pk)


@require_POST
@scope_required
def remove_target(request, pk):
    campaigns = campaigns_visible_to(request.user, roots=request_scope_roots(request))
    target = get_object_or_404(
        OutreachTarget.objects.filter(campaign__in=campaigns).select_related("campaign"), pk=pk
    )
    with service_call(request) as call:
        services.remove_target(by=request.user, target=target)
    if call.ok:
        messages.success(request, _("Target removed."))
    return redirect("training_admin:detail", pk=target.campaign_id)
