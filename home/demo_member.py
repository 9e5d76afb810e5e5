"""Demo for issue 17: the trainer trains the demo province (so they can grant extra attempts
or time there), and the scam course's final quiz lets a member who used every attempt earn
one more by re-studying the lessons. Idempotent."""

from django.db import transaction


@transaction.atomic
def seed_member_journey() -> None:
    from accounts.models import User
    from courses.models import CoursePage
    from organisations import services as org
    from organisations.models import Membership, OrgUnit, Role
    from quizzes.models import QuizPage

    province = OrgUnit.objects.filter(code="VL").first()
    trainer = User.objects.filter(username="trainer").first()
    if (
        province
        and trainer
        and not Membership.objects.current().filter(user=trainer, role=Role.TRAINER).exists()
    ):
        admin = User.objects.get(username="admin")
        org.assign_role(by=admin, user=trainer, unit=province, role=Role.TRAINER)
    course = CoursePage.objects.filter(slug="nhan-dien-lua-dao-truc-tuyen").first()
    quiz = QuizPage.objects.live().child_of(course).first() if course else None
    if quiz is not None and not quiz.restudy_extra_attempts:
        quiz.restudy_extra_attempts = 1
        quiz.save_revision().publish()
