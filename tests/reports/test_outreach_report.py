"""The outreach report: figures checked against hand-computed numbers, drill-down, scope,
campaign targets, and the exports read back."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services as course_services
from courses.models import LessonPage
from organisations import services as org
from organisations.models import Role, UnitKind
from reports.models import ReportExport
from tests.outreach.conftest import add_entry
from training.models import Attendance, TrainingSession
from training.services import campaigns as campaign_services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REPORT = reverse("reports_admin:outreach")
SHARE_COMPLETED = "Tỷ lệ hoàn thành (%)"
KINDS = ["VNEID", "PUBLIC_SERVICE", "CASHLESS", "SCAM", "APP", "OTHER"]


@pytest.fixture
def field(tree, courses):
    """Course A completed by member1 and member3; member1 attended a session of it.
    Help in the last 20 days: member1 (T1, hamlet H, commune X) scams 4 + 3, VNeID 2;
    member2 (T2, commune X) VNeID 5 (and scams 1, 100 days ago: outside the period);
    member3 (T3, commune Y) non-cash 6, scams 2. The leader of T1 gave none."""
    course = courses[0]
    lesson = LessonPage.objects.child_of(course).get()
    for person in (tree.member1, tree.member3):
        course_services.start_lesson(user=person, lesson=lesson)
        course_services.complete_lesson(user=person, lesson=lesson)
    session = TrainingSession.objects.create(
        title="Lớp A",
        course=course,
        place="Hội trường",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
        trainer=tree.province_admin,
        capacity=20,
        created_by=tree.province_admin,
    )
    session.target_units.set([tree.p])
    Attendance.objects.create(session=session, user=tree.member1, method="QR")
    add_entry(tree.member1, tree.t1, tree.h, kind="SCAM", residents=4)
    add_entry(tree.member1, tree.t1, tree.h, kind="SCAM", residents=3, days_ago=10)
    add_entry(tree.member1, tree.t1, tree.h, kind="VNEID", residents=2)
    add_entry(tree.member2, tree.t2, tree.h, kind="VNEID", residents=5, days_ago=5)
    add_entry(tree.member2, tree.t2, tree.h, kind="SCAM", residents=1, days_ago=100)
    add_entry(tree.member3, tree.t3, tree.y, kind="CASHLESS", residents=6)
    add_entry(tree.member3, tree.t3, tree.y, kind="SCAM", residents=2, days_ago=3)
    return course


def params(course, **extra):
    return {
        "course": course.pk,
        "kind": "SCAM",
        "date_from": (TODAY - datetime.timedelta(days=20)).isoformat(),
        "date_to": TODAY.isoformat(),
        **extra,
    }


def figures(row):
    return {k: row.help[k] for k in [*KINDS, "total", "helpers"] if row.help[k]} | {
        "members": row.members,
        "completed": row.completed,
        "attended": row.attended,
    }


def test_province_figures_match_hand_counts(client, tree, field):
    client.force_login(tree.province_admin)
    response = client.get(REPORT, {"unit": tree.p.pk, **params(field)})
    assert response.status_code == 200
    rows = {row.name: figures(row) for row in response.context["rows"]}
    assert rows == {
        "Xã X": {
            "SCAM": 7,
            "VNEID": 7,
            "total": 14,
            "helpers": 2,
            "members": 3,
            "completed": 1,
            "attended": 1,
        },
        "Xã Y": {
            "SCAM": 2,
            "CASHLESS": 6,
            "total": 8,
            "helpers": 1,
            "members": 1,
            "completed": 1,
            "attended": 0,
        },
    }
    totals = figures(response.context["totals"])
    assert totals == {
        "SCAM": 9,
        "VNEID": 7,
        "CASHLESS": 6,
        "total": 22,
        "helpers": 3,
        "members": 4,
        "completed": 2,
        "attended": 1,
    }
    x = next(r for r in response.context["rows"] if r.name == "Xã X")
    assert (x.completed_percent, x.per_member("SCAM"), x.helpers_percent) == (33, 2.3, 67)
    html = response.content.decode()
    assert "Cảnh báo, trình báo lừa đảo" in html and "Tập huấn và hỗ trợ người dân sau đó" in html
    assert html.count("<svg") >= 2  # the trend and the training-beside-help chart
    # Weeks: the help per week adds up to the period's total, Monday first.
    weeks = response.context["week_rows"]
    assert all(monday.weekday() == 0 for monday, _cells, _total in weeks)
    assert sum(total for _m, _c, total in weeks) == 22
    expected = {}
    for days_ago, n in ((0, 4 + 2 + 6), (10, 3), (5, 5), (3, 2)):
        day = TODAY - datetime.timedelta(days=days_ago)
        monday = day - datetime.timedelta(days=day.weekday())
        expected[monday] = expected.get(monday, 0) + n
    assert {m: t for m, _c, t in weeks if t} == expected


def test_drill_down_to_a_team_lists_its_members(client, tree, field):
    client.force_login(tree.province_admin)
    commune = client.get(REPORT, {"unit": tree.x.pk, **params(field)})
    rows = {row.name: figures(row) for row in commune.context["rows"]}
    assert rows == {
        "Ấp H": {
            "SCAM": 7,
            "VNEID": 2,
            "total": 9,
            "helpers": 1,
            "members": 2,
            "completed": 1,
            "attended": 1,
        },
        "Tổ T2": {
            "VNEID": 5,
            "total": 5,
            "helpers": 1,
            "members": 1,
            "completed": 0,
            "attended": 0,
        },
    }
    assert f"?unit={tree.h.pk}" in commune.content.decode()
    team = client.get(REPORT, {"unit": tree.t1.pk, **params(field)})
    assert team.context["is_team"]
    members = {
        row.name: (row.help["SCAM"], row.help["VNEID"], row.completed, row.attended)
        for row in team.context["rows"]
    }
    assert members == {"Người leader1": (0, 0, 0, 0), "Người member1": (7, 2, 1, 1)}
    assert reverse("reports_admin:member", args=[tree.member1.pk]) in team.content.decode()


def test_the_outreach_report_is_scoped(client, tree, field, make_user):
    y_admin = make_user(username="yadmin", phone="+84900000099")
    org.assign_role(by=tree.root, user=y_admin, unit=tree.y, role=Role.UNIT_ADMIN)
    client.force_login(y_admin)
    assert client.get(REPORT, {"unit": tree.x.pk}).status_code == 404
    own = client.get(REPORT, params(field))
    assert own.context["unit"] == tree.y
    assert [row.name for row in own.context["rows"]] == ["Tổ T3"]
    response = client.post(
        reverse("reports_admin:outreach_export"),
        {"report": "OUTREACH", "format": "xlsx", "unit": tree.x.pk},
    )
    assert response.status_code == 302 and not ReportExport.objects.exists()
    client.force_login(tree.member1)  # no admin
    assert client.get(REPORT).status_code in (302, 404)


def test_bad_filters_fall_back_with_a_message(client, tree, field):
    client.force_login(tree.province_admin)
    response = client.get(
        REPORT, {"unit": tree.p.pk, "date_from": "2026-13-40", "kind": "X", "campaign": "abc"}
    )
    assert response.status_code == 200
    assert "Một số bộ lọc không hợp lệ" in response.content.decode()
    assert response.context["filters"].kind == "SCAM"


def _export(client, capture, **data):
    with capture(execute=True):
        response = client.post(reverse("reports_admin:outreach_export"), data)
    export = ReportExport.objects.latest("pk")
    assert response["Location"] == reverse("reports_admin:export", args=[export.pk])
    assert export.status == "DONE"
    content = client.get(reverse("reports_admin:export_download", args=[export.pk]))
    return export, b"".join(content.streaming_content)


def test_excel_export_per_unit_and_per_week(
    client, tree, field, django_capture_on_commit_callbacks
):
    org.create_unit(parent=tree.y, kind=UnitKind.TEAM, name='=HYPERLINK("http://x")', code="P-Y-T9")
    evil = tree.y.get_children().get(code="P-Y-T9")
    someone = org.add_member(by=tree.root, unit=evil, full_name="Lê Văn Tám", phone="0900000088")
    add_entry(someone, evil, tree.y, kind="APP", residents=1)
    client.force_login(tree.province_admin)
    _export_job, content = _export(
        client,
        django_capture_on_commit_callbacks,
        report="OUTREACH",
        format="xlsx",
        **params(field, unit=tree.p.pk),
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:4] == ["Đơn vị hoặc thành viên", "Mã", "Thành viên", "Thành viên đã hỗ trợ"]
    assert header[4:10] == [
        "Kích hoạt VNeID mức 2",
        "Nộp hồ sơ dịch vụ công trực tuyến",
        "Cài đặt thanh toán không dùng tiền mặt",
        "Cảnh báo, trình báo lừa đảo",
        "Cài đặt ứng dụng",
        "Hỗ trợ khác",
    ]
    assert header[10:] == [
        "Số người dân được hỗ trợ",
        "Lượt ghi",
        f"Đã hoàn thành: {field.title}",
        SHARE_COMPLETED,
        "Đã dự lớp tập huấn trực tiếp",
    ]
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["P-X"][2:12] == [3, 2, 7, 0, 0, 7, 0, 0, 14, 4]
    assert by_code["P-X"][12] == 1 and by_code["P-X"][14] == 1
    assert by_code["P-Y"][2:12] == [2, 2, 0, 0, 6, 2, 1, 0, 9, 3]
    assert rows[-1][0] == "Tổng cộng" and rows[-1][2:12] == [5, 4, 7, 0, 6, 9, 1, 0, 23, 7]
    about = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows()}
    assert "Chỉ số lượng" in about

    y = client.get(REPORT, {"unit": tree.y.pk, **params(field)})
    assert "=HYPERLINK(&quot;http://x&quot;)" in y.content.decode()  # escaped on screen
    _export_job, content = _export(
        client,
        django_capture_on_commit_callbacks,
        report="OUTREACH",
        format="csv",
        **params(field, unit=tree.y.pk),
    )
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert ['\'=HYPERLINK("http://x")', "P-Y-T9"] in [row[:2] for row in table]

    _export_job, content = _export(
        client,
        django_capture_on_commit_callbacks,
        report="OUTREACH_W",
        format="xlsx",
        **params(field, unit=tree.p.pk),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    weeks = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert weeks[0][0] == "Tuần từ ngày" and weeks[0][-1] == "Số người dân được hỗ trợ"
    assert sum(row[-1] for row in weeks[1:]) == 23
    assert all(datetime.datetime.strptime(row[0], "%d/%m/%Y").weekday() == 0 for row in weeks[1:])


def test_campaign_target_progress_on_the_campaign_page_the_report_and_for_the_member(
    client, tree, field
):
    campaign = campaign_services.create_campaign(
        by=tree.province_admin,
        title="Tháng cao điểm VNeID",
        course_ids=[field.pk],
        unit_codes=["P-X"],
        starts_on=TODAY - datetime.timedelta(days=10),
        due_on=TODAY + datetime.timedelta(days=20),
        status="RUNNING",
    )
    client.force_login(tree.commune_admin)
    add = reverse("outreach_admin:add_target", args=[campaign.pk])
    refused = client.post(add, {"kind": "VNEID", "per_member": "0"}, follow=True)
    assert "Hãy nhập số người dân mỗi thành viên, từ 1 đến 1000." in refused.content.decode()
    response = client.post(add, {"kind": "VNEID", "per_member": "5"})
    assert response.status_code == 302
    target = campaign.outreach_targets.get()
    assert (target.starts_on, target.ends_on) == (campaign.starts_on, campaign.due_on)
    page = client.get(reverse("training_admin:detail", args=[campaign.pk])).content.decode()
    # X's members: leader (0), member1 (2), member2 (5, reached): 7 of 15.
    assert "7 / 15 (47%)" in page and "1 / 3" in page
    client.force_login(tree.province_admin)
    report = client.get(REPORT, {"unit": tree.p.pk, "campaign": campaign.pk, "course": field.pk})
    rows = {row.name: row for row in report.context["rows"]}
    assert rows["Xã X"].reached == {"VNEID": 1} and rows["Xã X"].members == 3
    assert "Xã Y" not in rows  # the campaign is commune X's
    # Chosen by the campaign alone (a link), the help compared is the campaign's target kind.
    linked = client.get(REPORT, {"unit": tree.p.pk, "campaign": campaign.pk})
    assert linked.context["form"]["kind"].value() == "VNEID"
    assert linked.context["filters"].kind == "VNEID"
    client.force_login(tree.member1)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "Tháng cao điểm VNeID: Kích hoạt VNeID mức 2 — 2/5 người dân" in html
    client.force_login(tree.member3)
    assert "Tháng cao điểm VNeID" not in client.get(reverse("outreach:mine")).content.decode()


def test_member_record_shows_sessions_and_help(
    client, tree, field, django_capture_on_commit_callbacks
):
    client.force_login(tree.commune_admin)
    page = client.get(reverse("reports_admin:member", args=[tree.member1.pk])).content.decode()
    assert "Lớp tập huấn trực tiếp" in page and "Lớp A" in page
    assert "Cảnh báo, trình báo lừa đảo: <strong>7</strong>" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports_admin:export_create"),
            {"kind": "RECORD", "format": "csv", "member": tree.member1.pk},
        )
    export = ReportExport.objects.get()
    content = client.get(reverse("reports_admin:export_download", args=[export.pk]))
    table = list(csv.reader(io.StringIO(b"".join(content.streaming_content).decode("utf-8-sig"))))
    kinds = [row[0] for row in table[1:]]
    assert kinds.count("Lớp tập huấn trực tiếp") == 1
    assert kinds.count("Nhật ký hỗ trợ người dân") == 3


def test_a_province_reads_its_training_figures_from_the_fresh_roll_up(client, tree, field):
    from reports import services as report_services

    client.force_login(tree.province_admin)
    live = client.get(REPORT, {"unit": tree.p.pk, **params(field)})
    report_services.refresh_rollups()
    rolled = client.get(REPORT, {"unit": tree.p.pk, **params(field)})
    assert rolled.context["totals"].freshness is not None
    assert "Thành viên và số hoàn thành tính đến" in rolled.content.decode()
    assert [figures(r) for r in rolled.context["rows"]] == [
        figures(r) for r in live.context["rows"]
    ]
    assert figures(rolled.context["totals"]) == figures(live.context["totals"])


def test_the_chart_prints_numbers_as_the_tables_do():
    from django.utils import translation

    from reports.outreach_charts import training_and_help

    with translation.override("vi"):
        svg = str(training_and_help([("Xã X", 13.5, 3.8)], title="T", first="A", second="B"))
    assert ">13,5%</text>" in svg and ">3,8</text>" in svg and "13.5" not in svg
