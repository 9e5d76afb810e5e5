"""The demo's review workflow "Duyệt nội dung": a trainer submits, a reviewer of the group
"Người duyệt nội dung" approves or asks for changes with a comment; members only see what
was approved (published)."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from courses.models import LessonPage
from demo import seed as demo

from .conftest import open_form
from .test_page_types import every_block

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(make_user):
    user = make_user(username="nguoiduyet", full_name="Lê Minh Khoa")
    user.groups.add(Group.objects.get(name="Người duyệt nội dung"))
    return user


def submit_lesson(client, tree, picture, handout):
    url = f"/admin/pages/add/courses/lessonpage/{tree.course.pk}/"
    form = open_form(client, url).set(title="Mã QR dán đè", slug="ma-qr-dan-de")
    form.update(every_block(picture, handout))
    assert "Gửi duyệt: Duyệt nội dung" in client.get(url).content.decode()
    response = client.post(url, form.set(**{"action-submit": "action-submit"}).data())
    assert response.status_code == 302, response.content.decode()[:2000]
    return LessonPage.objects.get(slug="ma-qr-dan-de")


def test_submit_then_approve(client, tree, trainer, reviewer, picture, handout, make_user):
    workflow = demo.seed_review_workflow()
    assert workflow.name == "Duyệt nội dung"
    lesson = submit_lesson(client, tree, picture, handout)
    assert not lesson.live
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    assert state.status == "in_progress"

    # The trainer's dashboard lists it, in Vietnamese.
    dashboard = client.get("/admin/").content.decode()
    assert "Mã QR dán đè" in dashboard
    assert "Trang của bạn đang trong quy trình duyệt" in dashboard or "đang chờ duyệt" in dashboard

    # A member does not see it.
    member = make_user(username="thanhvien", full_name="Nguyễn Văn An")
    client.force_login(member)
    assert client.get("/khoa-hoc/lua-dao/ma-qr-dan-de/").status_code == 404

    # The reviewer sees it waiting and approves it with a comment: it is published.
    client.force_login(reviewer)
    assert "Mã QR dán đè" in client.get("/admin/").content.decode()
    task_state = state.current_task_state
    url = f"/admin/pages/workflow/action/{lesson.pk}/approve/{task_state.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": "Tốt, xuất bản được."})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
    task_state.refresh_from_db()
    assert task_state.status == "approved" and task_state.comment == "Tốt, xuất bản được."

    client.force_login(member)
    assert client.get("/khoa-hoc/lua-dao/ma-qr-dan-de/").status_code == 200


def test_changes_requested_with_a_comment(client, tree, trainer, reviewer, picture, handout):
    demo.seed_review_workflow()
    lesson = submit_lesson(client, tree, picture, handout)
    task_state = WorkflowState.objects.get(object_id=str(lesson.pk)).current_task_state
    client.force_login(reviewer)
    url = f"/admin/pages/workflow/action/{lesson.pk}/reject/{task_state.pk}/"
    response = client.post(url, {"comment": "Thêm ảnh chụp màn hình bước 2."})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert not lesson.live
    task_state.refresh_from_db()
    assert task_state.status == "rejected"

    client.force_login(trainer)
    edit = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Thêm ảnh chụp màn hình bước 2." in edit or "yêu cầu thay đổi" in edit.lower()


def test_seeding_twice_changes_nothing(tree):
    first = demo.seed_review_workflow()
    second = demo.seed_review_workflow()
    assert first.pk == second.pk
    assert [t.name for t in first.tasks.all()] == ["Người duyệt nội dung xem và duyệt"]
