"""The snippets and settings a trainer edits, through the real admin forms as a member of
"Giảng viên": questions (with their answer rows), topics, certificate templates and the
platform settings."""

import pytest
from wagtail.models import Site

from certificates.models import CertificateTemplate
from courses.models import Topic
from home.models import PlatformSettings
from quizzes.models import Question

from .conftest import open_form

pytestmark = pytest.mark.django_db

QUESTION_ADD = "/admin/snippets/quizzes/question/add/"


def question_form(client, tree, answers, *, kind="SINGLE"):
    from wagtail.test.utils.form_data import rich_text

    form = open_form(client, QUESTION_ADD)
    assert {"choices-TOTAL_FORMS", "kind", "topic", "difficulty"} <= form.names()
    form.set(kind=kind, topic=tree.topic.pk, text=rich_text("<p>Mã QR dán đè là gì?</p>"))
    # The form opens with two empty answer rows (at least two answers); more are added.
    opened = int(form["choices-TOTAL_FORMS"])
    assert opened == 2
    for n, (text, correct) in enumerate(answers):
        if n < opened:
            form.set(
                **{f"choices-{n}-text": text, f"choices-{n}-is_correct": "on" if correct else None}
            )
        else:
            form.add_inline_row("choices", text=text, is_correct="on" if correct else None)
    return form


def test_a_question_with_its_answers(client, tree, trainer):
    before = Question.objects.count()
    form = question_form(client, tree, [("Mã giả dán lên mã thật", True), ("Mã mới", False)])
    response = client.post(QUESTION_ADD, form.data())
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Question.objects.count() == before + 1
    question = Question.objects.order_by("-pk").first()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Mã giả dán lên mã thật", True),
        ("Mã mới", False),
    ]
    assert question.revisions.count() == 1

    edit = f"/admin/snippets/quizzes/question/edit/{question.pk}/"
    form = open_form(client, edit)
    assert form["choices-0-text"] == "Mã giả dán lên mã thật"
    response = client.post(edit, form.set(**{"choices-1-text": "Mã in trên hoá đơn"}).data())
    assert response.status_code == 302
    assert question.choices.get(sort_order=1).text == "Mã in trên hoá đơn"
    assert question.revisions.count() == 2


@pytest.mark.parametrize(
    ("kind", "answers", "message"),
    [
        ("SINGLE", [("A", False), ("B", False)], "Hãy đánh dấu ít nhất một đáp án đúng."),
        ("SINGLE", [("A", True), ("B", True)], "chỉ có đúng một đáp án đúng"),
        ("TRUE_FALSE", [("Đúng", True), ("Sai", False), ("Không biết", False)], "hai đáp án"),
    ],
)
def test_question_refusals(client, tree, trainer, kind, answers, message):
    before = Question.objects.count()
    response = client.post(QUESTION_ADD, question_form(client, tree, answers, kind=kind).data())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Question.objects.count() == before


def test_a_topic(client, trainer):
    url = "/admin/snippets/courses/topic/add/"
    form = open_form(client, url).set(name="Mua sắm trực tuyến", slug="", description="Mua hàng")
    response = client.post(url, form.set(slug="mua-sam-truc-tuyen").data())
    assert response.status_code == 302, response.content.decode()[:2000]
    topic = Topic.objects.get(slug="mua-sam-truc-tuyen")
    edit = f"/admin/snippets/courses/topic/edit/{topic.pk}/"
    response = client.post(edit, open_form(client, edit).set(description="Đặt hàng an toàn").data())
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.description == "Đặt hàng an toàn"

    # A name already taken is refused in Vietnamese.
    response = client.post(url, open_form(client, url).set(name=topic.name, slug="khac").data())
    assert response.status_code == 200
    assert "Đã có Chủ đề với Tên này." in response.content.decode()


def test_a_certificate_template(client, trainer):
    url = "/admin/snippets/certificates/certificatetemplate/add/"
    form = open_form(client, url)
    assert form["heading"] == "GIẤY CHỨNG NHẬN"
    form.set(
        name="Mẫu của xã",
        issuing_organisation="UBND xã Châu Thành",
        signatory_name="Nguyễn Văn Bình",
        signatory_title="Chủ tịch",
    )
    response = client.post(url, form.data())
    assert response.status_code == 302, response.content.decode()[:2000]
    template = CertificateTemplate.objects.get(name="Mẫu của xã")
    edit = f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/"
    response = client.post(edit, open_form(client, edit).set(signatory_title="Phó Chủ tịch").data())
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.signatory_title == "Phó Chủ tịch"

    # An unknown placeholder is refused beside the wording; nothing changes.
    form = open_form(client, edit).set(wording="Chúc mừng {ten}")
    response = client.post(edit, form.data())
    assert response.status_code == 200
    assert "{ten}" in response.content.decode()
    template.refresh_from_db()
    assert "{ten}" not in template.wording


def test_the_platform_settings(client, tree, trainer):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/home/platformsettings/{site.pk}/"
    form = open_form(client, url)
    response = client.post(
        url, form.set(name="Học số Vĩnh Long", contact_phone="0270 3822 000").data()
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    settings = PlatformSettings.for_site(site)
    assert settings.name == "Học số Vĩnh Long"

    response = client.post(url, open_form(client, url).set(contact_email="không phải email").data())
    assert response.status_code == 200
    assert "Nhập địa chỉ email hợp lệ." in response.content.decode()
    assert PlatformSettings.for_site(site).contact_email != "không phải email"


@pytest.mark.parametrize("empty", ["<p></p>", "<p> &nbsp; </p>", "<p><b> </b></p>"])
def test_a_question_without_words_is_refused(client, tree, trainer, empty):
    """The editor posts an empty paragraph once touched; that is no question (it was saved,
    active, by the editor's autosave)."""
    from wagtail.test.utils.form_data import rich_text

    before = Question.objects.count()
    form = question_form(client, tree, [("A", True), ("B", False)]).set(text=rich_text(empty))
    response = client.post(QUESTION_ADD, form.data())
    assert response.status_code == 200
    assert "Hãy viết câu hỏi." in response.content.decode()
    assert Question.objects.count() == before
