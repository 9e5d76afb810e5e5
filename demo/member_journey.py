"""Demo for the member's journey: the scam course's final quiz lets a member who used every
attempt earn one more by re-studying the lessons. (The trainer's role in the province, which
lets them grant extra attempts or time there, is given with the field work demo.) Idempotent."""

from django.db import transaction


@transaction.atomic
def seed_member_journey() -> None:
    from courses.models import CoursePage
    from quizzes.models import QuizPage

    course = CoursePage.objects.filter(slug="nhan-dien-lua-dao-truc-tuyen").first()
    quiz = QuizPage.objects.live().child_of(course).first() if course else None
    if quiz is not None and not quiz.restudy_extra_attempts:
        quiz.restudy_extra_attempts = 1
        quiz.save_revision().publish()
