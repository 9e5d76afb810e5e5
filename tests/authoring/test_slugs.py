"""The server keeps the meaning of a Vietnamese slug typed into the admin."""

import pytest

from common.text import SLUG_FORMATTERS, slugify_vi
from courses.models import LessonPage, Topic

from .conftest import open_form

pytestmark = pytest.mark.django_db


def test_the_browser_formatters_leave_what_slugify_vi_leaves():
    """The admin's slug widget applies SLUG_FORMATTERS then drops what is not [a-z0-9-_]."""
    import re

    for title in ["Lừa đảo qua mã QR dán đè", "ĐĂNG KÝ Định danh", "Ứng dụng ỹ ỵ ữ ở"]:
        value = title
        for pattern, replacement in SLUG_FORMATTERS:
            value = re.sub(pattern, replacement, value)
        value = re.sub(r"[^-\w\s]", "", value.lower(), flags=re.ASCII)
        value = re.sub(r"[-\s]+", "-", value).strip("-")
        assert value == slugify_vi(title), title


def test_the_editor_page_carries_the_formatters(client, tree, trainer):
    html = client.get(f"/admin/pages/add/courses/lessonpage/{tree.course.pk}/").content.decode()
    assert "data-w-slug-formatters-value" in html


def test_a_vietnamese_slug_typed_by_hand_is_kept_in_ascii(client, tree, trainer):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    form = open_form(
        client, f"/admin/pages/add/courses/lessonpage/{tree.course.pk}/", form_id="page-edit-form"
    )
    data = form.set(title="Lừa đảo qua mã QR dán đè", slug="Lừa đảo qua mã QR dán đè").data()
    data.update(nested_form_data({"body": streamfield([("text", rich_text("<p>Nội dung</p>"))])}))
    response = client.post(f"/admin/pages/add/courses/lessonpage/{tree.course.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LessonPage.objects.get(title="Lừa đảo qua mã QR dán đè").slug == (
        "lua-dao-qua-ma-qr-dan-de"
    )


def test_a_topic_slug_too(client, trainer):
    form = open_form(client, "/admin/snippets/courses/topic/add/")
    form.set(name="Đi chợ trực tuyến", slug="Đi chợ trực tuyến", description="")
    response = client.post("/admin/snippets/courses/topic/add/", form.data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Topic.objects.get(name="Đi chợ trực tuyến").slug == "di-cho-truc-tuyen"
