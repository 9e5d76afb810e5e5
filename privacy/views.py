"""The public notice, its acceptance, and the member's own data ("Dữ liệu của tôi")."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.client import client_address
from common.downloads import serve_private_file
from common.ratelimit import by_user, rate_limited

from . import selectors, services
from .middleware import SESSION_KEY
from .models import CorrectionRequest, DataExport


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def notice(request):
    """The notice in force, public; a signed-in person who has not accepted it yet accepts
    it here (the box must be ticked)."""
    current = selectors.current_notice()
    if current is None:
        raise Http404
    accepted = (
        request.user.is_authenticated
        and selectors.accepted_version(request.user) >= current.version
    )
    error = ""
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
        if request.POST.get("agree") != "1":
            error = _("Tick the box to say that you have read and accept the notice.")
            status = 400
        else:
            services.accept_notice(
                user=request.user, notice=current, ip_address=client_address(request)
            )
            request.session[SESSION_KEY] = current.version
            messages.success(request, _("Thank you. You accepted the privacy notice."))
            return redirect(_next(request))
    english = get_language() == "en"
    context = {
        "notice": current,
        "title": current.title_en if english else current.title_vi,
        "text": current.text_en if english else current.text_vi,
        "accepted": accepted,
        "must_accept": request.user.is_authenticated and not accepted,
        # The header shows only "log out" (and the footer the language switch) meanwhile.
        "gate_step": request.user.is_authenticated and not accepted,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "error": error,
    }
    return render(request, "privacy/notice.html", context, status=status)


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def _readable_rows(rows: list[dict]) -> list[list[tuple]]:
    return [[(label, selectors.readable(value)) for label, value in row.items()] for row in rows]


# A section longer than this shows its newest rows; the download holds them all.
SHOWN_ROWS = 20


def _my_data(request, status=200, **extra):
    data = selectors.member_data(request.user)
    titles = selectors.section_titles()
    sections = []
    for key in titles:
        if key == "profile":
            continue
        rows = data[key]  # oldest first
        sections.append(
            {
                "key": key,
                "title": titles[key],
                "count": len(rows),
                "rows": _readable_rows(list(reversed(rows[-SHOWN_ROWS:]))),
                "cut": len(rows) > SHOWN_ROWS,
            }
        )
    context = {
        "profile": [(k, selectors.readable(v)) for k, v in data["profile"].items()],
        "sections": sections,
        "shown_rows": SHOWN_ROWS,
        "exports": DataExport.objects.filter(created_by=request.user)[:3],
        "keep_name": selectors.keeps_name_on_certificates(request.user),
        "corrections": CorrectionRequest.objects.filter(member=request.user)[:10],
        "text": "",
        **extra,
    }
    return _private(render(request, "privacy/my_data.html", context, status=status))


@login_required
def my_data(request):
    return _my_data(request)


@require_POST
@login_required
@rate_limited("export", key=by_user)
def export_create(request):
    export = services.request_data_export(user=request.user)
    return redirect("privacy:export", pk=export.pk)


@login_required
def export_detail(request, pk):
    export = get_object_or_404(DataExport, pk=pk, created_by=request.user)
    return _private(render(request, "privacy/export.html", {"job": export}))


@login_required
def export_download(request, pk):
    export = get_object_or_404(
        DataExport, pk=pk, created_by=request.user, status=DataExport.Status.DONE
    )
    return serve_private_file(export.file)


@require_POST
@login_required
def correction_create(request):
    try:
        services.submit_correction(member=request.user, text=request.POST.get("text", ""))
    except ValidationError as error:
        return _my_data(
            request,
            status=400,
            correction_error=" ".join(error.messages),
            text=request.POST.get("text", "")[:2000],
        )
    messages.success(
        request,
        _("Your request was sent to your team leader and unit administrators."),
    )
    return redirect("privacy:my_data")


@require_POST
@login_required
def choices(request):
    services.set_keep_name(user=request.user, keep=request.POST.get("keep_name") == "1")
    messages.success(request, _("Your choice was saved."))
    return redirect("privacy:my_data")
