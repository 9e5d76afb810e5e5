import csv
import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from organisations import services as org
from organisations.models import Role
from quizzes.models import QuizPage
from reports import figures, rollup, services
from reports.filters import Filters
from reports.models import ReportExport, UnitRollup

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports_admin:dashboard")
MEMBERS = reverse("reports_admin:members")


def export(client, capture, **data):
    with capture(execute=True):
        response = client.post(reverse("reports_admin:export_create"), data)
    return response


def download(client, export):
    response = client.get(reverse("reports_admin:export_download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_commune_admin_sees_only_their_commune(
    client, tree, learning, django_capture_on_commit_callbacks
):
    client.force_login(tree.commune_admin)
    page = client.get(DASHBOARD).content.decode()
    assert "Ấp H" in page and "Tổ T2" in page
    assert "Xã Y" not in page and "Người member3" not in page
    assert client.get(DASHBOARD, {"unit": tree.y.pk}).status_code == 404
    assert client.get(MEMBERS, {"unit": tree.p.pk}).status_code == 404
    assert client.get(reverse("reports_admin:member", args=[tree.member3.pk])).status_code == 404
    everyone = client.get(MEMBERS).content.decode()
    assert "Người member1" in everyone and "Người member3" not in everyone
    response = export(
        client, django_capture_on_commit_callbacks, kind="MEMBERS", format="xlsx", unit=tree.y.pk
    )
    assert response.status_code == 302 and not ReportExport.objects.exists()  # refused
    export(client, django_capture_on_commit_callbacks, kind="MEMBERS", format="csv", unit=tree.x.pk)
    text = download(client, ReportExport.objects.get()).decode("utf-8-sig")
    assert "Người member1" in text and "Người member3" not in text
    assert client.get(reverse("reports_admin:questions")).status_code == 404  # trainers only


def test_another_admin_cannot_fetch_my_export(
    client, tree, learning, django_capture_on_commit_callbacks
):
    client.force_login(tree.province_admin)
    export(client, django_capture_on_commit_callbacks, kind="UNITS", format="xlsx", unit=tree.p.pk)
    mine = ReportExport.objects.get()
    client.force_login(tree.commune_admin)
    assert client.get(reverse("reports_admin:export", args=[mine.pk])).status_code == 404
    assert client.get(reverse("reports_admin:export_download", args=[mine.pk])).status_code == 404


def test_exports_are_injection_safe_and_vietnamese(
    client, tree, learning, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=tree.member2.pk).update(
        last_name='=HYPERLINK("http://x")', first_name="Lan"
    )
    User.objects.filter(pk=tree.leader.pk).update(last_name="@SUM(A1:A9)", first_name="+Đức")
    client.force_login(tree.province_admin)
    response = export(
        client,
        django_capture_on_commit_callbacks,
        kind="MEMBERS",
        format="xlsx",
        unit=tree.p.pk,
        status="overdue",
    )
    job = ReportExport.objects.get()
    assert response["Location"] == reverse("reports_admin:export", args=[job.pk])
    assert job.status == "DONE" and job.total == 2
    assert "100%" in client.get(response["Location"]).content.decode()
    book = openpyxl.load_workbook(io.BytesIO(download(client, job)))
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:6] == ["Họ và tên", "Số điện thoại", "Tổ", "Mã tổ", "Vai trò", "Trạng thái"]
    names = sorted(row[0] for row in rows[1:])
    # XLSX: explicit text cells, shown exactly as written, without a visible quote
    assert names == ['=HYPERLINK("http://x") Lan', "@SUM(A1:A9) +Đức"]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row[:1])
    with zipfile.ZipFile(io.BytesIO(download(client, job))) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and 't="inlineStr"' in xml
    assert {row[6] for row in rows[1:]} == {"Có"}  # both overdue
    assert "Tổ T2" in {row[2] for row in rows[1:]}
    about = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows()}
    assert about["Chỉ gồm"] == "Quá hạn"

    export(client, django_capture_on_commit_callbacks, kind="MEMBERS", format="csv", unit=tree.p.pk)
    job = ReportExport.objects.filter(file_format="csv").get()
    table = list(csv.reader(io.StringIO(download(client, job).decode("utf-8-sig"))))
    assert table[0][0] == "Họ và tên" and len(table) == 5
    assert {row[0] for row in table[1:]} >= {'\'=HYPERLINK("http://x") Lan', "'@SUM(A1:A9) +Đức"}


def test_units_export_matches_the_dashboard(
    client, tree, learning, django_capture_on_commit_callbacks
):
    client.force_login(tree.province_admin)
    export(client, django_capture_on_commit_callbacks, kind="UNITS", format="xlsx", unit=tree.p.pk)
    book = openpyxl.load_workbook(io.BytesIO(download(client, ReportExport.objects.get())))
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert rows[0][:4] == ["Đơn vị", "Mã", "Thành viên", "Đã hoàn thành"]
    assert rows[1][:6] == ["Xã X", "P-X", 3, 1, 33, 1]
    assert rows[-1][:4] == ["Tổng cộng", "P", 4, 2]


def test_bad_filters_get_a_message_and_change_nothing(client, tree, learning):
    client.force_login(tree.province_admin)
    response = client.get(
        DASHBOARD, {"unit": tree.p.pk, "date_from": "2026-12-31", "date_to": "2026-01-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "trước ngày bắt đầu" in page
    assert "Một số bộ lọc không hợp lệ" in page
    response = client.get(MEMBERS, {"unit": tree.p.pk, "status": "nonsense"})
    assert "Người member3" in response.content.decode()


def test_a_bad_filter_is_left_out_and_the_good_ones_still_apply(client, tree, learning):
    """The admin trial: one bad date threw away the role filter too, under a form that still
    showed "Tổ trưởng" chosen, with a message that spoke only of courses."""
    client.force_login(tree.province_admin)
    response = client.get(DASHBOARD, {"unit": tree.p.pk, "role": Role.LEADER, "date_from": "abc"})
    assert response.context["filters"].role == Role.LEADER
    assert response.context["totals"]["members"] == 1  # the leader only
    page = response.content.decode()
    assert "Một số bộ lọc không hợp lệ và đã bị bỏ qua: Hoàn thành từ ngày." in page
    response = client.get(
        MEMBERS,
        {
            "unit": tree.p.pk,
            "role": Role.LEADER,
            "course": learning.course_a.pk,
            "campaign": learning.campaign.pk,
        },
    )
    filters = response.context["filters"]
    assert filters.role == Role.LEADER and filters.course is None and filters.campaign is None
    assert [m.user.username for m in response.context["page"]] == ["leader1"]


def test_dashboard_queries_do_not_grow_with_members(
    client, tree, learning, make_user, django_assert_max_num_queries
):
    client.force_login(tree.province_admin)
    client.get(DASHBOARD)  # warm caches (site, settings)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(DASHBOARD, {"unit": tree.p.pk})
    for n in range(30):
        person = make_user(username=f"them{n}", phone=f"+8491000{n:04d}")
        org.assign_role(
            by=tree.root, user=person, unit=tree.t2 if n % 2 else tree.t3, role=Role.MEMBER
        )
    with CaptureQueriesContext(connection) as after:
        page = client.get(DASHBOARD, {"unit": tree.p.pk}).content.decode()
    assert "34" in page  # 4 + 30 members
    assert len(after) == len(before)


def test_national_rollup_matches_live_figures_after_refresh(client, tree, learning):
    assert services.refresh_rollups() > 0
    rows, _ = rollup.national_rows()
    (province,) = rows
    _, live = figures.breakdown(tree.p, Filters())
    assert province.figures == live
    communes, _ = figures.breakdown(tree.p, Filters())
    for row in communes:
        stored = UnitRollup.objects.get(unit=row.unit, course=None)
        assert {name: getattr(stored, name) for name in figures.METRICS} == {
            name: row.figures[name] for name in figures.METRICS
        }
    by_course = UnitRollup.objects.get(unit=tree.p, course=learning.course_a)
    assert by_course.completed == 2
    client.force_login(tree.root)
    page = client.get(DASHBOARD).content.decode()
    assert "Số liệu toàn quốc lúc" in page and "Tỉnh Thử" in page


def test_trainers_see_question_analysis(client, tree, learning, make_user):
    trainer = make_user(username="gv", is_staff=True)
    trainer.groups.add(Group.objects.get(name="Giảng viên"))
    client.force_login(trainer)
    page = client.get(reverse("reports_admin:questions")).content.decode()
    assert "Câu hỏi" in page


def test_charts_and_member_record_are_scoped(client, tree, learning):
    client.force_login(tree.commune_admin)
    trend = client.get(reverse("reports_admin:chart", args=["trend"]), {"unit": tree.x.pk})
    assert trend["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in trend.content and b"<rect" in trend.content
    rates = client.get(reverse("reports_admin:chart", args=["pass-rates"]), {"unit": tree.x.pk})
    # commune X: attempts of member1 (60, 90) and member2 (40); one of three passed
    assert "Kiểm tra A" in rates.content.decode() and "33% (1/3)" in rates.content.decode()
    course = QuizPage.objects.get(title="Kiểm tra A").get_parent().title
    assert f'font-size="10" fill="#555">{course}</text>' in rates.content.decode()  # 2nd line
    chart = reverse("reports_admin:chart", args=["trend"])
    assert client.get(chart, {"unit": tree.y.pk}).status_code == 404
    record = client.get(reverse("reports_admin:member", args=[tree.member1.pk])).content.decode()
    assert "Kiểm tra A" in record and "90" in record and "Hết hạn trong 30 ngày" not in record


def test_exports_older_than_a_week_are_deleted(
    client, tree, learning, django_capture_on_commit_callbacks
):
    import datetime

    import time_machine
    from django.utils import timezone

    client.force_login(tree.province_admin)
    export(client, django_capture_on_commit_callbacks, kind="UNITS", format="csv", unit=tree.p.pk)
    job = ReportExport.objects.get()
    assert job.file.storage.exists(job.file.name)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        assert services.purge_old_exports() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert services.purge_old_exports() == 1
    assert not ReportExport.objects.exists()
    assert not job.file.storage.exists(job.file.name)


def test_member_record_and_national_exports(
    client, tree, learning, django_capture_on_commit_callbacks
):
    client.force_login(tree.commune_admin)
    export(
        client,
        django_capture_on_commit_callbacks,
        kind="RECORD",
        format="xlsx",
        member=tree.member3.pk,
    )
    assert not ReportExport.objects.exists()  # commune Y is not theirs
    export(client, django_capture_on_commit_callbacks, kind="NATIONAL", format="xlsx")
    assert not ReportExport.objects.exists()  # superusers only
    export(
        client,
        django_capture_on_commit_callbacks,
        kind="RECORD",
        format="xlsx",
        member=tree.member1.pk,
    )
    book = openpyxl.load_workbook(io.BytesIO(download(client, ReportExport.objects.get())))
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert rows[0] == ["Mục", "Tên", "Bắt đầu / cấp ngày", "Hoàn thành / hết hạn", "Kết quả"]
    kinds = [row[0] for row in rows[1:]]
    assert kinds.count("Bài học") == 1 and kinds.count("Bài kiểm tra") == 2
    assert [k for k in kinds if k == "Chứng chỉ"] == ["Chứng chỉ"]
    assert "90% – Đạt" in [row[4] for row in rows[1:]]

    services.refresh_rollups()
    client.force_login(tree.root)
    export(client, django_capture_on_commit_callbacks, kind="NATIONAL", format="csv")
    table = list(
        csv.reader(
            io.StringIO(
                download(client, ReportExport.objects.get(kind="NATIONAL")).decode("utf-8-sig")
            )
        )
    )
    assert table[1][:4] == ["Tỉnh Thử", "P", "4", "2"]


def test_unit_names_in_the_figures_table_are_escaped(client, tree, learning):
    """The table is built as one string (for speed), so the escaping is checked here."""
    tree.h.name = '<script>alert("x")</script>'
    tree.h.save()
    client.force_login(tree.commune_admin)
    page = client.get(DASHBOARD, {"unit": tree.x.pk}).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_team_leader_filters_by_the_campaign_of_their_commune(client, tree, learning):
    """The admin trial: the campaign over the leader's commune made the whole team overdue,
    and the leader could not choose it in the filter ("not a valid choice")."""
    from training.models import Campaign

    client.force_login(tree.leader)
    response = client.get(DASHBOARD, {"unit": tree.t1.pk, "campaign": learning.campaign.pk})
    assert response.status_code == 200
    assert response.context["filters"].campaign == learning.campaign
    assert response.context["totals"]["overdue"] == 1  # the leader; member1 completed
    assert learning.campaign in response.context["form"].fields["campaign"].queryset
    services.request_export(
        by=tree.leader,
        kind="MEMBERS",
        file_format="csv",
        params={"unit": tree.t1.pk, "campaign": learning.campaign.pk},
    )
    # A campaign of commune Y does not reach the leader's team: not offered, refused.
    elsewhere = Campaign.objects.create(
        title="Đợt xã Y",
        starts_on=learning.campaign.starts_on,
        due_on=learning.campaign.due_on,
        status="RUNNING",
        created_by=tree.root,
    )
    elsewhere.target_units.set([tree.y])
    response = client.get(DASHBOARD, {"unit": tree.t1.pk, "campaign": elsewhere.pk})
    assert response.context["filters"].campaign is None
    with pytest.raises(ValidationError):
        services.request_export(
            by=tree.leader,
            kind="MEMBERS",
            file_format="csv",
            params={"unit": tree.t1.pk, "campaign": elsewhere.pk},
        )
