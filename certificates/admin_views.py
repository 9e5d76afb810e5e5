from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.downloads import serve_private_file
from common.job_views import resume_job
from common.params import parse_id
from common.ratelimit import by_user, rate_limited
from common.service_calls import service_call
from common.signals import personal_data_downloaded
from common.text import clean_query
from courses.models import CoursePage
from organisations.access import request_scope_roots
from organisations.selectors import units_visible_to

from . import selectors, services
from .models import BulkIssue, Certificate, CertificateArchive


def _visible(request, pk) -> Certificate:
    return get_object_or_404(selectors.certificates_visible_to(request.user), pk=pk)


def index(request):
    certificates = selectors.certificates_visible_to(request.user)
    status = request.GET.get("status", "")
    certificates = selectors.filter_by_status(certificates, status)
    query = clean_query(request.GET.get("q"))
    if query:
        certificates = certificates.filter(full_name__icontains=query) | certificates.filter(
            code=query.replace("-", "").upper()
        )
    course = request.GET.get("course", "")
    if parse_id(course):
        certificates = certificates.filter(course_id=parse_id(course))
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
        "issuing_courses": CoursePage.objects.live().filter(issues_certificate=True),
        "bulk_issues": BulkIssue.objects.filter(created_by=request.user).select_related(
            "unit", "course"
        )[:5],
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
    with service_call(request) as call:
        services.revoke_certificate(
            certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
        )
    if call.ok:
        messages.success(request, _("Certificate revoked."))
    return redirect("certificates_admin:detail", pk=certificate.pk)


@require_POST
def reissue(request, pk):
    certificate = _visible(request, pk)
    with service_call(request) as call:
        new = services.reissue_certificate(
            certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
        )
    if not call.ok:
        return redirect("certificates_admin:detail", pk=certificate.pk)
    messages.success(request, _("A new certificate was issued."))
    return redirect("certificates_admin:detail", pk=new.pk)


@require_POST
@rate_limited("export", key=by_user)
def archive_create(request):
    unit = get_object_or_404(units_visible_to(request.user), pk=parse_id(request.POST.get("unit")))
    archive = services.request_archive(by=request.user, unit=unit)
    return redirect("certificates_admin:archive", pk=archive.pk)


def archive_detail(request, pk):
    archive = get_object_or_404(CertificateArchive, pk=pk, created_by=request.user)
    return render(request, "certificates/admin/archive.html", {"archive": archive})


@require_POST
def archive_resume(request, pk):
    archive = get_object_or_404(CertificateArchive, pk=pk, created_by=request.user)
    resume_job(request, archive)
    return redirect("certificates_admin:archive", pk=archive.pk)


@require_POST
def bulk_issue_create(request):
    unit = get_object_or_404(units_visible_to(request.user), pk=_int(request.POST.get("unit")))
    course = get_object_or_404(CoursePage.objects.live(), pk=_int(request.POST.get("course")))
    with service_call(request) as call:
        job = services.request_bulk_issue(by=request.user, unit=unit, course=course)
    if not call.ok:
        return redirect("certificates_admin:index")
    return redirect("certificates_admin:bulk_issue", pk=job.pk)


def _int(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


def bulk_issue_detail(request, pk):
    job = get_object_or_404(
        BulkIssue.objects.select_related("unit", "course"), pk=pk, created_by=request.user
    )
    return render(request, "certificates/admin/bulk_issue.html", {"job": job})


@require_POST
def bulk_issue_resume(request, pk):
    job = get_object_or_404(BulkIssue, pk=pk, created_by=request.user)
    resume_job(request, job)
    return redirect("certificates_admin:bulk_issue", pk=job.pk)


def archive_download(request, pk):
    archive = get_object_or_404(
        CertificateArchive, pk=pk, created_by=request.user, status=CertificateArchive.Status.DONE
    )
    # Checked again now: an author moved out of the unit's area since has lost the ZIP.
    if not units_visible_to(request.user).filter(pk=archive.unit_id).exists():
        raise Http404
    response = serve_private_file(archive.file)
    personal_data_downloaded.send(
        sender=CertificateArchive,
        user=request.user,
        kind="ARCHIVE",
        description=str(archive),
        unit=archive.unit,
    )
    return response
