from types import SimpleNamespace

import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic


def lesson_body(*, with_steps=True):
    body = [
        ("text", "<p>Không bao giờ đọc mã OTP cho người khác. Lừa đảo trực tuyến rất phổ biến.</p>")
    ]
    if with_steps:
        body.append(
            (
                "steps",
                {
                    "title": "Các bước",
                    "steps": [{"screenshot": None, "text": "<p>Mở ứng dụng</p>"}],
                },
            )
        )
    body.append(
        (
            "scam_alert",
            {
                "title": "Giả danh công an",
                "tactic": "Gọi video dọa nạt",
                "red_flags": ["Đòi chuyển tiền"],
                "what_to_do": ["Tắt máy"],
                "report_to": "156",
            },
        )
    )
    return body


@pytest.fixture
def course_tree(home_page):
    topic = Topic.objects.get(slug="lua-dao-truc-tuyen")
    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    course = CoursePage(
        title="Nhận diện lừa đảo trực tuyến", slug="lua-dao", topic=topic, summary="Tóm tắt"
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    lessons = []
    for n in range(1, 4):
        lesson = LessonPage(
            title=f"Bài {n}: Mạo danh công an", slug=f"bai-{n}", body=lesson_body(), required=n != 3
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
        lessons.append(lesson)
    return SimpleNamespace(
        index=index, course=CoursePage.objects.get(pk=course.pk), lessons=lessons, topic=topic
    )
