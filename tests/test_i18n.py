import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_even_when_the_browser_asks_for_english(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert response["Content-Language"] == "vi"


def test_login_page_is_vietnamese(client, home_page):
    html = client.get("/account/login/").content.decode()
    assert "Số điện thoại hoặc tên đăng nhập" in html
    assert "Mật khẩu hoặc mã kích hoạt" in html


def test_404_is_vietnamese(client, home_page):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_500_page_is_vietnamese_and_standalone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Đã xảy ra lỗi" in html


def test_language_switch_to_english_and_back(client, home_page):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Log in" in english
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Đăng nhập" in client.get("/").content.decode()


def test_dates_are_day_month_year():
    import datetime

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(datetime.date(2026, 7, 1), "SHORT_DATE_FORMAT") == "01/07/2026"
        assert formats.number_format(10195, force_grouping=True) == "10.195"


def test_home_page_text_is_editable_content(client, home_page):
    home_page.intro = "Lời chào mới của giảng viên"
    home_page.save_revision().publish()
    assert "Lời chào mới của giảng viên" in client.get("/").content.decode()


def test_platform_settings_show_on_every_page(client, home_page):
    from wagtail.models import Site

    from home.models import PlatformSettings

    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    platform.name = "Học số Vĩnh Long"
    platform.contact_phone = "0270 1234 567"
    platform.save()
    html = client.get("/account/login/").content.decode()
    assert "Học số Vĩnh Long" in html
    assert "0270 1234 567" in html
