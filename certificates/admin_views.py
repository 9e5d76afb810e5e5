from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.storage import attachment
from organisations.access import request_scope_roots
from organisations.selectors import units_visible_to

from . import selectors, services
from .models import Certificate, CertificateArchive


def _visible(request, pk) -> Certificate:
    return get_object_or_404(selectors.certificates_visible_to(request.user), pk=pk)


def index(request):
    certificates = selectors.certificates_visible_to(request.user)
    status = request.GET.get("status", "")
    certificates = selectors.filter_by_status(certificates, status)
    query = " ".join(request.GET.get("q", "").split())[:100]
    if query:
        certificates = certificates.filter(full_name__icontains=query) | certificates.filter(
            code=query.replace("-", "").upper()
        )
    course = request.GET.get("course", "")
    if course.isdigit():
        certificates = certificates.filter(course_id=int(course))
    page = Paginator(
        certificates.select_related("replacement").order_by("-issued_at"), 50
    ).get_page(request.GET.get("page"))
    courses = sorted(
        set(
            selectors.certificates_visible_to(request.user)
            .filter(course__isnull=False)
            .values_list("course_id", "course_title")
        ),
        key=lambda pair: pair[1],
    )
    context = {
        "page": page,
        "status": status,
        "query": query,
        "course": course,
        "courses": courses,
        "units": request_scope_roots(request),
        "archives": CertificateArchive.objects.filter(created_by=request.user)[:5],
    }
    return render(request, "certificates/admin/index.html", context)


def detail(request, pk):
    certificate = _visible(request, pk)
    return render(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "status": certificate.status(),
            "replacement": certificate.replaced_by,
            "events": certificate.events.select_related("by"),
        },
    )


@require_POST
def revoke(request, pk):
    certificate = _visible(request, pk)
    try:
        services.revoke_certificate(
            certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Certificate revoked."))
    return redirect("certificates_admin:detail", pk=certificate.pk)


@require_POST
def reissue(request, pk):
    certificate = _visible(request, pk)
    try:
        new = services.reissue_certificate(
            certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certificates_admin:detail", pk=certificate.pk)
    messages.success(request, _("A new certificate was issued."))
    return redirect("certificates_admin:detail", pk=new.pk)


@require_POST
def archive_create(request):
    unit = get_object_or_404(units_visible_to(request.user), pk=request.POST.get("unit") or 0)
    archive = services.request_archive(by=request.user, unit=unit)
    return redirect("certificates_admin:archive", pk=archive.pk)


def archive_detail(request, pk):
    archive = get_object_or_404(CertificateArchive, pk=pk, created_by=request.user)
    return render(request, "certificates/admin/archive.html", {"archive": archive})


def archive_download(request, pk):
    archive = get_object_or_404(
        CertificateArchive, pk=pk, created_by=request.user, status=CertificateArchive.Status.DONE
    )
    return attachment(archive.file)
