from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common import outbox
from common.text import fold
from notifications.models import Kind
from notifications.services import notify

from .completion import is_course_complete
from .models import CourseCompletion, CoursePage, LessonPage, LessonProgress, LessonSearchText
from .signals import course_completed, course_restudied, lesson_completed

LAST_OPENED_RESOLUTION = timedelta(minutes=1)

__all__ = [
    "complete_lesson",
    "index_lesson_text",
    "notify_lesson_updated",
    "record_course_completion_if_done",
    "request_course_review",
    "request_restudy",
    "start_lesson",
]


def start_lesson(*, user: User, lesson: LessonPage) -> LessonProgress:
    """Record that the member opened the lesson (first time: started; always: last opened).

    Runs on every lesson view, so it costs one query when nothing changes: the
    "last opened" time is only rewritten when it is more than a minute old.
    """
    now = timezone.now()
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if progress is None:
        try:
            with transaction.atomic():
                return LessonProgress.objects.create(
                    user=user, lesson=lesson, started_at=now, last_opened_at=now
                )
        except IntegrityError:  # opened in two tabs at the same moment
            return LessonProgress.objects.get(user=user, lesson=lesson)
    if now - progress.last_opened_at > LAST_OPENED_RESOLUTION:
        LessonProgress.objects.filter(pk=progress.pk).update(last_opened_at=now)
        progress.last_opened_at = now
    return progress


@transaction.atomic
def complete_lesson(*, user: User, lesson: LessonPage) -> LessonProgress:
    """Mark a lesson the member has opened as completed; completes the course when it was the
    last requirement. A lesson never opened cannot be completed."""
    progress = LessonProgress.objects.select_for_update().filter(user=user, lesson=lesson).first()
    if progress is None:
        raise ValidationError(
            _("Open the lesson before marking it as completed."), code="not_started"
        )
    course = lesson.get_parent().specific
    if progress.completed_at is None or progress.review_requested_at is not None:
        transaction.on_commit(
            lambda: lesson_completed.send(
                sender=LessonProgress, user_id=user.pk, lesson_id=lesson.pk, course_id=course.pk
            )
        )
        was_under_review = progress.review_requested_at is not None
        progress.completed_at = timezone.now()
        progress.review_requested_at = None
        progress.save(update_fields=["completed_at", "review_requested_at"])
        if was_under_review and not _reviews_pending(user_id=user.pk, course=course):
            transaction.on_commit(
                lambda: course_restudied.send(
                    sender=LessonProgress, user_id=user.pk, course_id=course.pk
                )
            )
    record_course_completion_if_done(user=user, course=course)
    return progress


def _reviews_pending(*, user_id: int, course: CoursePage) -> bool:
    return LessonProgress.objects.filter(
        user_id=user_id,
        lesson__in=LessonPage.objects.child_of(course),
        review_requested_at__isnull=False,
    ).exists()


@transaction.atomic
def request_restudy(*, lesson: LessonPage, revision_id: int | None = None) -> int:
    """Mark the lesson for review for every member who had completed it; returns how many.

    Their notices are queued with the marks (`notify_lesson_updated`, after the commit)."""
    marked = LessonProgress.objects.filter(
        lesson=lesson, completed_at__isnull=False, review_requested_at__isnull=True
    ).update(review_requested_at=timezone.now())
    outbox.enqueue(
        "courses.tasks.notify_lesson_updated", lesson_id=lesson.pk, revision_id=revision_id
    )
    return marked


def notify_lesson_updated(*, lesson_id: int, revision_id: int | None) -> int:
    """Tell every member whose completed lesson was marked for re-study by this publish, once
    per revision (the notice is keyed by the lesson and the revision)."""
    lesson = LessonPage.objects.filter(pk=lesson_id).first()
    if lesson is None:
        return 0
    course = lesson.get_parent()
    members = LessonProgress.objects.filter(
        lesson=lesson, review_requested_at__isnull=False
    ).values_list("user_id", flat=True)
    return notify(
        user_ids=list(members),
        kind=Kind.LESSON_UPDATED,
        key=f"lesson:{lesson.pk}:revision:{revision_id or 0}",
        params={"lesson": lesson.title, "course": course.title},
        link=lesson.url or "",
    )


@transaction.atomic
def request_course_review(*, course: CoursePage, user_ids: list[int]) -> int:
    """Mark every completed lesson of the course for review for these members (renewal)."""
    return LessonProgress.objects.filter(
        user_id__in=user_ids,
        lesson__in=LessonPage.objects.child_of(course),
        completed_at__isnull=False,
        review_requested_at__isnull=True,
    ).update(review_requested_at=timezone.now())


@transaction.atomic
def record_course_completion_if_done(*, user: User, course: CoursePage) -> CourseCompletion | None:
    """Create the completion once every requirement holds; `course_completed` is sent after
    the commit, once."""
    existing = CourseCompletion.objects.filter(user=user, course=course).first()
    if existing or not is_course_complete(user, course):
        return existing
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(user=user, course=course)
    except IntegrityError:  # completed concurrently: the other request sent the signal
        return CourseCompletion.objects.get(user=user, course=course)
    transaction.on_commit(
        lambda: course_completed.send(
            sender=CourseCompletion,
            user_id=user.pk,
            course_id=course.pk,
            completion_id=completion.pk,
        )
    )
    return completion


def index_lesson_text(*, lesson: LessonPage) -> None:
    """Store the accent-folded text of a published lesson for diacritic-insensitive search."""
    parts = [lesson.title, lesson.summary, *_stream_text(lesson.body.get_prep_value())]
    LessonSearchText.objects.update_or_create(
        lesson=lesson, defaults={"folded": fold(" ".join(parts))}
    )


def _stream_text(value: object) -> list[str]:
    from django.utils.html import strip_tags

    if isinstance(value, str):
        return [strip_tags(value)]
    if isinstance(value, dict):
        return [
            text
            for key, item in value.items()
            if key not in ("type", "id")
            for text in _stream_text(item)
        ]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _stream_text(item)]
    return []
