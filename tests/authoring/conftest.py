import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic
from quizzes.models import Choice, Question

from .adminform import form_data


def make_question(topic, n):
    question = Question(kind="SINGLE", text=f"<p>Câu hỏi {topic.slug} số {n}?</p>", topic=topic)
    question.choices = [Choice(text=f"Đáp án {c}", is_correct=c == 0) for c in range(3)]
    question.save()
    question.save_revision()
    return question


@pytest.fixture
def trainer(client, make_user):
    user = make_user(username="giangvien", full_name="Trần Thị Thu Hà")
    user.groups.add(Group.objects.get(name="Giảng viên"))
    client.force_login(user)
    return user


@pytest.fixture
def tree(home_page):
    """A catalogue, one course with five lessons and ten questions in its topic."""
    topic = Topic.objects.get(slug="lua-dao-truc-tuyen")
    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    course = CoursePage(title="Nhận diện lừa đảo", slug="lua-dao", topic=topic, summary="Tóm tắt")
    index.add_child(instance=course)
    course.save_revision().publish()
    lessons = []
    for n in range(1, 6):
        lesson = LessonPage(title=f"Bài {n}", slug=f"bai-{n}", body=[("text", "<p>Nội dung</p>")])
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
        lessons.append(lesson)
    questions = [make_question(topic, n) for n in range(10)]
    return SimpleNamespace(
        home=home_page,
        index=index,
        course=CoursePage.objects.get(pk=course.pk),
        lessons=lessons,
        topic=topic,
        questions=questions,
    )


def open_form(client, url, *, form_id=None):
    """GET an admin add/edit screen (200) and read its form as the browser would post it."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    if form_id is None:
        # Wagtail's editors: pages, then snippets and settings.
        form_id = next(
            (name for name in ("page-edit-form", "w-editor-form") if f'id="{name}"' in html), None
        )
    return form_data(html, form_id=form_id)


@pytest.fixture
def picture():
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), "blue").save(buffer, format="PNG")
    return Image.objects.create(title="Màn hình VNeID", file=ImageFile(buffer, name="anh.png"))


@pytest.fixture
def handout():
    document = Document(title="Cẩm nang chống lừa đảo")
    document.file.save("cam-nang.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    return document
