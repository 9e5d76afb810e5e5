"""A trainer (group "Giảng viên", not a superuser) creates, previews, publishes and schedules."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import LessonPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(client, make_user):
    user = make_user(username="giangvien")
    user.groups.add(Group.objects.get(name="Giảng viên"))
    client.force_login(user)
    return user


def lesson_form(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "bai-moi",
            "summary": "Tóm tắt",
            "estimated_minutes": 5,
            "required": "on",
            "body": streamfield(
                [
                    (
                        "steps",
                        {
                            "title": "Kích hoạt",
                            "steps": streamfield(
                                [
                                    (
                                        "item",
                                        {
                                            "screenshot": "",
                                            "text": rich_text("<p>Mở ứng dụng VNeID</p>"),
                                        },
                                    ),
                                ]
                            ),
                        },
                    ),
                    (
                        "scam_alert",
                        {
                            "title": "Giả danh công an",
                            "tactic": "Gọi video",
                            "red_flags": streamfield([("item", "Đòi chuyển tiền")]),
                            "what_to_do": streamfield([("item", "Tắt máy")]),
                            "report_to": "156",
                        },
                    ),
                ]
            ),
            **extra,
        }
    )


def test_trainer_creates_previews_and_publishes_a_lesson(client, course_tree, trainer):
    add_url = f"/admin/pages/add/courses/lessonpage/{course_tree.course.pk}/"
    assert client.get(add_url).status_code == 200

    preview = client.post(
        f"/admin/pages/add/courses/lessonpage/{course_tree.course.pk}/preview/",
        lesson_form("Bài mới"),
    )
    assert preview.json()["is_valid"] is True
    rendered = client.get(f"/admin/pages/add/courses/lessonpage/{course_tree.course.pk}/preview/")
    assert "Giả danh công an" in rendered.content.decode()

    response = client.post(add_url, lesson_form("Bài mới", **{"action-publish": "publish"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(title="Bài mới")
    assert lesson.live
    assert lesson.owner == trainer
    assert [block.block_type for block in lesson.body] == ["steps", "scam_alert"]


def test_trainer_saves_drafts_with_revisions(client, course_tree, trainer):
    add_url = f"/admin/pages/add/courses/lessonpage/{course_tree.course.pk}/"
    client.post(add_url, lesson_form("Bản nháp"))
    lesson = LessonPage.objects.get(title="Bản nháp")
    assert not lesson.live
    client.post(f"/admin/pages/{lesson.pk}/edit/", lesson_form("Bản nháp 2"))
    assert lesson.revisions.count() == 2


def test_trainer_schedules_publishing(client, course_tree, trainer):
    add_url = f"/admin/pages/add/courses/lessonpage/{course_tree.course.pk}/"
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    client.post(
        add_url,
        lesson_form(
            "Hẹn giờ",
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "publish"},
        ),
    )
    lesson = Page.objects.get(title="Hẹn giờ").specific
    assert not lesson.live
    assert lesson.latest_revision.approved_go_live_at is not None


def test_trainer_uploads_images_into_topic_collections(client, trainer):
    from wagtail.models import Collection

    assert Collection.objects.filter(name="Lừa đảo trực tuyến").exists()
    assert client.get("/admin/images/multiple/add/").status_code == 200
    assert client.get("/admin/documents/multiple/add/").status_code == 200
