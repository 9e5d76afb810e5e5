"""Admin screens: members' correction requests (their administrators only), erasing a
departed member, and the log of downloads of personal data."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from organisations.access import scope_required
from organisations.models import Role
from organisations.selectors import scope_roots, search_condition

from . import selectors, services
from .models import CorrectionRequest


@scope_required
def corrections(request):
    visible = selectors.corrections_visible_to(request.user)
    status = request.GET.get("status", CorrectionRequest.Status.OPEN)
    if status in CorrectionRequest.Status.values:
        visible = visible.filter(status=status)
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/admin/corrections.html",
        {"page": page, "status": status, "statuses": CorrectionRequest.Status.choices},
    )


@scope_required
def correction(request, pk):
    item = get_object_or_404(selectors.corrections_visible_to(request.user), pk=pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            services.handle_correction(
                by=request.user, request_id=item.pk, reply=request.POST.get("reply", "")
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        else:
            messages.success(
                request, _("The request is marked handled; the member sees your reply.")
            )
            return redirect("privacy_admin:corrections")
    return render(
        request,
        "privacy/admin/correction.html",
        {"item": item, "error": error, "reply": request.POST.get("reply", "")},
        status=status,
    )


def erase_search(request):
    """Unit administrators and superusers (team leaders: not found)."""
    if not selectors.may_erase_at_all(request.user):
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    people = []
    if query:
        found = selectors.erasure_candidates(request.user).filter(search_condition(query))
        people = [
            (person, selectors.erasure_refusal(request.user, person))
            for person in found.order_by("first_name", "last_name")[:50]
        ]
    return render(
        request,
        "privacy/admin/erase_search.html",
        {
            "q": query,
            "people": people,
            "records": selectors.erasures_visible_to(request.user)[:50],
            "show_retention": selectors.may_see_retention_runs(request.user),
        },
    )


def erase(request, user_id):
    if not selectors.may_erase_at_all(request.user):
        raise Http404
    member = get_object_or_404(selectors.erasure_candidates(request.user), pk=user_id)
    refusal = selectors.erasure_refusal(request.user, member)
    error, status = "", 200
    if request.method == "POST":
        if refusal is not None:
            error, status = refusal, 400
        elif request.POST.get("confirm") != "1":
            error, status = _("Tick the box to confirm that the erasure cannot be undone."), 400
        else:
            try:
                services.erase_member(
                    by=request.user, member=member, reason=request.POST.get("reason", "")
                )
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                messages.success(request, _("The member's personal data was erased."))
                return redirect("privacy_admin:erase_search")
    return render(
        request,
        "privacy/admin/erase.html",
        {
            "member": member,
            "error": error,
            "refusal": refusal,
            "reason": request.POST.get("reason", ""),
            "keep_name": selectors.keeps_name_on_certificates(member),
        },
        status=status,
    )


def access_log(request):
    """Unit administrators (a province sees its whole province) and superusers."""
    if not (request.user.is_superuser or scope_roots(request.user, roles=(Role.UNIT_ADMIN,))):
        raise Http404
    entries = selectors.access_log_visible_to(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/admin/access_log.html", {"page": page})


def retention_runs(request):
    """Superusers and province administrators: what each run of the retention job removed."""
    if not selectors.may_see_retention_runs(request.user):
        raise Http404
    labels = selectors.retention_labels()
    page = Paginator(selectors.retention_runs(), 30).get_page(request.GET.get("page"))
    for run in page:
        run.lines = [
            (labels.get(key, key), count) for key, count in (run.counts or {}).items() if count
        ]
    return render(request, "privacy/admin/retention_runs.html", {"page": page})
