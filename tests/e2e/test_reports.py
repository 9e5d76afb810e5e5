"""A province administrator on a phone and on a desktop: dashboard, drill-down to a lagging
team, the overdue members exported to Excel and opened; a screenshot of each step."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from organisations.models import OrgUnit
from reports.models import ReportExport
from tests.e2e.conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_province_admin_drills_down_and_exports_the_overdue(
    live_server, browser, size, screenshots
):
    call_command("seed_demo", stdout=StringIO())
    team = OrgUnit.objects.get(code="VL-X02-T01")
    hamlet, commune = team.get_parent(), OrgUnit.objects.get(code="VL-X02")
    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server.url, "tinh")

    page.goto(live_server.url + "/admin/reports/")
    assert "Chứng chỉ còn hiệu lực" in page.content()
    assert "Số liệu lúc" in page.content()  # the province is read from the roll-up
    screenshots.take(page, "tinh")
    with page.expect_navigation():
        page.get_by_role("link", name=commune.name, exact=True).click()
    screenshots.take(page, "xa")
    if hamlet.kind == "HAMLET":
        with page.expect_navigation():
            page.get_by_role("link", name=hamlet.name, exact=True).click()
        screenshots.take(page, "ap")
    page.get_by_role("link", name=team.name, exact=True).click()
    page.wait_for_url("**/admin/reports/members/**")
    page.get_by_role("link", name="Quá hạn", exact=True).click()
    page.wait_for_url("**status=overdue**")
    screenshots.take(page, "qua-han")
    overdue_names = page.locator("table.report-table tbody tr td:first-child a").all_inner_texts()
    assert overdue_names  # the demo team is behind on its October campaign

    page.get_by_role("button", name="Xuất Excel").click()
    page.wait_for_url("**/admin/reports/exports/**")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải về").click()
    with open(download_info.value.path(), "rb") as downloaded:
        sheet = openpyxl.load_workbook(io.BytesIO(downloaded.read())).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Họ và tên"
    assert sorted(row[0] for row in rows[1:]) == sorted(overdue_names)
    assert all(row[6] == "Có" for row in rows[1:])
    assert ReportExport.objects.get().status == "DONE"
    screenshots.take(page, "xuat-excel")
    context.close()
