"""Every page type a trainer writes, through the real editor as a member of "Giảng viên"
(no superuser rights): the add form read and posted back with the trainer's changes,
saved as a draft, published, edited and previewed; and the refusals."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage

from .conftest import open_form

pytestmark = pytest.mark.django_db

PUBLISH = {"action-publish": "action-publish"}


def shown(message: str, html: str) -> bool:
    """In the page, as text or inside the stream's JSON (where Wagtail puts block errors)."""
    import json

    return message in html or json.dumps(message)[1:-1] in html


def editor(client, url):
    return open_form(client, url, form_id="page-edit-form")


def post(client, url, form, **changes):
    return client.post(url, form.set(**changes).data())


def every_block(picture, handout, *, knowledge_check_correct=True, video=None):
    """The lesson stream as Wagtail's editor posts it: one block of every kind."""
    return nested_form_data(
        {
            "body": streamfield(
                [
                    ("text", rich_text("<p>Không bao giờ đọc mã OTP cho người khác.</p>")),
                    (
                        "image",
                        {"image": picture.pk, "alt_text": "Màn hình chính", "caption": "Ảnh"},
                    ),
                    (
                        "video",
                        video
                        or {
                            "title": "Cài VNeID",
                            "url": "https://www.youtube.com/watch?v=abc",
                            "file": "",
                            "poster": "",
                            "duration": "3:20",
                            "caption": "",
                        },
                    ),
                    (
                        "steps",
                        {
                            "title": "Kích hoạt",
                            "steps": streamfield(
                                [
                                    (
                                        "item",
                                        {
                                            "screenshot": picture.pk,
                                            "text": rich_text("<p>Mở ứng dụng VNeID</p>"),
                                        },
                                    )
                                ]
                            ),
                        },
                    ),
                    (
                        "scam_alert",
                        {
                            "title": "Mã QR dán đè",
                            "tactic": "Dán mã QR giả lên mã của cửa hàng",
                            "red_flags": streamfield([("item", "Tên người nhận lạ")]),
                            "what_to_do": streamfield([("item", "Kiểm tra tên trước khi trả")]),
                            "report_to": "156",
                        },
                    ),
                    (
                        "do_dont",
                        {
                            "do_items": streamfield([("item", "Kiểm tra tên")]),
                            "dont_items": streamfield([("item", "Quét vội")]),
                        },
                    ),
                    ("takeaways", {"items": streamfield([("item", "Xem tên người nhận")])}),
                    ("handout", {"document": handout.pk, "description": "Cẩm nang"}),
                    (
                        "callout",
                        {"kind": "warning", "title": "Lưu ý", "text": rich_text("<p>Cẩn thận</p>")},
                    ),
                    (
                        "knowledge_check",
                        {
                            "question": "Trước khi trả tiền bằng mã QR, cần làm gì?",
                            "choices": streamfield(
                                [
                                    (
                                        "item",
                                        {
                                            "text": "Xem tên người nhận",
                                            "is_correct": "on" if knowledge_check_correct else "",
                                        },
                                    ),
                                    ("item", {"text": "Quét ngay", "is_correct": ""}),
                                ]
                            ),
                            "explanation": "Mã dán đè đổi người nhận.",
                        },
                    ),
                ]
            )
        }
    )


def test_course_catalogue(client, home_page, trainer):
    url = f"/admin/pages/add/courses/courseindexpage/{home_page.pk}/"
    form = editor(client, url).set(title="Khoá học", slug="khoa-hoc", intro="Các khoá học")
    assert client.post(url + "preview/", form.data()).json()["is_valid"] is True
    assert client.get(url + "preview/").status_code == 200
    response = post(client, url, form, **PUBLISH)
    assert response.status_code == 302, response.content.decode()[:2000]
    index = CourseIndexPage.objects.get()
    assert index.live and index.intro == "Các khoá học"

    edit = f"/admin/pages/{index.pk}/edit/"
    response = post(client, edit, editor(client, edit), intro="Danh mục khoá học", **PUBLISH)
    assert response.status_code == 302
    index.refresh_from_db()
    assert index.intro == "Danh mục khoá học"


def test_course(client, tree, trainer, picture):
    url = f"/admin/pages/add/courses/coursepage/{tree.index.pk}/"
    form = editor(client, url)
    assert form["estimated_minutes"] == "20" and form["difficulty"] == "BASIC"
    form.set(
        title="Thanh toán an toàn bằng mã QR",
        slug="thanh-toan-qr",
        summary="Nhận ra mã QR dán đè",
        topic=tree.topic.pk,
        cover_image=picture.pk,
        skill_codes="3.1, 3.2",
    )
    assert client.post(url + "preview/", form.data()).json()["is_valid"] is True
    assert "Thanh toán an toàn" in client.get(url + "preview/").content.decode()
    response = client.post(url, form.data())  # draft
    assert response.status_code == 302, response.content.decode()[:2000]
    course = CoursePage.objects.get(slug="thanh-toan-qr")
    assert not course.live and course.cover_image == picture

    edit = f"/admin/pages/{course.pk}/edit/"
    response = post(client, edit, editor(client, edit), estimated_minutes=30, **PUBLISH)
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.live and course.estimated_minutes == 30


def test_course_refusals(client, tree, trainer):
    url = f"/admin/pages/add/courses/coursepage/{tree.index.pk}/"
    form = editor(client, url).set(title="Khoá thiếu", slug="khoa-thieu", summary="")
    response = post(client, url, form, estimated_minutes=0, **PUBLISH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trường này là bắt buộc." in html  # the topic and the summary
    assert not CoursePage.objects.filter(slug="khoa-thieu").exists()


def test_lesson_with_every_block(client, tree, trainer, picture, handout):
    url = f"/admin/pages/add/courses/lessonpage/{tree.course.pk}/"
    form = editor(client, url)
    assert form["estimated_minutes"] == "5"
    form.set(title="Mã QR dán đè", slug="ma-qr-dan-de", summary="Cách nhận ra")
    form.update(every_block(picture, handout))
    assert client.post(url + "preview/", form.data()).json()["is_valid"] is True
    preview = client.get(url + "preview/").content.decode()
    assert "Trước khi trả tiền bằng mã QR" in preview
    assert "Bài 6/6" in preview  # its real place: after the course's five lessons
    response = post(client, url, form, **PUBLISH)
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = LessonPage.objects.get(slug="ma-qr-dan-de")
    assert lesson.live
    assert [block.block_type for block in lesson.body] == [
        "text",
        "image",
        "video",
        "steps",
        "scam_alert",
        "do_dont",
        "takeaways",
        "handout",
        "callout",
        "knowledge_check",
    ]

    # Edit: the form comes back with the stream; a new title is published.
    edit = f"/admin/pages/{lesson.pk}/edit/"
    form = editor(client, edit)
    form.update(every_block(picture, handout))
    response = post(client, edit, form, title="Mã QR dán đè (cập nhật)", **PUBLISH)
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.title == "Mã QR dán đè (cập nhật)"
    assert lesson.revisions.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"knowledge_check_correct": False}, "Hãy đánh dấu ít nhất một đáp án đúng."),
        (
            {
                "video": {
                    "title": "Hai nguồn",
                    "url": "https://www.youtube.com/watch?v=abc",
                    "file": "1",
                    "poster": "",
                    "duration": "",
                    "caption": "",
                }
            },
            "không chọn cả hai",
        ),
    ],
)
def test_lesson_refusals(client, tree, trainer, picture, handout, change, message):
    if "video" in change:
        change["video"]["file"] = handout.pk
    url = f"/admin/pages/add/courses/lessonpage/{tree.course.pk}/"
    form = editor(client, url).set(title="Bài sai", slug="bai-sai")
    form.update(every_block(picture, handout, **change))
    for action in ({}, PUBLISH):
        response = post(client, url, form, **action)
        assert response.status_code == 200
        assert shown(message, response.content.decode())
    assert not LessonPage.objects.filter(slug="bai-sai").exists()
