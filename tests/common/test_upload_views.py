"""The roster and question-file imports share one upload screen (common.upload_views): the
same bounded upload, the same Vietnamese refusals, a job for an accepted file, and the
user's own recent imports listed under the form."""

import inspect
import io

import pytest
from django.urls import resolve, reverse

from organisations import services as org
from organisations.models import Role, RosterImport, UnitKind
from quizzes.models import QuestionImport

pytestmark = pytest.mark.django_db

SCREENS = [
    pytest.param(
        "organisations_admin:import_upload",
        "organisations_admin:import",
        RosterImport,
        "Tệp danh sách (.xlsx hoặc .csv)",
        id="roster",
    ),
    pytest.param(
        "quizzes_admin:import_upload",
        "quizzes_admin:import",
        QuestionImport,
        "Tệp câu hỏi (.xlsx hoặc .csv)",
        id="questions",
    ),
]


def _file(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@pytest.mark.parametrize(("upload_url", "_job_url", "_model", "_label"), SCREENS)
def test_both_imports_use_the_shared_bounded_upload_view(upload_url, _job_url, _model, _label):
    view = inspect.unwrap(resolve(reverse(upload_url)).func)
    assert view.__module__ == "common.upload_views"
    assert view.__qualname__.startswith("spreadsheet_upload_view.")
    # bounded_upload marks the view that reads the body itself (the limit counts as it streams)
    assert any(
        getattr(layer, "reads_body_itself", False)
        for layer in _layers(resolve(reverse(upload_url)).func)
    )


def _layers(view):
    while view is not None:
        yield view
        view = getattr(view, "__wrapped__", None)


@pytest.mark.parametrize(("upload_url", "job_url", "model", "label"), SCREENS)
def test_the_upload_screen_refuses_in_vietnamese_and_starts_a_job(
    client, home_page, make_user, upload_url, job_url, model, label
):
    root = make_user(username="root", is_superuser=True, is_staff=True)
    admin = make_user(username="sa", is_superuser=True, is_staff=True)
    other = make_user(username="other", is_superuser=True, is_staff=True)
    province = org.create_unit(parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Thử", code="P")
    for user in (admin, other):  # the roster screen is for administrators of a unit
        org.assign_role(by=root, user=user, unit=province, role=Role.UNIT_ADMIN)
    client.force_login(admin)
    url = reverse(upload_url)

    page = client.get(url).content.decode()
    assert label in page

    refused = client.post(url, {"file": _file(b"%PDF-1.4", "danh-sach.pdf")})
    assert refused.status_code == 200
    assert "Hãy tải lên tệp Excel (.xlsx) hoặc tệp CSV (.csv)." in refused.content.decode()
    assert not model.objects.exists()

    accepted = client.post(url, {"file": _file(b"a,b\n1,2\n", "danh-sach.csv")})
    job = model.objects.get()
    assert job.created_by == admin
    assert accepted["Location"] == reverse(job_url, args=[job.pk])

    client.force_login(other)
    client.post(url, {"file": _file(b"a,b\n1,2\n", "cua-nguoi-khac.csv")})
    client.force_login(admin)
    listed = client.get(url).context["recent"]
    assert [j.pk for j in listed] == [job.pk]  # only the user's own imports
