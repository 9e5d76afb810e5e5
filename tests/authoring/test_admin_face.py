"""The admin wears the platform's own name and logo, and its Help menu opens a Vietnamese
trainer guide; details a trainer meets while writing."""

import pytest
from wagtail.models import Site

from home.models import PlatformSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(home_page):
    settings = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    settings.name = "Học số Vĩnh Long"
    settings.save()
    return settings


def test_login_page_shows_the_platform(client, platform, picture):
    html = client.get("/admin/login/").content.decode()
    assert "Đăng nhập vào Học số Vĩnh Long" in html
    assert "<title>" in html and "Học số Vĩnh Long</title>" in html
    assert "Wagtail</title>" not in html
    # Wagtail leaves its fields unlabelled: Django would print "Password" in English.
    label = html.split('id="id_password-label">')[1].split("<span")[0]
    assert label.strip() == "Mật khẩu" and "Password" not in html

    platform.logo = picture
    platform.save()
    html = client.get("/admin/login/").content.decode()
    assert 'class="platform-logo"' in html and 'alt="Học số Vĩnh Long"' in html


def test_sidebar_and_titles_show_the_platform(client, platform, trainer, picture):
    html = client.get("/admin/").content.decode()
    assert "Học số Vĩnh Long</title>" in html
    branding = html.split("data-wagtail-sidebar-branding-logo>")[1].split("</template>")[0]
    assert "platform-logo" in branding and "<svg" in branding  # initials without a logo
    platform.logo = picture
    platform.save()
    html = client.get("/admin/").content.decode()
    branding = html.split("data-wagtail-sidebar-branding-logo>")[1].split("</template>")[0]
    assert "<img" in branding and 'alt="Học số Vĩnh Long"' in branding


def test_help_menu_opens_the_trainer_guide(client, platform, trainer):
    import json
    import re

    html = client.get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "/admin/trainer-guide/" in props
    assert "Hướng dẫn cho giảng viên" in json.loads(props).__repr__() or (
        "H\\u01b0\\u1edbng d\\u1eabn cho gi\\u1ea3ng vi\\u00ean" in props
    )
    assert "editor-guide" not in props  # Wagtail's English guide on wagtail.org is gone

    guide = client.get("/admin/trainer-guide/")
    assert guide.status_code == 200
    text = guide.content.decode()
    for heading in ("Viết một bài học", "Tạo bài kiểm tra", "Nhập câu hỏi từ tệp Excel"):
        assert heading in text
    assert "Gửi duyệt: Duyệt nội dung" in text


def test_members_cannot_open_the_guide(client, make_user, home_page):
    client.force_login(make_user(username="thanhvien"))
    assert client.get("/admin/trainer-guide/").status_code == 302


def test_a_knowledge_check_opens_with_two_answers():
    from courses.blocks import LessonStreamBlock

    block = LessonStreamBlock().child_blocks["knowledge_check"]
    choices = block.child_blocks["choices"]
    default = block.get_default()["choices"]
    assert len(default) == 2
    assert len(choices.get_form_state(default)) == 2


def test_the_dashboard_points_to_our_guide_not_wagtails(client, trainer):
    html = client.get("/admin/").content.decode()
    assert 'href="/admin/trainer-guide/">Hướng dẫn cho giảng viên</a>' in html
    assert "guide.wagtail.org" not in html
