from types import SimpleNamespace

import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic
from quizzes.models import Choice, Question, QuizDrawRule, QuizFixedQuestion, QuizPage

SECRET_EXPLANATION = "GIAI-THICH-BI-MAT"
SECRET_FEEDBACK = "PHAN-HOI-BI-MAT"


def make_question(topic, n, *, kind="SINGLE"):
    question = Question(
        kind=kind,
        text=f"<p>Câu hỏi {topic.slug} số {n}?</p>",
        topic=topic,
        explanation=f"{SECRET_EXPLANATION} {n}",
    )
    if kind == "MULTIPLE":
        question.choices = [
            Choice(text=f"Đáp án {c}", is_correct=c in (0, 1), feedback=SECRET_FEEDBACK)
            for c in range(4)
        ]
    else:
        question.choices = [
            Choice(text=f"Đáp án {c}", is_correct=c == 0, feedback=SECRET_FEEDBACK)
            for c in range(4)
        ]
    question.save()
    question.save_revision()
    return question


@pytest.fixture
def quiz_setup(home_page):
    scams = Topic.objects.get(slug="lua-dao-truc-tuyen")
    security = Topic.objects.get(slug="an-toan-thong-tin")
    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    course = CoursePage(
        title="Nhận diện lừa đảo trực tuyến", slug="lua-dao", topic=scams, summary="Tóm tắt"
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    lesson = LessonPage(title="Bài 1", slug="bai-1", body=[("text", "<p>Nội dung</p>")])
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    questions = {
        topic.slug: [make_question(topic, n) for n in range(8)] for topic in (scams, security)
    }
    multiple = make_question(scams, 99, kind="MULTIPLE")
    quiz = QuizPage(
        title="Bài kiểm tra cuối khoá",
        slug="kiem-tra",
        is_final=True,
        pass_mark=80,
        max_attempts=3,
        time_limit_minutes=15,
        show_answers="AFTER_SUBMIT",
        one_question_per_screen=True,
    )
    quiz.fixed_questions = [QuizFixedQuestion(question=multiple)]
    quiz.draw_rules = [QuizDrawRule(topic=scams, count=5), QuizDrawRule(topic=security, count=4)]
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    return SimpleNamespace(
        course=course,
        lesson=lesson,
        quiz=QuizPage.objects.get(pk=quiz.pk),
        scams=scams,
        security=security,
        questions=questions,
        multiple=multiple,
    )


def right_answers(attempt):
    return {
        item["question"]: [c["id"] for c in item["choices"] if c["correct"]]
        for item in attempt.served
    }


def wrong_answers(attempt):
    return {
        item["question"]: [next(c["id"] for c in item["choices"] if not c["correct"])]
        for item in attempt.served
    }
