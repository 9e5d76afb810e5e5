from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.models import User

from .models import (
    Attempt,
    AttemptGrant,
    AttemptState,
    Question,
    QuizPage,
    Response,
    RestudyUnlock,
)
from .scoring import ServedQuestion

if TYPE_CHECKING:
    from courses.journey import Journey
    from courses.models import CoursePage

__all__ = [
    "Allowance",
    "allowance",
    "course_journey",
    "course_titles_of",
    "draw_shortfall",
    "grants_of",
    "open_restudy_of",
    "quiz_page_preview",
    "quiz_page_state",
    "quiz_steps",
    "quiz_summaries_for",
    "topic_mastery_for",
    "topic_shortfalls",
    "usable_questions",
]


def usable_questions() -> QuerySet[Question]:
    return Question.objects.filter(is_active=True)


def draw_shortfall(quiz: QuizPage) -> str:
    """A message when the bank cannot fill the quiz (too few active questions in a topic)."""
    fixed_ids = {fq.question_id for fq in quiz.fixed_questions.all() if fq.question_id}
    needed: defaultdict[int, int] = defaultdict(int)
    for rule in quiz.draw_rules.all():
        if rule.topic_id:
            needed[rule.topic_id] += rule.count
    problems = list(topic_shortfalls(fixed_ids=fixed_ids, needed=needed).values())
    if not fixed_ids and not needed:
        problems.append(_("Add fixed questions or a rule that draws questions from a topic."))
    return " ".join(problems)


def topic_shortfalls(*, fixed_ids: set[int], needed: dict[int, int]) -> dict[int, str]:
    """Per topic id whose active questions (fixed ones aside) cannot fill `needed[topic]`,
    the message saying so. Used by the quiz's admin form before anything is saved."""
    from courses.models import Topic

    problems = {}
    for topic_id, count in needed.items():
        available = usable_questions().filter(topic_id=topic_id).exclude(pk__in=fixed_ids).count()
        if available < count:
            problems[topic_id] = _(
                "The topic “%(topic)s” has %(available)s active questions; "
                "%(count)s are to be drawn."
            ) % {
                "topic": Topic.objects.get(pk=topic_id).name,
                "available": available,
                "count": count,
            }
    return problems


def course_titles_of(quiz_ids: Iterable[int]) -> dict[int, str]:
    """Per quiz id, the title of the course it belongs to, in two queries: quizzes are
    named after their course wherever they are listed together (/me/, charts)."""
    from wagtail.models import Page

    paths = dict(QuizPage.objects.filter(pk__in=list(quiz_ids)).values_list("pk", "path"))
    parents = {path[: -QuizPage.steplen] for path in paths.values()}
    titles = dict(Page.objects.filter(path__in=parents).values_list("path", "title"))
    return {pk: titles.get(path[: -QuizPage.steplen], "") for pk, path in paths.items()}


def quiz_summaries_for(user: User) -> list[dict]:
    """Per quiz the member has attempted: attempts, best score, passed and when."""
    rows = (
        Attempt.objects.filter(user=user)
        .values("quiz_id", "quiz__title")
        .annotate(
            attempts=Count("pk"),
            best=Max("percent"),
            passed_count=Count("pk", filter=Q(passed=True)),
            last=Max("started_at"),
            passed_at=Max("submitted_at", filter=Q(passed=True)),
        )
        .order_by("-last")
    )
    quizzes = {q.pk: q for q in QuizPage.objects.filter(pk__in=[r["quiz_id"] for r in rows])}
    courses = course_titles_of(quizzes)
    return [
        {
            "quiz": quizzes[row["quiz_id"]],
            "course": courses.get(row["quiz_id"], ""),
            "attempts": row["attempts"],
            "best": row["best"],
            "passed": row["passed_count"] > 0,
            "passed_at": row["passed_at"],
            "last": row["last"],
        }
        for row in rows
    ]


def topic_mastery_for(user: User) -> list[dict]:
    """Share of graded answers that were right, per topic, across all quizzes."""
    rows = (
        Response.objects.filter(attempt__user=user, is_correct__isnull=False)
        .exclude(attempt__state=AttemptState.OPEN)
        .values("question__topic__name")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("question__topic__name")
    )
    return [
        {
            "topic": row["question__topic__name"],
            "answered": row["answered"],
            "correct": row["correct"],
            "percent": round(100 * row["correct"] / row["answered"]) if row["answered"] else 0,
        }
        for row in rows
    ]


def attempts_of(user: User, quiz: QuizPage) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=user, quiz=quiz).order_by("-number")


def open_attempt(user: User, quiz: QuizPage) -> Attempt | None:
    return Attempt.objects.filter(user=user, quiz=quiz, state=AttemptState.OPEN).first()


def served_item(attempt: Attempt, question_id: int) -> ServedQuestion | None:
    return next((item for item in attempt.served if item["question"] == question_id), None)


@dataclass
class Allowance:
    """How many attempts a member has at a quiz: the quiz's own plus every grant."""

    used: int
    allowed: int | None  # None: unlimited
    extra_attempts: int
    extra_minutes: int
    passed: bool

    @property
    def left(self) -> int | None:
        return None if self.allowed is None else max(0, self.allowed - self.used)

    @property
    def exhausted(self) -> bool:
        return self.allowed is not None and self.used >= self.allowed


def allowance(user: User, quiz: QuizPage, *, used: int | None = None) -> Allowance:
    """The member's attempts and grants at the quiz, in two aggregate queries."""
    if used is None:
        row = Attempt.objects.filter(user=user, quiz=quiz).aggregate(
            n=Count("pk"), passed=Count("pk", filter=Q(passed=True))
        )
        used, passed = row["n"], row["passed"] > 0
    else:
        passed = Attempt.objects.filter(user=user, quiz=quiz, passed=True).exists()
    extra = AttemptGrant.objects.filter(user=user, quiz=quiz).aggregate(
        attempts=Sum("extra_attempts"), minutes=Sum("extra_minutes")
    )
    extra_attempts, extra_minutes = extra["attempts"] or 0, extra["minutes"] or 0
    return Allowance(
        used=used,
        allowed=quiz.max_attempts + extra_attempts if quiz.max_attempts else None,
        extra_attempts=extra_attempts,
        extra_minutes=extra_minutes,
        passed=passed,
    )


def grants_of(user: User, quiz: QuizPage | None = None) -> QuerySet[AttemptGrant]:
    grants = AttemptGrant.objects.filter(user=user).select_related("quiz", "granted_by")
    return grants.filter(quiz=quiz) if quiz is not None else grants


def open_restudy_of(user: User, quiz: QuizPage) -> RestudyUnlock | None:
    return RestudyUnlock.objects.filter(user=user, quiz=quiz, unlocked_at__isnull=True).first()


def out_of_attempts(user_ids: Iterable[int] | QuerySet, quiz: QuizPage) -> set[int]:
    """Of these members, those who used every attempt at the quiz without passing."""
    if not quiz.max_attempts:
        return set()
    used = dict(
        Attempt.objects.filter(user_id__in=user_ids, quiz=quiz)
        .values("user_id")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .filter(passed=0)  # type: ignore[misc]  # the count annotated above, not the field
        .values_list("user_id", "n")
    )
    extra = dict(
        AttemptGrant.objects.filter(user_id__in=list(used), quiz=quiz)
        .values("user_id")
        .annotate(n=Sum("extra_attempts"))
        .values_list("user_id", "n")
    )
    return {pk for pk, n in used.items() if n >= quiz.max_attempts + (extra.get(pk) or 0)}


def quiz_steps(user: User, courses: list) -> dict[int, list]:
    """The quizzes of these courses as journey steps with the member's status, in four
    queries whatever the number of courses."""
    from django.urls import reverse

    from courses.journey import Step
    from courses.selectors import pages_in_courses

    quizzes = list(pages_in_courses(QuizPage, courses).live().order_by("path"))
    if not quizzes:
        return {}
    by_path = {course.path: course for course in courses}
    stats: dict[int, Mapping[str, Any]] = {}
    extra, open_ids = {}, {}
    if user.is_authenticated:
        stats = {
            row["quiz_id"]: row
            for row in Attempt.objects.filter(user=user, quiz__in=quizzes)
            .values("quiz_id")
            .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)), best=Max("percent"))
        }
        extra = dict(
            AttemptGrant.objects.filter(user=user, quiz__in=quizzes)
            .values("quiz_id")
            .annotate(n=Sum("extra_attempts"))
            .values_list("quiz_id", "n")
        )
        open_ids = dict(
            Attempt.objects.filter(
                user=user, quiz__in=quizzes, state=AttemptState.OPEN
            ).values_list("quiz_id", "pk")
        )
    result: dict[int, list] = {}
    for quiz in quizzes:
        course = by_path[quiz.path[: -QuizPage.steplen]]
        row = stats.get(quiz.pk, {"n": 0, "passed": 0, "best": None})
        used, url = row["n"], quiz.get_url()
        allowed = quiz.max_attempts + (extra.get(quiz.pk) or 0) if quiz.max_attempts else None
        done = row["passed"] > 0
        blocked = False
        action = ""
        if done:
            status = _("Passed (best score %(score)s%%)") % {"score": round(row["best"] or 0)}
        elif quiz.pk in open_ids:
            status, action = _("In progress"), _("Continue your attempt")
            url = reverse("quizzes:attempt", args=[open_ids[quiz.pk]])
        elif used == 0:
            status = _("Not taken yet")
            action = _("Take the final quiz") if quiz.is_final else _("Take the quiz")
        elif allowed is not None and used >= allowed:
            blocked = True
            if quiz.restudy_extra_attempts:
                status = _("No attempts left: study the lessons again to earn more")
                action = _("See how to earn more attempts")
            else:
                status = _("No attempts left: ask your unit administrator or trainer")
                action = _("See your attempts")
        else:
            status = (
                _("Not passed yet: %(used)s of %(allowed)s attempts used")
                % {"used": used, "allowed": allowed}
                if allowed
                else _("Not passed yet")
            )
            action = _("Try again")
        result.setdefault(course.pk, []).append(
            Step(
                kind="quiz",
                title=quiz.title,
                url=url,
                path=quiz.path,
                done=done,
                status=status,
                required=quiz.is_final,
                started=used > 0,
                blocked=blocked,
                action=action,
                extra={"quiz": quiz, "is_final": quiz.is_final},
            )
        )
    return result


def lessons_to_reread(user: User, quiz: QuizPage) -> list:
    """The course's live lessons the member must (re-)read to earn attempts back."""
    from courses.models import LessonPage, LessonProgress

    lessons = list(LessonPage.objects.live().child_of(quiz.get_parent()).order_by("path"))
    progress = {
        p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=lessons)
    }

    def pending(lesson: LessonPage) -> bool:
        mine = progress.get(lesson.pk)
        if mine is None:
            return lesson.required
        if mine.review_requested_at is not None:
            return True
        return lesson.required and mine.completed_at is None

    return [lesson for lesson in lessons if pending(lesson)]


def course_journey(user: User, course: "CoursePage") -> "Journey":
    """The member's next step in the course (what the quiz page and the result show)."""
    from courses.selectors import course_journeys, with_progress

    with_progress(user, [course])
    return course_journeys(user, [course])[course.pk]


def quiz_page_state(
    user: User,
    quiz: QuizPage,
    *,
    current: Allowance | None = None,
    restudy: RestudyUnlock | None = None,
) -> dict:
    """What the quiz page shows a member: the rules with their own allowance, their
    attempts and grants, the re-study cycle (opened by the page's `serve` when due) and,
    once passed, the next step. `current` is the allowance `serve` already read, if any."""
    state = current if current is not None else allowance(user, quiz)
    attempts = list(attempts_of(user, quiz))
    course = quiz.get_parent().specific
    context = {
        "attempts": attempts,
        "open_attempt": next((a for a in attempts if a.is_open), None),
        "allowance": state,
        "attempts_left": state.left,
        "passed": state.passed,
        "grants": list(grants_of(user, quiz)),
        "restudy": restudy,
        "restudy_lessons": lessons_to_reread(user, quiz) if restudy else [],
        "course": course,
    }
    if state.passed:
        context["journey"] = course_journey(user, course)
    return context


def quiz_page_preview(quiz: QuizPage) -> dict:
    """The quiz page as a member sees it before the first attempt (the editor's preview)."""
    state = Allowance(
        used=0, allowed=quiz.max_attempts or None, extra_attempts=0, extra_minutes=0, passed=False
    )
    return {
        "attempts": [],
        "open_attempt": None,
        "allowance": state,
        "attempts_left": state.left,
        "passed": False,
        "grants": [],
        "restudy": None,
        "restudy_lessons": [],
        "course": quiz.get_parent().specific,
    }


def attempts_of_member(user: User) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=user).select_related("quiz").order_by("quiz_id", "number")
