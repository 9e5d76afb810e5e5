from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.job_views import resume_job
from common.service_calls import service_call
from common.spreadsheets import workbook_bytes
from common.upload_views import spreadsheet_upload_view

from . import question_import, services
from .models import QuestionImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


upload = spreadsheet_upload_view(
    label=gettext_lazy("Question file (.xlsx or .csv)"),
    start=services.upload_question_file,
    jobs=QuestionImport,
    template="quizzes/admin/import_upload.html",
    job_url="quizzes_admin:import",
)


def detail(request, pk):
    job = get_object_or_404(QuestionImport, pk=pk, created_by=request.user)
    if request.method == "POST":
        with service_call(request):
            services.confirm_question_import(
                by=request.user, job=job, only_valid_rows=request.POST.get("only_valid") == "1"
            )
        return redirect("quizzes_admin:import", pk=job.pk)
    context = {
        "job": job,
        "preview": job.rows[:30],
        "existing": sum(1 for row in job.rows if row.get("exists")),
        "resume_url": reverse("quizzes_admin:import_resume", args=[job.pk]),
    }
    return render(request, "quizzes/admin/import_detail.html", context)


@require_POST
def resume(request, pk):
    job = get_object_or_404(QuestionImport, pk=pk, created_by=request.user)
    resume_job(request, job)
    return redirect("quizzes_admin:import", pk=job.pk)


def template(request):
    content = workbook_bytes(
        title="Câu hỏi",
        headers=question_import.TEMPLATE_HEADERS,
        rows=question_import.template_rows(),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-cau-hoi.xlsx"'
    return response
