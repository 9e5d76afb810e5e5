import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import ActivationCode, User
from organisations import services
from organisations.models import Membership, RosterImport
from organisations.roster import MAX_FILE_BYTES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HEADER = "Họ và tên,Số điện thoại,Mã đơn vị,Vai trò,Email,Ngày sinh"
GOOD_ROWS = [
    "Nguyễn Thị Ánh Tuyết,0912 345 678,P-X-T1,Tổ phó,tuyet@example.com,15/08/1990",
    "Trần Văn Bình,+84 987 654 321,P-X-T2,Thành viên,,",
    "Lê Hoàng Nam,84977111222,p-x-t1,,,",
]


def csv_bytes(rows, *, bom=False):
    text = "\n".join([HEADER, *rows]) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(tree, content, name="roster.csv", by=None):
    return services.check_roster_file(by=by or tree.commune_admin, file_name=name, content=content)


def run(tree, job, **kwargs):
    services.confirm_roster_import(
        by=job.created_by, job=job, members_informed=True, **kwargs
    )  # tasks run eagerly in tests
    return RosterImport.objects.get(pk=job.pk)


@pytest.mark.parametrize("bom", [True, False])
def test_valid_csv_with_or_without_bom_imports_everyone(tree, bom):
    job = check(tree, csv_bytes(GOOD_ROWS, bom=bom))
    assert job.errors == []
    assert len(job.rows) == 3
    done = run(tree, job)
    assert done.status == RosterImport.Status.DONE
    assert (done.created_count, done.updated_count, done.unchanged_count) == (3, 0, 0)
    tuyet = User.objects.get(phone="+84912345678")
    assert tuyet.full_name == "Nguyễn Thị Ánh Tuyết"
    assert tuyet.first_name == "Tuyết"
    assert tuyet.date_of_birth.isoformat() == "1990-08-15"
    assert not tuyet.has_usable_password()
    assert Membership.objects.current().get(user=tuyet).role == "DEPUTY"
    assert (
        ActivationCode.objects.filter(user=tuyet, used_at__isnull=True).exclude(code="").count()
        == 1
    )


def test_importing_the_same_file_twice_changes_nothing(tree):
    run(tree, check(tree, csv_bytes(GOOD_ROWS)))
    before = (User.objects.count(), Membership.objects.count(), ActivationCode.objects.count())
    second = run(tree, check(tree, csv_bytes(GOOD_ROWS)))
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)
    assert (
        User.objects.count(),
        Membership.objects.count(),
        ActivationCode.objects.count(),
    ) == before


def test_upsert_updates_name_and_moves_team(tree):
    run(tree, check(tree, csv_bytes(GOOD_ROWS)))
    changed = ["Trần Văn Bình An,0987654321,P-X-T1,Thành viên,,"]
    done = run(tree, check(tree, csv_bytes(changed)))
    assert (done.created_count, done.updated_count) == (0, 1)
    binh = User.objects.get(phone="+84987654321")
    assert binh.full_name == "Trần Văn Bình An"
    assert Membership.objects.current().get(user=binh).unit.code == "P-X-T1"
    assert Membership.objects.filter(
        user=binh, unit__code="P-X-T2", ended_on__isnull=False
    ).exists()


def test_xlsx_with_numbers_dates_and_formula_cells(tree):
    import datetime

    content = xlsx_bytes(
        [
            ["Họ và tên", "Số điện thoại", "Mã đơn vị", "Vai trò", "Email", "Ngày sinh"],
            [
                '=HYPERLINK("http://x","Bấm")',
                912000111,
                "P-X-T1",
                "Thành viên",
                None,
                datetime.date(1985, 3, 2),
            ],
            ["Phạm Thị Cúc", "=1+1", "P-X-T1", "Thành viên", None, None],
        ]
    )
    job = check(tree, content, name="roster.xlsx")
    # The formula in the name cell is kept as plain text, never evaluated.
    assert job.rows[0]["full_name"].startswith("=HYPERLINK")
    assert job.rows[0]["phone"] == "+84912000111"
    assert job.rows[0]["date_of_birth"] == "1985-03-02"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Số điện thoại")]


def test_every_kind_of_bad_row_is_reported_in_vietnamese(tree, make_user):
    make_user(username="outsider", phone="+84966000000")  # someone outside the commune's scope
    services.assign_role(
        by=tree.root, user=User.objects.get(username="outsider"), unit=tree.t3, role="MEMBER"
    )
    rows = [
        ",0912000001,P-X-T1,,,",  # 2 missing name
        "Ngô Văn A,12345,P-X-T1,,,",  # 3 bad phone
        "Ngô Văn B,0912000003,KHONG-CO,,,",  # 4 unknown unit
        "Ngô Văn C,0912000004,P-Y-T3,,,",  # 5 unit outside scope
        "Ngô Văn D,0912000005,P-X-H,,,",  # 6 not a team
        "Ngô Văn E,0912000006,P-X-T1,Chủ tịch,,",  # 7 unknown role
        "Ngô Văn F,0912000007,P-X-T1,,khong-phai-email,",  # 8 bad email
        "Ngô Văn G,0912000008,P-X-T1,,,31/02/1990",  # 9 bad date
        "Ngô Văn H,0912000009,P-X-T1,,,",  # 10 fine
        "Ngô Văn I,0912 000 009,P-X-T1,,,",  # 11 duplicate of row 10
        "Ngô Văn K,0966000000,P-X-T1,,,",  # 12 clash with an account outside scope
    ]
    job = check(tree, csv_bytes(rows))
    assert sorted({e["row"] for e in job.errors}) == [2, 3, 4, 5, 6, 7, 8, 9, 11, 12]
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "họ và tên" in messages[2].lower()
    assert "số điện thoại" in messages[3].lower()
    assert "KHONG-CO" in messages[4]
    assert "phạm vi" in messages[5]
    assert "dòng 10" in messages[11]
    assert [r["row"] for r in job.rows] == [10]


def test_a_file_with_errors_imports_nothing_unless_only_valid_rows_is_chosen(tree):
    rows = [*GOOD_ROWS, "Sai Số,123,P-X-T1,,,"]
    job = check(tree, csv_bytes(rows))
    users_before = User.objects.count()
    with pytest.raises(ValidationError):
        services.confirm_roster_import(by=tree.commune_admin, job=job, members_informed=True)
    assert User.objects.count() == users_before
    done = run(tree, job, only_valid_rows=True)
    assert done.created_count == 3
    assert User.objects.count() == users_before + 3


def test_oversize_wrong_type_empty_and_headerless_files_are_refused(tree):
    from django.contrib.auth.models import Group

    cases = [
        (b"x" * (MAX_FILE_BYTES + 1), "roster.csv", "5 MB"),
        (b"anything", "roster.pdf", "(.xlsx)"),
        (b"", "roster.csv", "không có dữ liệu"),
        (b"a,b,c\n1,2,3\n", "roster.csv", "Họ và tên"),
        ("Họ và tên;Số điện thoại\n".encode("utf-16"), "roster.csv", "UTF-8"),
    ]
    users = User.objects.count()
    for content, name, expected in cases:
        job = check(tree, content, name=name)
        assert job.status == RosterImport.Status.FAILED, name
        assert expected in job.failure, (name, job.failure)
        assert not job.resume_from and not job.can_resume  # a corrected file is a new job
        assert not job.source  # the refused upload is not kept
    assert User.objects.count() == users
    assert Group.objects.filter(name="Quản trị đơn vị").exists()


def test_import_screens_preview_confirm_and_progress(client, home_page, tree):
    client.force_login(tree.commune_admin)
    upload = io.BytesIO(csv_bytes([*GOOD_ROWS, "Sai Số,123,P-X-T1,,,"]))
    upload.name = "danh-sach.csv"
    response = client.post(reverse("organisations_admin:import_upload"), {"file": upload})
    job = RosterImport.objects.get()
    assert response["Location"] == reverse("organisations_admin:import", args=[job.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "Nguyễn Thị Ánh Tuyết" in preview
    assert "123" in preview
    assert "<td>Thành viên</td>" in preview and ">MEMBER<" not in preview  # roles in words
    client.post(
        response["Location"], {"members_informed": "1"}
    )  # plain confirm is refused: the file has an error
    assert RosterImport.objects.get().status == RosterImport.Status.CHECKED
    client.post(response["Location"], {"only_valid": "1", "members_informed": "1"})
    assert RosterImport.objects.get().status == RosterImport.Status.DONE
    assert "100%" in client.get(response["Location"]).content.decode()


def test_another_administrator_cannot_see_or_confirm_my_import(client, home_page, tree):
    job = check(tree, csv_bytes(GOOD_ROWS))
    client.force_login(tree.province_admin)
    url = reverse("organisations_admin:import", args=[job.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert RosterImport.objects.get().status == RosterImport.Status.CHECKED


def test_template_download_has_the_expected_headers(client, home_page, tree):
    client.force_login(tree.commune_admin)
    response = client.get(reverse("organisations_admin:roster_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == [
        "Họ và tên",
        "Số điện thoại",
        "Mã đơn vị",
        "Vai trò",
        "Email",
        "Ngày sinh",
    ]
    # The template itself imports cleanly (its example codes aside).
    table = [[str(c.value or "") for c in row] for row in sheet.iter_rows()]
    assert len(table) == 3
