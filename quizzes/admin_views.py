from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.forms import SpreadsheetUploadForm
from common.spreadsheets import SpreadsheetError, workbook_bytes

from . import question_import, services
from .models import QuestionImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(request):
    form = SpreadsheetUploadForm(
        request.POST or None, request.FILES or None, label=_("Question file (.xlsx or .csv)")
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.check_question_file(
                by=request.user, file_name=upload.name, content=upload.read()
            )
        except SpreadsheetError as error:
            form.add_error("file", error)
        else:
            return redirect("quizzes_admin:import", pk=job.pk)
    recent = QuestionImport.objects.filter(created_by=request.user)[:10]
    return render(request, "quizzes/admin/import_upload.html", {"form": form, "recent": recent})


def detail(request, pk):
    job = get_object_or_404(QuestionImport, pk=pk, created_by=request.user)
    if request.method == "POST":
        try:
            job = services.confirm_question_import(
                by=request.user, job=job, only_valid_rows=request.POST.get("only_valid") == "1"
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(n)s questions imported.") % {"n": job.imported_count})
        return redirect("quizzes_admin:import", pk=job.pk)
    return render(
        request, "quizzes/admin/import_detail.html", {"job": job, "preview": job.rows[:30]}
    )


def template(request):
    content = workbook_bytes(
        title="Câu hỏi",
        headers=question_import.TEMPLATE_HEADERS,
        rows=question_import.template_rows(),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-cau-hoi.xlsx"'
    return response
