import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from quizzes.models import Question, QuestionImport
from quizzes.question_import import TEMPLATE_HEADERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(client, make_user, home_page):
    user = make_user(username="giangvien")
    user.groups.add(Group.objects.get(name="Giảng viên"))
    client.force_login(user)
    return user


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(TEMPLATE_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "cau-hoi.xlsx"
    return buffer


GOOD = [
    [
        "Lừa đảo trực tuyến",
        "Một đáp án",
        "Đầu số phản ánh lừa đảo?",
        "113",
        "156",
        "",
        "",
        "",
        "",
        "B",
        "Gọi 156",
        "1",
    ],
    [
        "An toàn thông tin",
        "Nhiều đáp án",
        "Cách bảo vệ tài khoản?",
        "2FA",
        "Dùng chung mật khẩu",
        "Cập nhật",
        "",
        "",
        "",
        "A, C",
        "",
        "2",
    ],
    [
        "an-toan-thong-tin",
        "Đúng/Sai",
        "Nên đọc OTP cho người khác.",
        "Đúng",
        "Sai",
        "",
        "",
        "",
        "",
        "B",
        "",
        "",
    ],
]


@pytest.fixture
def worker_steps(django_capture_on_commit_callbacks):
    """Run the queued worker steps in-process when each request commits (tasks are eager)."""

    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def test_template_download_and_a_valid_file_imports_after_preview(client, trainer, worker_steps):
    template = load_workbook(
        io.BytesIO(client.get(reverse("quizzes_admin:template")).content)
    ).active
    assert [c.value for c in template[1]] == TEMPLATE_HEADERS
    before = Question.objects.count()
    response = worker_steps(client, reverse("quizzes_admin:import_upload"), {"file": xlsx(GOOD)})
    job = QuestionImport.objects.get()
    assert response["Location"] == reverse("quizzes_admin:import", args=[job.pk])
    assert "Đầu số phản ánh lừa đảo?" in client.get(response["Location"]).content.decode()
    assert Question.objects.count() == before  # nothing yet
    assert not job.source  # the upload itself is not kept once checked
    worker_steps(client, response["Location"])
    assert Question.objects.count() == before + 3
    multiple = Question.objects.get(text__contains="Cách bảo vệ")
    assert multiple.kind == "MULTIPLE"
    assert [c.is_correct for c in multiple.choices.all()] == [True, False, True]
    assert multiple.revisions.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập 3 câu hỏi." in page
    worker_steps(client, response["Location"])  # a second confirm imports nothing more
    assert Question.objects.count() == before + 3
    # The same file again: every question is already in the bank, nothing is added.
    worker_steps(client, reverse("quizzes_admin:import_upload"), {"file": xlsx(GOOD)})
    again = QuestionImport.objects.latest("pk")
    assert [row["exists"] for row in again.rows] == [True, True, True]
    worker_steps(client, reverse("quizzes_admin:import", args=[again.pk]))
    again.refresh_from_db()
    assert (again.status, again.imported_count, again.existing_count) == ("DONE", 0, 3)
    assert Question.objects.count() == before + 3


def test_answers_too_long_for_the_bank_and_repeated_questions_are_refused(
    client, trainer, worker_steps
):
    long_answer = "x" * 501  # Choice.text holds 500 characters
    rows = [
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu dài?", long_answer, "b", *[""] * 4, "B", "", "1"],
        GOOD[0],
        [*GOOD[0][:2], "  Đầu số phản ánh  lừa đảo? ", *GOOD[0][3:]],
    ]
    worker_steps(client, reverse("quizzes_admin:import_upload"), {"file": xlsx(rows)})
    job = QuestionImport.objects.get()
    problems = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "500" in problems[(2, "Đáp án A")]
    assert "dòng 3" in problems[(4, "Câu hỏi")]
    assert [row["row"] for row in job.rows] == [3]


def test_bad_rows_are_reported_and_nothing_is_imported_unless_chosen(client, trainer, worker_steps):
    bad = [
        ["Chủ đề lạ", "Một đáp án", "Câu?", "a", "b", "", "", "", "", "A", "", "1"],
        ["Lừa đảo trực tuyến", "Kiểu lạ", "Câu?", "a", "b", "", "", "", "", "A", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "", "a", "b", "", "", "", "", "A", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu?", "a", "b", "", "", "", "", "A, B", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu?", "a", "b", "", "", "", "", "E", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu?", "a", "", "", "", "", "", "A", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu?", "a", "b", "", "", "", "", "A", "", "7"],
        GOOD[0],
    ]
    worker_steps(client, reverse("quizzes_admin:import_upload"), {"file": xlsx(bad)})
    job = QuestionImport.objects.get()
    assert sorted({e["row"] for e in job.errors}) == [2, 3, 4, 5, 6, 7, 8]
    before = Question.objects.count()
    worker_steps(client, reverse("quizzes_admin:import", args=[job.pk]))
    assert Question.objects.count() == before
    worker_steps(client, reverse("quizzes_admin:import", args=[job.pk]), {"only_valid": "1"})
    assert Question.objects.count() == before + 1


def test_unreadable_file_gets_a_message(client, trainer):
    upload = io.BytesIO(b"not a spreadsheet")
    upload.name = "cau-hoi.pdf"
    response = client.post(reverse("quizzes_admin:import_upload"), {"file": upload})
    assert response.status_code == 200
    assert "xlsx" in response.content.decode()
    assert not QuestionImport.objects.exists()


def test_members_cannot_import_questions(client, make_user, home_page):
    client.force_login(make_user(username="thanhvien"))
    assert client.get(reverse("quizzes_admin:import_upload")).status_code in (302, 403)


def test_trainer_edits_the_question_bank_with_revisions(client, trainer):
    assert client.get("/admin/snippets/quizzes/question/").status_code == 200
    assert client.get("/admin/snippets/quizzes/question/add/").status_code == 200
