"""Vietnamese slugs typed in the admin's browser are the ones the server makes."""

import pytest
from django.contrib.auth.models import Group

from common.text import slugify_vi
from courses.models import CourseIndexPage, CoursePage, Topic

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLES = [
    ("Lừa đảo qua mã QR dán đè", "lua-dao-qua-ma-qr-dan-de"),
    ("Đăng ký tài khoản định danh điện tử mức 2", "dang-ky-tai-khoan-dinh-danh-dien-tu-muc-2"),
    ("Ứng dụng VNeID: Bước 1 – Cài đặt", "ung-dung-vneid-buoc-1-cai-dat"),
]


def test_typing_a_title_gives_the_servers_slug(live_server, desktop, home_page, make_user):
    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    course = CoursePage(
        title="Nhận diện lừa đảo",
        slug="lua-dao",
        topic=Topic.objects.get(slug="lua-dao-truc-tuyen"),
        summary="Tóm tắt",
    )
    index.add_child(instance=course)
    trainer = make_user(username="giangvien", password="Mat-khau-rat-dai-1")
    trainer.groups.add(Group.objects.get(name="Giảng viên"))
    log_in(desktop, live_server.url, "giangvien", "Mat-khau-rat-dai-1")

    for title, slug in TITLES:
        assert slugify_vi(title) == slug
        desktop.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{course.pk}/")
        title_field = desktop.locator("#id_title")
        title_field.press_sequentially(title)
        title_field.blur()
        slug_field = desktop.locator("#id_slug")
        desktop.wait_for_function(
            "slug => document.querySelector('#id_slug').value === slug", arg=slug
        )
        assert slug_field.input_value() == slug

    # Typed decomposed (NFD, as some keyboards send it), into the slug field itself.
    desktop.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{course.pk}/")
    import unicodedata

    desktop.get_by_role("tab", name="Quảng bá").click()
    slug_field = desktop.locator("#id_slug")
    slug_field.fill(unicodedata.normalize("NFD", "Đi chợ Tết"))
    slug_field.blur()
    desktop.wait_for_function("() => document.querySelector('#id_slug').value === 'di-cho-tet'")
