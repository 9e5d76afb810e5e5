"""The notice is public; a signed-in member accepts it before anything else, at
activation (after choosing a password) and again when a new version is published."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from privacy.models import Consent, PrivacyNotice

from .conftest import publish_notice

pytestmark = pytest.mark.django_db

NOTICE = "/privacy/"


def test_the_notice_is_public_in_vietnamese_and_in_english(client, home_page):
    page = client.get(NOTICE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Thông báo xử lý dữ liệu cá nhân" in text
    assert "Nghị định 13/2023/NĐ-CP" in text
    assert "Bên kiểm soát dữ liệu" in text
    assert 'name="agree"' not in text  # nobody to accept it: no form
    client.post("/i18n/setlang/", {"language": "en", "next": NOTICE})
    english = client.get(NOTICE).content.decode()
    assert "Notice on the processing of personal data" in english


def test_the_controller_contact_comes_from_the_platform_settings(client, home_page):
    from wagtail.models import Site

    from home.models import PlatformSettings

    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    platform.contact_email = "dulieu@so-tttt.example.vn"
    platform.save()
    assert "dulieu@so-tttt.example.vn" in client.get(NOTICE).content.decode()


def test_activation_then_notice_then_nothing_else_until_accepted(
    client, home_page, make_user, consent_required
):
    newcomer = make_user(full_name="Đỗ Thị Duyên", phone="+84911222333", username="duyen")
    newcomer.set_unusable_password()
    newcomer.save()
    code = account_services.issue_activation_code(user=newcomer)
    client.post("/account/login/", {"username": "0911222333", "password": code.code})
    # The activation step comes first...
    assert client.get("/").headers["Location"] == reverse("accounts:choose_password")
    done = client.post(
        reverse("accounts:choose_password"),
        {"new_password1": "Hoc-ky-nang-so-2026", "new_password2": "Hoc-ky-nang-so-2026"},
    )
    # ...then the notice, and every page leads back to it.
    target = client.get(done.headers["Location"])
    assert target.status_code == 302 and target.headers["Location"].startswith(NOTICE)
    for path in ("/", reverse("privacy:my_data"), reverse("certificates:mine"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith(NOTICE), path
    # The notice, static files and logging out stay open.
    page = client.get(target.headers["Location"])
    assert page.status_code == 200 and 'name="agree"' in page.content.decode()

    # Not ticked: refused with a message, nothing recorded.
    refused = client.post(NOTICE, {"next": "/me/certificates/"})
    assert refused.status_code == 400
    assert "Đánh dấu vào ô" in refused.content.decode()
    assert not Consent.objects.exists()
    assert client.get("/").status_code == 302

    accepted = client.post(NOTICE, {"agree": "1", "next": "/me/certificates/"})
    assert accepted.headers["Location"] == "/me/certificates/"
    consent = Consent.objects.get(user=newcomer)
    assert consent.notice.version == 1 and consent.accepted_at is not None
    assert client.get("/").status_code == 200
    assert client.get(reverse("privacy:my_data")).status_code == 200


def test_a_new_version_is_accepted_again(client, home_page, make_user, consent_required):
    member = make_user(phone="+84911000001")
    client.force_login(member)
    client.post(NOTICE, {"agree": "1"})
    assert client.get(reverse("certificates:mine")).status_code == 200

    publish_notice(2)
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 302 and response.headers["Location"].startswith(NOTICE)
    assert "phiên bản 2" in client.get(NOTICE).content.decode()
    client.post(NOTICE, {"agree": "1"})
    assert client.get(reverse("certificates:mine")).status_code == 200
    assert sorted(
        Consent.objects.filter(user=member).values_list("notice__version", flat=True)
    ) == [1, 2]


def test_an_unpublished_version_changes_nothing(client, home_page, make_user, consent_required):
    member = make_user(phone="+84911000002")
    client.force_login(member)
    client.post(NOTICE, {"agree": "1"})
    PrivacyNotice.objects.create(
        version=3, title_vi="Nháp", title_en="Draft", text_vi="x", text_en="x"
    )
    assert client.get(reverse("certificates:mine")).status_code == 200


def test_logging_out_stays_open(client, home_page, make_user, consent_required):
    member = make_user(phone="+84911000003")
    client.force_login(member)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert (
        client.get(reverse("certificates:mine")).headers["Location"].startswith("/account/login/")
    )


def test_a_superuser_publishes_a_new_version_in_the_admin(
    client, home_page, make_user, consent_required
):
    from django.utils import timezone

    root = make_user(username="root", is_superuser=True, is_staff=True)
    member = make_user(phone="+84911000004")
    for person in (root, member):
        client.force_login(person)
        client.post(NOTICE, {"agree": "1"})
    client.force_login(root)
    add = reverse("wagtailsnippets_privacy_privacynotice:add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "version": "2",
            "title_vi": "Thông báo xử lý dữ liệu cá nhân (sửa đổi)",
            "title_en": "Privacy notice (amended)",
            "text_vi": "Nội dung mới.",
            "text_en": "New text.",
            "published_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PrivacyNotice.objects.filter(version=2, published_at__isnull=False).exists()
    client.force_login(member)
    assert client.get(reverse("certificates:mine")).headers["Location"].startswith(NOTICE)
    assert "(sửa đổi)" in client.get(NOTICE).content.decode()
    # A plain member has no way into the notices' admin.
    assert client.get(add).status_code == 302


def test_once_accepted_the_gate_asks_the_database_nothing(
    client, home_page, make_user, consent_required
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = make_user(phone="+84911000005")
    client.force_login(member)
    client.post(NOTICE, {"agree": "1"})
    client.get(reverse("certificates:mine"))  # the version in force is cached now
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("certificates:mine")).status_code == 200
    assert not [q["sql"] for q in queries if "privacy_" in q["sql"]]
