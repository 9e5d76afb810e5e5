import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic
from tests.organisations.conftest import tree  # noqa: F401 - the shared unit tree


@pytest.fixture
def courses(home_page):
    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    made = []
    for slug, title in (("vneid", "VNeID và dịch vụ công"), ("lua-dao", "Nhận diện lừa đảo")):
        course = CoursePage(title=title, slug=slug, summary="x", topic=Topic.objects.first())
        index.add_child(instance=course)
        course.save_revision().publish()
        lesson = LessonPage(title=f"Bài {slug}", slug=f"bai-{slug}", body=[("text", "<p>x</p>")])
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
        made.append(CoursePage.objects.get(pk=course.pk))
    return made
