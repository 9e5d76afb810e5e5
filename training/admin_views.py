from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.service_calls import service_call
from organisations.access import request_scope_roots

from . import campaign_sections, selectors
from .forms import CampaignChangeForm, CampaignForm
from .services import campaigns as campaign_services


def index(request):
    campaigns = selectors.campaigns_visible_to(request.user).prefetch_related(
        "courses", "target_units"
    )
    return render(request, "training/admin/index.html", {"campaigns": campaigns})


def create(request):
    form = CampaignForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form) as call:
            campaign = campaign_services.create_campaign(
                by=request.user,
                title=data["title"],
                description=data["description"],
                course_ids=[c.pk for c in data["courses"]],
                unit_codes=data["unit_codes"].split(","),
                starts_on=data["starts_on"],
                due_on=data["due_on"],
                status=data["status"],
            )
        if call.ok:
            messages.success(
                request, _("Campaign “%(title)s” created.") % {"title": campaign.title}
            )
            return redirect("training_admin:detail", pk=campaign.pk)
    return render(request, "training/admin/create.html", {"form": form})


def detail(request, pk):
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    whole = selectors.whole_campaign_in_scope(request.user, campaign)
    # Part of the campaign outside the viewer's area: the figures of their area only.
    within = None if whole else request_scope_roots(request)
    return render(
        request,
        "training/admin/detail.html",
        {
            "campaign": campaign,
            "whole": whole,
            "progress": selectors.campaign_progress(campaign, within=within),
            "notices": selectors.campaign_notices(campaign, within=within),
            "sections": campaign_sections.sections_for(campaign),
        },
    )


@require_POST
def change_status(request, pk):
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    with service_call(request):
        campaign_services.set_campaign_status(
            by=request.user, campaign=campaign, status=request.POST.get("status", "")
        )
    return redirect("training_admin:detail", pk=campaign.pk)


def edit(request, pk):
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    if not selectors.whole_campaign_in_scope(request.user, campaign):
        messages.error(request, _("This campaign reaches units outside your area."))
        return redirect("training_admin:detail", pk=campaign.pk)
    initial = {
        "title": campaign.title,
        "description": campaign.description,
        "due_on": campaign.due_on.strftime("%d/%m/%Y"),
    }
    form = CampaignChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as call:
            campaign_services.update_campaign(
                by=request.user, campaign=campaign, **form.cleaned_data
            )
        if call.ok:
            messages.success(request, _("Campaign “%(title)s” saved.") % {"title": campaign.title})
            return redirect("training_admin:detail", pk=campaign.pk)
    return render(request, "training/admin/edit.html", {"form": form, "campaign": campaign})
