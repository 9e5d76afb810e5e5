from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from common.downloads import serve_private_file
from common.ratelimit import rate_limited

from . import selectors
from .codes import normalise_code


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


def verify_form(request):
    typed = request.GET.get("code", "")
    if typed.strip():
        code = normalise_code(typed)
        if code:
            return redirect("certificates:verify", code=code)
    return _noindex(render(request, "certificates/verify.html", {"asked": False}))


# Look-ups per client address (settings.RATE_LIMITS["verify"]), behind proxies too.
@rate_limited("verify", methods=("GET", "HEAD"))
def verify(request, code: str):
    certificate = selectors.find_by_code(code)
    context = {
        "asked": True,
        "typed": code,
        "certificate": certificate,
        "status": certificate.status() if certificate else "not_found",
        "replacement": certificate.replaced_by if certificate else None,
    }
    return _noindex(
        render(request, "certificates/verify.html", context, status=200 if certificate else 404)
    )


@login_required
def my_certificates(request):
    return render(
        request,
        "certificates/my_certificates.html",
        {"certificates": selectors.certificates_of(request.user)},
    )


@login_required
def download(request, code: str):
    certificate = selectors.certificate_for_download(request.user, code)
    if certificate is None or not certificate.pdf:
        raise Http404
    return serve_private_file(
        certificate.pdf,
        filename=f"chung-chi-{certificate.display_code}.pdf",
        content_type="application/pdf",
    )
