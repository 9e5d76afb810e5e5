"""A trainer (group "Giảng viên", no superuser rights) builds quizzes in the real page editor:
what the add/edit forms post, inline rows (fixed questions, topic rules) included."""

import pytest

from quizzes.models import QuizPage

from .conftest import open_form

pytestmark = pytest.mark.django_db

SHORTFALL = "chỉ có 10 câu hỏi đang dùng"


def add_url(tree):
    return f"/admin/pages/add/quizzes/quizpage/{tree.course.pk}/"


def quiz_form(client, tree, title="Bài kiểm tra nhận diện lừa đảo", slug="kiem-tra-lua-dao"):
    form = open_form(client, add_url(tree), form_id="page-edit-form")
    assert {"draw_rules-TOTAL_FORMS", "fixed_questions-TOTAL_FORMS", "pass_mark"} <= form.names()
    return form.set(title=title, slug=slug)


def test_a_topic_rule_saves_as_draft_then_publishes(client, tree, trainer):
    form = quiz_form(client, tree).add_inline_row("draw_rules", topic=tree.topic.pk, count=3)
    response = client.post(add_url(tree), form.data())
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = QuizPage.objects.get(slug="kiem-tra-lua-dao")
    assert not quiz.live
    assert [(r.topic_id, r.count) for r in quiz.draw_rules.all()] == [(tree.topic.pk, 3)]

    edit_url = f"/admin/pages/{quiz.pk}/edit/"
    form = open_form(client, edit_url, form_id="page-edit-form")
    assert form["draw_rules-0-count"] == "3"
    response = client.post(edit_url, form.set(**{"action-publish": "action-publish"}).data())
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.live and quiz.owner == trainer
    assert quiz.question_count == 3


def test_a_fixed_question_publishes_at_once(client, tree, trainer):
    form = quiz_form(client, tree).add_inline_row("fixed_questions", question=tree.questions[0].pk)
    response = client.post(add_url(tree), form.set(**{"action-publish": "action-publish"}).data())
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = QuizPage.objects.get(slug="kiem-tra-lua-dao")
    assert quiz.live
    assert [fq.question_id for fq in quiz.fixed_questions.all()] == [tree.questions[0].pk]


def test_fixed_questions_and_a_rule_together(client, tree, trainer):
    form = (
        quiz_form(client, tree)
        .add_inline_row("fixed_questions", question=tree.questions[0].pk)
        .add_inline_row("fixed_questions", question=tree.questions[1].pk)
        .add_inline_row("draw_rules", topic=tree.topic.pk, count=8)
    )
    response = client.post(add_url(tree), form.set(**{"action-publish": "action-publish"}).data())
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = QuizPage.objects.get(slug="kiem-tra-lua-dao")
    assert quiz.live and quiz.question_count == 10


@pytest.mark.parametrize("action", [{}, {"action-publish": "action-publish"}])
def test_a_rule_the_bank_cannot_meet_is_refused_beside_the_field(client, tree, trainer, action):
    form = quiz_form(client, tree).add_inline_row("draw_rules", topic=tree.topic.pk, count=20)
    response = client.post(add_url(tree), form.set(**action).data())
    assert response.status_code == 200
    html = response.content.decode()
    assert SHORTFALL in html
    assert "cần chọn 20" in html
    assert not QuizPage.objects.exists()


def test_fixed_questions_are_not_drawn_twice(client, tree, trainer):
    form = (
        quiz_form(client, tree)
        .add_inline_row("fixed_questions", question=tree.questions[0].pk)
        .add_inline_row("draw_rules", topic=tree.topic.pk, count=10)
    )
    response = client.post(add_url(tree), form.data())
    assert response.status_code == 200
    assert "chỉ có 9 câu hỏi đang dùng" in response.content.decode()
    assert not QuizPage.objects.exists()


def test_an_empty_quiz_may_be_a_draft_but_is_not_published(client, tree, trainer):
    response = client.post(
        add_url(tree), quiz_form(client, tree).set(**{"action-publish": "action-publish"}).data()
    )
    assert response.status_code == 200
    assert "Hãy thêm câu hỏi cố định hoặc quy tắc chọn câu hỏi theo chủ đề" in (
        response.content.decode()
    )
    assert not QuizPage.objects.exists()

    response = client.post(add_url(tree), quiz_form(client, tree).data())
    assert response.status_code == 302
    assert not QuizPage.objects.get().live


def test_editing_a_live_quiz_to_ask_too_much_is_refused_not_a_server_error(client, tree, trainer):
    form = quiz_form(client, tree).add_inline_row("draw_rules", topic=tree.topic.pk, count=5)
    client.post(add_url(tree), form.set(**{"action-publish": "action-publish"}).data())
    quiz = QuizPage.objects.get()
    revisions = quiz.revisions.count()
    edit_url = f"/admin/pages/{quiz.pk}/edit/"
    for action in ({}, {"action-publish": "action-publish"}):
        form = open_form(client, edit_url, form_id="page-edit-form")
        response = client.post(edit_url, form.set(**{"draw_rules-0-count": 20, **action}).data())
        assert response.status_code == 200
        assert SHORTFALL in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.revisions.count() == revisions
    assert [r.count for r in quiz.draw_rules.all()] == [5]


def test_deleting_the_rule_row_counts(client, tree, trainer):
    """A row marked for deletion (the trash button) no longer counts as questions."""
    form = quiz_form(client, tree).add_inline_row("draw_rules", topic=tree.topic.pk, count=3)
    client.post(add_url(tree), form.set(**{"action-publish": "action-publish"}).data())
    quiz = QuizPage.objects.get()
    edit_url = f"/admin/pages/{quiz.pk}/edit/"
    form = open_form(client, edit_url, form_id="page-edit-form")
    form.set(**{"draw_rules-0-DELETE": "1", "action-publish": "action-publish"})
    response = client.post(edit_url, form.data())
    assert response.status_code == 200
    assert "Hãy thêm câu hỏi cố định" in response.content.decode()


def test_preview_of_a_new_quiz(client, tree, trainer):
    form = quiz_form(client, tree).add_inline_row("draw_rules", topic=tree.topic.pk, count=3)
    preview_url = add_url(tree) + "preview/"
    assert client.post(preview_url, form.data()).json()["is_valid"] is True
    rendered = client.get(preview_url)
    assert rendered.status_code == 200
    assert "Bài kiểm tra nhận diện lừa đảo" in rendered.content.decode()
    assert not QuizPage.objects.exists()


def test_quizzes_are_named_with_their_course(client, tree, trainer):
    from quizzes.selectors import course_titles_of

    form = quiz_form(client, tree, title="Bài kiểm tra cuối khoá").add_inline_row(
        "draw_rules", topic=tree.topic.pk, count=3
    )
    client.post(add_url(tree), form.set(**{"action-publish": "action-publish"}).data())
    quiz = QuizPage.objects.get()
    assert course_titles_of([quiz.pk]) == {quiz.pk: "Nhận diện lừa đảo"}
