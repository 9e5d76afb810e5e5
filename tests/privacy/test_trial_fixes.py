"""What a user trial found in the personal-data screens: the notice linked from every page,
"Dữ liệu của tôi" short on a phone, local times in the access log, accepted notice versions
frozen, one copy of one's data per click burst, readable sheet names, the correction page
linking to the member, and nothing but "log out" in the header during the consent step."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from notifications.models import Kind, Notification
from privacy import services
from privacy.models import AccessLog, Consent, DataExport, PrivacyNotice
from reports.models import ReportExport

from .conftest import publish_notice

pytestmark = pytest.mark.django_db

NOTICE = "/privacy/"


def test_the_notice_is_linked_from_the_footer_the_login_and_the_verify_pages(
    client, home_page, tree, held
):
    link = f'href="{NOTICE}"'
    for url in (
        "/",
        reverse("accounts:login"),
        reverse("certificates:verify_form"),
        reverse("certificates:verify", args=[held.certificate.code]),
    ):
        html = client.get(url).content.decode()
        assert html.count(link) >= (2 if "account" in url or "verify" in url else 1), url
        assert "Cách chúng tôi xử lý dữ liệu cá nhân của bạn" in html


def test_my_data_starts_with_contents_and_the_requests_and_cuts_long_lists(client, tree, held):
    for n in range(25):
        Notification.objects.create(
            user=held.member,
            kind=Kind.ASSIGNED,
            key=f"n{n}",
            params={"campaign": f"Đợt {n}", "courses": "A"},
        )
    client.force_login(held.member)
    html = client.get(reverse("privacy:my_data")).content.decode()
    for anchor in ("#copy", "#correction", "#keep-name", "#profile", "#notifications"):
        assert f'href="{anchor}"' in html
    assert 'id="notifications"' in html and 'id="correction"' in html
    # The correction request and the keep-name choice come before the long sections.
    assert html.index('id="correction"') < html.index('id="profile"')
    assert html.index('id="keep-name"') < html.index('id="profile"')
    section = html[html.index('id="notifications"') :]
    section = section[: section.index("</section>")]
    assert "20 mục mới nhất trong 26 mục: xem tất cả trong tệp tải về" in section
    assert section.count('class="data-row"') == 20


def test_access_log_times_are_local(client, tree):
    export = ReportExport.objects.create(
        created_by=tree.commune_admin, kind=ReportExport.Kind.MEMBERS, file_format="xlsx"
    )
    at = datetime(2026, 12, 6, 23, 55, tzinfo=UTC)
    ReportExport.objects.filter(pk=export.pk).update(created_at=at)
    export.refresh_from_db()
    assert str(export).endswith("07/12/2026 06:55")
    AccessLog.objects.create(
        user=tree.commune_admin,
        kind="REPORT",
        description=str(export),
        unit=tree.x,
        unit_path=tree.x.path,
        at=at,
    )
    client.force_login(tree.province_admin)
    html = client.get(reverse("privacy_admin:access_log")).content.decode()
    assert html.count("07/12/2026 06:55") == 2 and "06/12/2026 23:55" not in html


def test_an_accepted_notice_version_cannot_be_changed_or_deleted(client, make_user, home_page):
    root = make_user(username="root", is_superuser=True, is_staff=True)
    notice = publish_notice(7)
    draft = PrivacyNotice.objects.create(
        version=8, title_vi="Bản nháp", title_en="Draft", text_vi="Nháp", text_en="Draft"
    )
    Consent.objects.create(user=make_user(phone="+84911000007"), notice=notice)
    client.force_login(root)
    edit = reverse("wagtailsnippets_privacy_privacynotice:edit", args=[notice.pk])
    delete = reverse("wagtailsnippets_privacy_privacynotice:delete", args=[notice.pk])
    refused = client.get(edit, follow=True)
    assert "không thể sửa hay xoá nữa" in refused.content.decode()
    form = {
        "version": "7",
        "title_vi": "Đã sửa",
        "title_en": "Changed",
        "text_vi": "Đã sửa",
        "text_en": "Changed",
        "published_at": "",
    }
    assert client.post(edit, form).status_code == 302
    assert client.post(delete).status_code == 302
    notice.refresh_from_db()
    assert notice.title_vi != "Đã sửa" and notice.published_at is not None
    # A version nobody accepted yet (a draft) is still edited as before.
    draft_edit = reverse("wagtailsnippets_privacy_privacynotice:edit", args=[draft.pk])
    assert client.get(draft_edit).status_code == 200


def test_seven_clicks_make_one_copy(client, tree, held):
    client.force_login(held.member)
    locations = {
        client.post(reverse("privacy:export_create")).headers["Location"] for _ in range(7)
    }
    assert DataExport.objects.filter(created_by=held.member).count() == 1
    assert len(locations) == 1


def test_sheet_names_fit_and_read_well(tree, held, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_data_export(user=held.member)
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = load_workbook(io.BytesIO(archive.read("du-lieu-cua-toi.xlsx"))).sheetnames
    assert all(len(name) <= 31 for name in names)
    assert "Thông báo đã đồng ý" in names
    assert "Thông báo dữ liệu cá nhân đã đồn" not in names


def test_the_correction_page_links_to_the_member_page(client, tree, held):
    correction = services.submit_correction(member=held.member, text="Ngày sinh sai: 02/03/1990")
    client.force_login(tree.leader)
    html = client.get(reverse("privacy_admin:correction", args=[correction.pk])).content.decode()
    assert reverse("organisations_admin:member", args=[held.member.pk]) in html


def test_the_consent_step_shows_only_log_out_in_the_header(
    client, home_page, make_user, consent_required
):
    publish_notice(1) if not PrivacyNotice.objects.exists() else None
    member = make_user(phone="+84911000005")
    client.force_login(member)
    html = client.get(NOTICE).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert reverse("accounts:logout") in header
    for url in (
        reverse("courses:catalogue"),
        reverse("privacy:my_data"),
        reverse("courses:search"),
    ):
        assert f'href="{url}"' not in header
    assert 'name="language"' in html  # the language switch stays (footer)
    client.post(NOTICE, {"agree": "1"})
    header = client.get(NOTICE).content.decode()
    assert f'href="{reverse("courses:catalogue")}"' in header


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seven_clicks_at_the_same_moment_make_one_copy(make_user):
    from tests.quizzes.test_attempts import run_in_threads

    member = make_user(phone="+84911000009")
    results = run_in_threads(7, lambda n: services.request_data_export(user=member))
    assert all(isinstance(r, DataExport) for r in results), results
    assert {r.pk for r in results} == {DataExport.objects.get(created_by=member).pk}


def test_a_click_right_after_the_copy_was_built_gets_that_copy(tree, held):
    """The first click's copy may be built before the last click of the burst arrives."""
    first = services.request_data_export(user=held.member)
    DataExport.objects.filter(pk=first.pk).update(status=DataExport.Status.DONE)
    assert services.request_data_export(user=held.member).pk == first.pk
    DataExport.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - services.EXPORT_BURST - timedelta(seconds=1)
    )
    later = services.request_data_export(user=held.member)
    assert later.pk != first.pk and later.status == DataExport.Status.QUEUED
