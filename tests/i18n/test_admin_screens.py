"""The admin in Vietnamese: the screens trainers, unit administrators and the system
administrator use show no English interface word (tests/i18n/english.py), Wagtail's
JavaScript catalogue answers in Vietnamese, and the Wagtail templates we copy to translate
their English literals still follow Wagtail's own."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupApprovalTask, Page, Site, Workflow

from accounts.models import User
from certificates.models import Certificate, CertificateTemplate
from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic
from organisations.models import OrgUnit
from quizzes.models import Question, QuizPage
from training.models import Campaign

from .english import english_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def english_on(client, urls) -> list[str]:
    """Every English word on each screen, or the screen's unexpected status."""
    found = []
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            found.append(f"{url}: status {response.status_code}")
            continue
        found += [f"{url}: {word}" for word in english_words(response.content.decode())]
    return found


def create_review_workflow_through_the_admin(client) -> Workflow:
    """As Wagtail's own forms post them: a group approval task, then a workflow using it on
    the course catalogue."""
    reviewers = Group.objects.get(name="Giảng viên")
    response = client.post(
        reverse("wagtailadmin_workflows:add_task", args=["wagtailcore", "groupapprovaltask"]),
        {"name": "Tổ biên tập duyệt", "groups": [reviewers.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = GroupApprovalTask.objects.get(name="Tổ biên tập duyệt")
    catalogue = CourseIndexPage.objects.get()
    # The demo's own "Duyệt nội dung" covers the catalogue: this one replaces it there.
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.filter(page=catalogue).delete()
    response = client.post(
        reverse("wagtailadmin_workflows:add"),
        {
            "name": "Duyệt bài học",
            "workflow_tasks-TOTAL_FORMS": "1",
            "workflow_tasks-INITIAL_FORMS": "0",
            "workflow_tasks-MIN_NUM_FORMS": "0",
            "workflow_tasks-MAX_NUM_FORMS": "1000",
            "workflow_tasks-0-task": str(task.pk),
            "workflow_tasks-0-id": "",
            "workflow_tasks-0-ORDER": "1",
            "workflow_tasks-0-DELETE": "",
            "pages-TOTAL_FORMS": "1",
            "pages-INITIAL_FORMS": "0",
            "pages-MIN_NUM_FORMS": "0",
            "pages-MAX_NUM_FORMS": "1000",
            "pages-0-page": str(catalogue.pk),
            "pages-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    workflow = Workflow.objects.get(name="Duyệt bài học")
    assert list(workflow.tasks.all()) == [task.task_ptr]
    assert catalogue.get_workflow() == workflow
    return workflow


def test_admin_screens_show_no_english(client, demo):
    admin = login(client, "admin")
    workflow = create_review_workflow_through_the_admin(admin)
    trainer = User.objects.get(username="trainer")
    catalogue = CourseIndexPage.objects.get()
    course = CoursePage.objects.first()
    lesson = LessonPage.objects.child_of(course).first()
    quiz = QuizPage.objects.child_of(course).first()
    # A lesson waits in the workflow: the trainer's group reviews it.
    lesson.save_revision(user=trainer)
    workflow.start(lesson, trainer)
    image = get_image_model().objects.first()
    question = Question.objects.first()
    template = CertificateTemplate.objects.first()
    site = Site.objects.get(is_default_site=True)

    found = english_on(
        admin,
        [
            "/admin/users/",
            f"/admin/users/edit/{trainer.pk}/",
            "/admin/groups/",
            f"/admin/groups/edit/{Group.objects.get(name='Giảng viên').pk}/",
            "/admin/workflows/list/",
            f"/admin/workflows/edit/{workflow.pk}/",
            "/admin/workflows/tasks/index/",
            f"/admin/workflows/tasks/edit/{workflow.tasks.get().pk}/",
            "/admin/sites/",
            f"/admin/sites/edit/{site.pk}/",
            "/admin/collections/",
            "/admin/collections/add/",
            "/admin/redirects/",
            f"/admin/settings/home/platformsettings/{site.pk}/",
            "/admin/schedules/",
            "/admin/reports/page-types-usage/",
            "/admin/pages/",
        ],
    )
    client.logout()

    login(client, "trainer")
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Phiếu hướng dẫn kích hoạt VNeID",
            "file": SimpleUploadedFile("huong-dan.txt", "Bước 1: mở ứng dụng".encode()),
            "collection": image.collection_id,
            "tags": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = get_document_model().objects.get()
    found += english_on(
        client,
        [
            "/admin/",
            f"/admin/pages/{catalogue.pk}/",
            f"/admin/pages/{course.pk}/",
            f"/admin/pages/{course.pk}/add_subpage/",
            f"/admin/pages/{lesson.pk}/edit/",
            f"/admin/pages/{quiz.pk}/edit/",
            f"/admin/pages/{course.pk}/edit/",
            f"/admin/pages/add/courses/lessonpage/{course.pk}/",
            f"/admin/pages/add/quizzes/quizpage/{course.pk}/",
            f"/admin/pages/add/courses/coursepage/{catalogue.pk}/",
            f"/admin/pages/{lesson.pk}/history/",
            f"/admin/pages/{lesson.pk}/workflow_history/",
            "/admin/pages/search/?q=lừa",
            "/admin/choose-page/",
            f"/admin/choose-page/{catalogue.pk}/",
            "/admin/images/",
            f"/admin/images/{image.pk}/",
            "/admin/images/multiple/add/",
            "/admin/images/chooser/",
            "/admin/documents/",
            f"/admin/documents/edit/{document.pk}/",
            "/admin/documents/chooser/",
            "/admin/snippets/",
            "/admin/snippets/courses/topic/",
            f"/admin/snippets/courses/topic/edit/{Topic.objects.first().pk}/",
            "/admin/snippets/choose/courses/topic/",
            "/admin/snippets/quizzes/question/",
            "/admin/snippets/quizzes/question/add/",
            f"/admin/snippets/quizzes/question/edit/{question.pk}/",
            "/admin/snippets/certificates/certificatetemplate/",
            f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/",
            "/admin/question-import/",
            "/admin/reports/locked/",
            "/admin/reports/workflow/",
            "/admin/reports/workflow_tasks/",
            "/admin/reports/aging-pages/",
            "/admin/reports/site-history/",
            "/admin/account/",
        ],
    )
    client.logout()

    province = OrgUnit.objects.get(code="VL")
    commune = OrgUnit.objects.get(code="VL-X02")
    member = User.objects.filter(memberships__unit__path__startswith=commune.path).first()
    found += english_on(
        login(client, "tinh"),
        [
            "/admin/",
            "/admin/reports/",
            f"/admin/reports/?unit={commune.pk}",
            "/admin/reports/members/",
            f"/admin/reports/members/{member.pk}/",
            "/admin/org/",
            f"/admin/org/units/{province.pk}/",
            f"/admin/org/units/{commune.pk}/",
            f"/admin/org/members/{member.pk}/",
            "/admin/org/import/",
            "/admin/certificates/",
            f"/admin/certificates/{Certificate.objects.first().pk}/",
            "/admin/campaigns/",
            "/admin/campaigns/new/",
            f"/admin/campaigns/{Campaign.objects.first().pk}/",
            "/admin/account/",
        ],
    )
    assert not found, "English on admin screens:\n" + "\n".join(found)


def test_wagtail_javascript_catalogue_is_vietnamese(client, home_page, make_user):
    client.force_login(make_user(is_superuser=True))
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    catalogue = json.loads(
        re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)[1]
    )
    assert catalogue["Autosave in progress…"] == "Đang tự động lưu…"
    assert catalogue["Write something or type ‘/’ to insert a block"] == (
        "Viết nội dung hoặc gõ ‘/’ để chèn khối"
    )
    assert catalogue["Insert a block"] == "Chèn khối"
    assert catalogue["Blocks"] == "Khối"
    assert catalogue["Page explorer"] == "Trình duyệt trang"
    assert catalogue["Search options…"] == "Tìm trong các lựa chọn…"
    # "Search all pages…" and "Autosave is paused" are rendered by Python (templates).
    dashboard = client.get("/admin/").content.decode()
    assert 'placeholder="Tìm trong mọi trang…"' in dashboard
    editor = client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    assert "Tự động lưu đang tạm dừng" in re.sub(r"\s+", " ", editor)


# Wagtail templates copied to site/templates/ to translate English literals Wagtail 8.0 has in
# them. When Wagtail changes one of them this test fails: copy it again and redo the changes.
TEMPLATE_CHANGES = {
    "wagtailadmin/shared/headers/_actions.html": [
        ('<nav aria-label="Actions"', "<nav aria-label=\"{% translate 'Actions' %}\""),
        ("{# Actions divider #}", "{% load i18n %}{# Actions divider #}"),
    ],
    "wagtailadmin/pages/listing/_page_title_column_header.html": [
        (
            "{% block after_label %}",
            '{% block after_label %}{% translate "pages" as pages %}'
            "{% firstof model_name pages as model_name %}",
        ),
    ],
    "wagtailadmin/shared/header.html": [
        ('value="Search"', "value=\"{% translate 'Search' %}\""),
    ],
    "wagtailadmin/shared/side_panel_toggle.html": [
        ("{{ count|intcomma }}", '{{ count|default_if_none:""|intcomma }}'),
    ],
    "wagtailadmin/shared/user_avatar.html": [
        ("{{ user }}", '{{ user|default_if_none:"" }}'),
    ],
    "wagtailadmin/tables/cell.html": [
        (
            "{% if value is not None %}{{ value }}{% endif %}",
            '{% if value is True %}{% translate "Yes" %}{% elif value is False %}'
            '{% translate "No" %}{% elif value is not None %}{{ value }}{% endif %}',
        ),
        ("<td ", "{% load i18n %}<td "),
    ],
    "wagtailadmin/tables/boolean_cell.html": [
        ("{% load wagtailadmin_tags %}", "{% load wagtailadmin_tags i18n %}"),
        (
            "{% icon title=value|stringformat:'s' name=\"help\"",
            '{% translate "Unknown" as label %}{% icon title=label name="help"',
        ),
        (
            "{% icon title=value|stringformat:'s' name=\"check\"",
            '{% translate "Yes" as label %}{% icon title=label name="check"',
        ),
        (
            "{% icon title=value|stringformat:'s' name=\"cross\"",
            '{% translate "No" as label %}{% icon title=label name="cross"',
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(TEMPLATE_CHANGES))
def test_template_overrides_follow_wagtail(name):
    import wagtail.admin

    original = (Path(wagtail.admin.__file__).parent / "templates" / name).read_text()
    for old, new in TEMPLATE_CHANGES[name]:
        assert original.count(old) == 1, f"Wagtail's {name} changed: copy it again"
        original = original.replace(old, new)
    ours = (Path(settings.BASE_DIR) / "site" / "templates" / name).read_text()
    assert ours.split("\n", 1)[1] == original, f"site/templates/{name} differs from Wagtail's"


def test_dashboard_override_keeps_wagtail_dashboard(client, home_page, make_user):
    """site/templates/wagtailadmin/home.html copies the content block of Wagtail's."""
    import wagtail.admin

    original = (
        Path(wagtail.admin.__file__).parent / "templates/wagtailadmin/home.html"
    ).read_text()
    ours = (Path(settings.BASE_DIR) / "site/templates/wagtailadmin/home.html").read_text()
    block = original[original.index("{% block content %}") :]
    block = block.replace(
        "{% block branding_welcome %}{{ site_name }}{% endblock %}",
        "{% block branding_welcome %}{{ block.super }}{% endblock %}",
    ).replace('value="Search"', "value=\"{% translate 'Search' %}\"")
    assert block.strip() in ours, "Wagtail's dashboard changed: copy its content block again"
    client.force_login(make_user(is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert 'value="Tìm"' in html
    welcome = re.search(r'<h1 class="w-h1 w-mt-0">(.*?)</h1>', html, re.S)[1]
    assert welcome.strip()  # Wagtail's welcome (the site name), or an app's branding_welcome
    assert Page.objects.get(depth=1).title == "Gốc"
