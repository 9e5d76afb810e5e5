from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest
from wagtail.models import Page
from wagtail.query import PageQuerySet

from accounts.models import User
from common import content_cache
from common.text import fold

from .models import CourseCompletion, CourseIndexPage, CoursePage, LessonPage, LessonProgress

__all__ = [
    "after_lesson_url",
    "catalogue_for",
    "course_catalogue_page",
    "course_journeys",
    "lesson_outline",
    "lesson_steps",
    "lessons_to_restudy",
    "lessons_with_status",
    "my_learning",
    "pages_in_courses",
    "ranked_search",
    "search_lessons",
    "with_progress",
]


def course_catalogue_page() -> CourseIndexPage | None:
    return CourseIndexPage.objects.live().first()


def pages_in_courses(model: type[Page], courses: list[CoursePage]) -> PageQuerySet:
    """Pages of `model` (lessons, quizzes) placed directly in any of `courses`."""
    if not courses:
        return model.objects.none()
    condition = Q()
    for course in courses:
        condition |= Q(path__startswith=course.path, depth=course.depth + 1)
    return model.objects.filter(condition)


def _course_progress(user: User, courses: list[CoursePage]) -> dict[int, tuple[int, int, int]]:
    """{course id: (required lessons done, required lessons, lessons to re-study)} in two
    queries. A completed lesson marked for re-study does not count as done until re-read."""
    if not courses:
        return {}
    width = len(courses[0].path) + LessonPage.steplen
    by_path = {course.path: course.pk for course in courses}
    lessons = pages_in_courses(LessonPage, courses).live().filter(required=True)
    totals = (
        lessons.annotate(course_path=Substr("path", 1, width - LessonPage.steplen))
        .order_by()
        .values("course_path")
        .annotate(n=Count("pk"))
    )
    result = dict.fromkeys(by_path.values(), (0, 0, 0))
    for row in totals:
        result[by_path[row["course_path"]]] = (0, row["n"], 0)
    if user.is_authenticated:
        done = (
            LessonProgress.objects.filter(user=user, completed_at__isnull=False, lesson__in=lessons)
            .annotate(course_path=Substr("lesson__path", 1, width - LessonPage.steplen))
            .order_by()
            .values("course_path")
            .annotate(
                n=Count("pk", filter=Q(review_requested_at__isnull=True)),
                review=Count("pk", filter=Q(review_requested_at__isnull=False)),
            )
        )
        for row in done:
            pk = by_path[row["course_path"]]
            result[pk] = (row["n"], result[pk][1], row["review"])
    return result


def with_progress(user: User, courses: list[CoursePage]) -> list[CoursePage]:
    progress = _course_progress(user, courses)
    completed = set()
    if user.is_authenticated:
        completed = set(
            CourseCompletion.objects.filter(user=user, course__in=courses).values_list(
                "course_id", flat=True
            )
        )
    for course in courses:
        course.lessons_done, course.lessons_total, course.lessons_to_restudy = progress.get(
            course.pk, (0, 0, 0)
        )
        course.percent = (
            round(100 * course.lessons_done / course.lessons_total) if course.lessons_total else 0
        )
        course.is_completed = course.pk in completed
    return courses


def lesson_steps(user: User, courses: list[CoursePage]) -> dict[int, list]:
    """The lessons of these courses as journey steps, in two queries."""
    from django.utils.translation import gettext as _

    from .journey import Step

    by_path = {course.path: course for course in courses}
    lessons = list(pages_in_courses(LessonPage, courses).live().order_by("path"))
    progress = {}
    if user.is_authenticated and lessons:
        progress = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(user=user, lesson__in=lessons).only(
                "lesson_id", "completed_at", "review_requested_at"
            )
        }
    result: dict[int, list] = {}
    for lesson in lessons:
        course = by_path[lesson.path[: -LessonPage.steplen]]
        mine = progress.get(lesson.pk)
        review = mine is not None and mine.review_requested_at is not None
        completed = mine is not None and mine.completed_at is not None
        if review:
            status, action = _("Study again"), _("Study it again")
        elif completed:
            status, action = _("Completed"), ""
        elif mine is not None:
            status, action = _("In progress"), _("Continue the lesson")
        else:
            status, action = _("Not started"), _("Start the lesson")
        result.setdefault(course.pk, []).append(
            Step(
                kind="lesson",
                title=lesson.title,
                url=lesson.get_url(),
                path=lesson.path,
                done=completed and not review,
                status=status,
                required=lesson.required,
                started=mine is not None,
                action=action,
                extra={"lesson": lesson, "needs_review": review},
            )
        )
    return result


def course_journeys(user: User, courses: list[CoursePage]) -> dict:
    from .journey import journeys_for

    return journeys_for(user, courses)


def catalogue_for(user: User, *, index_page: CourseIndexPage) -> list[CoursePage]:
    courses = list(
        CoursePage.objects.live()
        .child_of(index_page)
        .select_related("topic", "cover_image")
        .order_by("path")
    )
    return with_progress(user, courses)


@dataclass
class LessonStatus:
    lesson: LessonPage
    started: bool
    completed: bool
    needs_review: bool = False


def lessons_with_status(user: User, *, course: CoursePage) -> list[LessonStatus]:
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    progress = {}
    if user.is_authenticated:
        progress = {
            p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=lessons)
        }
    return [
        LessonStatus(
            lesson=lesson,
            started=lesson.pk in progress,
            completed=lesson.pk in progress and progress[lesson.pk].completed_at is not None,
            needs_review=lesson.pk in progress
            and progress[lesson.pk].review_requested_at is not None,
        )
        for lesson in lessons
    ]


def lessons_to_restudy(user: User) -> QuerySet[LessonPage]:
    """Live lessons the member completed and must read again because they changed."""
    return (
        LessonPage.objects.live()
        .filter(progress__user=user, progress__review_requested_at__isnull=False)
        .order_by("path")
    )


# course path -> rows of the course and its live lessons, per content version, in this process.
_outlines = content_cache.ProcessMemo()


def _outline_rows(course_path: str, lesson_depth: int, lesson_type_id: int) -> list[tuple]:
    return list(
        Page.objects.filter(
            Q(path=course_path)
            | Q(
                path__startswith=course_path,
                depth=lesson_depth,
                live=True,
                content_type_id=lesson_type_id,
            )
        )
        .order_by("path")
        .values_list("pk", "title", "slug", "coursepage__login_required")
    )


def lesson_outline(
    *, lesson: LessonPage, lesson_url: str, request: HttpRequest | None = None
) -> dict:
    """What a lesson view shows around the lesson: its course (title, address, whether it
    needs a login) and the previous and next live lessons.

    The same for every member until an editor changes a page, so it is kept per content
    version (`common.content_cache`): no query on most views. A lesson's address is its
    course's plus its slug, so titles and slugs are enough.
    """
    course_path = lesson.path[: -LessonPage.steplen]
    rows = _outlines.get_or_compute(
        content_cache.version(request),
        course_path,
        lambda: _outline_rows(course_path, lesson.depth, lesson.content_type_id),
    )
    (_pk, course_title, _slug, login_required), siblings = rows[0], rows[1:]
    course_url = lesson_url.rstrip("/").rsplit("/", 1)[0] + "/"
    ids = [pk for pk, *_rest in siblings]
    if lesson.pk is not None and lesson.pk in ids:
        position, after, count = ids.index(lesson.pk), 1, len(siblings)
    else:
        # Not live yet (the editor's preview of a new or draft lesson): it takes its place
        # among the live lessons by its position in the tree, e.g. "Bài 6/6" for a new sixth.
        position = (
            LessonPage.objects.live()
            .filter(path__startswith=course_path, depth=lesson.depth, path__lt=lesson.path)
            .exclude(pk=lesson.pk)
            .count()
            if lesson.path
            else len(siblings)
        )
        after, count = 0, len(siblings) + 1

    def link(index: int) -> dict | None:
        if not 0 <= index < len(siblings):
            return None
        _pk, title, slug, _login = siblings[index]
        return {"title": title, "url": f"{course_url}{slug}/"}

    return {
        "course": {"title": course_title, "url": course_url},
        "login_required": login_required,
        "previous_lesson": link(position - 1),
        "next_lesson": link(position + after),
        "lesson_position": position + 1,
        "lesson_count": count,
    }


def after_lesson_url(lesson: LessonPage) -> str:
    """Where a member goes after completing a lesson: the next live lesson, else the course."""
    following = lesson.get_next_siblings().live().type(LessonPage).first()
    return following.url if following else lesson.get_parent().url


def my_learning(user: User) -> dict:
    """What /me/ shows: courses in progress (each with its next step: a lesson or the final
    quiz), and completed courses with their certificates."""
    recent = (
        LessonProgress.objects.filter(user=user, lesson__live=True)
        .select_related("lesson")
        .order_by("-last_opened_at")
    )
    course_paths = []
    for progress in recent[:200]:
        course_path = progress.lesson.path[: -LessonPage.steplen]
        if course_path not in course_paths:
            course_paths.append(course_path)
    completions = list(
        CourseCompletion.objects.filter(user=user)
        .select_related("course")
        .order_by("-completed_at")
    )
    completed_paths = {completion.course.path for completion in completions}
    courses = list(
        CoursePage.objects.live()
        .filter(path__in=set(course_paths) | completed_paths)
        .select_related("topic", "cover_image")
    )
    with_progress(user, courses)
    journeys = course_journeys(user, courses)
    for course in courses:
        course.journey = journeys[course.pk]
    by_path = {course.path: course for course in courses}
    in_progress = [
        by_path[path] for path in course_paths if path in by_path and not by_path[path].is_completed
    ]
    for completion in completions:
        course = by_path.get(completion.course.path)
        completion.journey = course.journey if course is not None else None  # type: ignore[attr-defined]
    return {
        "in_progress": in_progress,
        "completions": completions,
        "to_restudy": list(lessons_to_restudy(user)),
    }


def search_lessons(query: str, *, limit: int = 30, signed_in: bool = True) -> PageQuerySet:
    """Lessons matching every word; for a visitor who is not signed in, only lessons anyone
    may read (not in a members-only course, not behind a Wagtail view restriction): a
    title and summary are content too."""
    words = fold(query).split()
    if not words:
        return LessonPage.objects.none()
    condition = Q()
    for word in words[:8]:
        condition &= Q(search_text__folded__contains=word)
    lessons = LessonPage.objects.live().filter(condition)
    if not signed_in:
        lessons = lessons.public()
        for path in CoursePage.objects.filter(login_required=True).values_list("path", flat=True):
            lessons = lessons.exclude(path__startswith=path)
    return lessons.order_by("path")[:limit]


def ranked_search(query: str, *, signed_in: bool, limit: int = 30) -> list[LessonPage]:
    """The lessons found, those with the words in their title first, then in their summary,
    then only in the body; each with `title_html` and `summary_html` marking the words
    found (accent-insensitive, escaped)."""
    from common.text import highlight

    words = fold(query).split()[:8]
    found = list(search_lessons(query, signed_in=signed_in, limit=200))

    def rank(lesson: LessonPage) -> tuple:
        title, summary = fold(lesson.title), fold(lesson.summary)
        in_title = sum(word in title for word in words)
        in_summary = sum(word in summary for word in words)
        return (-in_title, -in_summary, lesson.path)

    found.sort(key=rank)
    for lesson in found[:limit]:
        lesson.title_html = highlight(lesson.title, words)
        lesson.summary_html = highlight(lesson.summary, words)
    return found[:limit]
