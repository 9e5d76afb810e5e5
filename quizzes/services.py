import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common import imports, jobs, outbox
from courses.models import CoursePage
from courses.services import record_course_completion_if_done, request_course_review

from . import question_import, scoring
from .models import (
    Attempt,
    AttemptGrant,
    AttemptState,
    Choice,
    ChoiceStat,
    GradedAttemptStats,
    Question,
    QuestionImport,
    QuestionKind,
    QuestionStat,
    QuizPage,
    Response,
    RestudyUnlock,
    ShowAnswers,
)
from .scoring import ServedChoice, ServedQuestion
from .selectors import allowance, draw_shortfall, open_attempt, usable_questions

__all__ = [
    "MAX_GRANT_ATTEMPTS",
    "MAX_GRANT_MINUTES",
    "check_question_file",
    "close_if_expired",
    "complete_course_if_final_quiz_passed",
    "confirm_question_import",
    "count_attempt_stats",
    "draw_questions",
    "grant_extra",
    "open_restudy",
    "open_restudy_after_attempt",
    "run_question_job",
    "save_answer",
    "save_answers",
    "start_attempt",
    "submit_attempt",
    "unlock_after_restudy",
    "upload_question_file",
]

MAX_GRANT_ATTEMPTS = 10
MAX_GRANT_MINUTES = 120
MAX_GRANT_MEMBERS = 20_000

_random = random.SystemRandom()


def draw_questions(quiz: QuizPage) -> list[Question]:
    """The fixed questions plus N drawn at random per topic rule, never the same twice."""
    shortfall = draw_shortfall(quiz)
    if shortfall:
        raise ValidationError(shortfall, code="not_enough_questions")
    chosen = [
        fq.question
        for fq in quiz.fixed_questions.select_related("question").all()
        if fq.question.is_active
    ]
    taken = {q.pk for q in chosen}
    for rule in quiz.draw_rules.all():
        candidates = list(
            usable_questions()
            .filter(topic_id=rule.topic_id)
            .exclude(pk__in=taken)
            .values_list("pk", flat=True)
        )
        picked = _random.sample(candidates, rule.count)
        taken.update(picked)
        chosen.extend(Question.objects.filter(pk__in=picked))
    if quiz.shuffle_questions:
        _random.shuffle(chosen)
    return chosen


def _snapshot(quiz: QuizPage, questions: list[Question]) -> list[ServedQuestion]:
    served: list[ServedQuestion] = []
    for question in Question.objects.filter(pk__in=[q.pk for q in questions]).prefetch_related(
        "choices"
    ):
        choices: list[ServedChoice] = [
            {"id": c.pk, "text": c.text, "correct": c.is_correct, "feedback": c.feedback}
            for c in question.choices.all()
        ]
        if quiz.shuffle_choices and question.kind != QuestionKind.TRUE_FALSE:
            _random.shuffle(choices)
        served.append(
            {
                "question": question.pk,
                "revision": question.latest_revision_id,
                "kind": question.kind,
                "text": question.text,
                "image": question.image_id,
                "explanation": question.explanation,
                "choices": choices,
            }
        )
    order = {q.pk: n for n, q in enumerate(questions)}
    served.sort(key=lambda item: order[item["question"]])
    return served


def start_attempt(*, user: User, quiz: QuizPage) -> Attempt:
    """Resume the open attempt, or start a new one if attempts are left (the quiz's own and
    any granted). Extra minutes granted lengthen the time limit."""
    current = open_attempt(user, quiz)
    if current is not None:
        current = close_if_expired(attempt=current)
        if current.is_open:
            return current
    served = _snapshot(quiz, draw_questions(quiz))
    now = timezone.now()
    try:
        with transaction.atomic():
            used = Attempt.objects.filter(user=user, quiz=quiz).count()
            allowed = allowance(user, quiz, used=used)
            if allowed.exhausted:
                raise _no_attempts_left(allowed.allowed)
            minutes = quiz.time_limit_minutes + allowed.extra_minutes
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                number=used + 1,
                started_at=now,
                deadline=now + timedelta(minutes=minutes) if quiz.time_limit_minutes else None,
                served=served,
                scoring_policy=quiz.multiple_choice_scoring,
                pass_mark=quiz.pass_mark,
            )
    except IntegrityError:
        # Another tab started one at the same moment: use it.
        current = open_attempt(user, quiz)
        if current is None:
            raise _no_attempts_left(allowance(user, quiz).allowed) from None
        return current


def _no_attempts_left(allowed: int | None) -> ValidationError:
    return ValidationError(
        _("You have used all %(n)s attempts at this quiz.") % {"n": allowed},
        code="no_attempts_left",
    )


def _owned(attempt: Attempt, user: User) -> None:
    if attempt.user_id != user.pk:
        raise PermissionDenied


def save_answer(
    *, user: User, attempt: Attempt, question_id: int, choice_ids: list[int]
) -> Response:
    """Store one answer as soon as it is given. Refuses foreign, stale or late data."""
    saved, errors = save_answers(user=user, attempt=attempt, answers={question_id: choice_ids})
    if errors:
        raise ValidationError(errors)
    return saved[0]


def _checked_choices(item: dict, choice_ids: list[int]) -> list[int]:
    allowed = {choice["id"] for choice in item["choices"]}
    chosen = sorted(set(choice_ids))
    if not chosen:
        raise ValidationError(_("Choose an answer."), code="empty")
    if not set(chosen) <= allowed:
        raise ValidationError(
            _("That answer does not belong to this question."), code="foreign_choice"
        )
    if item["kind"] != QuestionKind.MULTIPLE and len(chosen) != 1:
        raise ValidationError(_("Choose exactly one answer."), code="one_answer")
    return chosen


@transaction.atomic
def save_answers(
    *, user: User, attempt: Attempt, answers: dict[int, list[int]]
) -> tuple[list[Response], list[str]]:
    """Store the answers given on one screen: one lock on the attempt and a handful of
    statements, whatever was posted. Answers to questions not served in this attempt, or
    with foreign choices, are refused one by one (their messages are returned); the attempt
    being closed or late refuses everything."""
    _owned(attempt, user)
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.is_open:
        raise ValidationError(_("This attempt has already been submitted."), code="closed")
    if attempt.is_past_deadline():
        raise ValidationError(_("Time is up: answers given now are not counted."), code="late")
    served = {item["question"]: item for item in attempt.served}
    errors: list[str] = []
    checked: dict[int, list[int]] = {}
    for question_id, choice_ids in answers.items():
        item = served.get(question_id)
        if item is None:
            errors.append(_("This question is not part of your attempt."))
            continue
        try:
            checked[question_id] = _checked_choices(item, choice_ids)
        except ValidationError as error:
            errors.extend(error.messages)
    if not checked:
        return [], errors
    existing = {
        r.question_id: r
        for r in Response.objects.filter(attempt=attempt, question_id__in=list(checked))
    }
    if (
        existing
        and QuizPage.objects.filter(
            pk=attempt.quiz_id, show_answers=ShowAnswers.AFTER_EACH
        ).exists()
    ):
        for question_id in existing:
            if sorted(existing[question_id].chosen) != checked.pop(question_id):
                errors.append(_("This question is already answered."))
        existing = {}
    now = timezone.now()
    saved = []
    for question_id, chosen in checked.items():
        response = existing.get(question_id)
        if response is None:
            continue
        if response.chosen != chosen:
            Response.objects.filter(pk=response.pk).update(chosen=chosen, answered_at=now)
            response.chosen, response.answered_at = chosen, now
        saved.append(response)
    new = [
        Response(attempt=attempt, question_id=question_id, chosen=chosen, answered_at=now)
        for question_id, chosen in checked.items()
        if question_id not in existing
    ]
    saved.extend(Response.objects.bulk_create(new))
    return saved, list(dict.fromkeys(errors))


def submit_attempt(*, user: User, attempt_id: int) -> Attempt:
    """Grade the member's attempt (once). Another member's attempt is Attempt.DoesNotExist."""
    return _close(attempt_id=attempt_id, state=AttemptState.SUBMITTED, user=user)


def close_if_expired(*, attempt: Attempt) -> Attempt:
    """An open attempt past its deadline is closed and graded when it is next touched."""
    if attempt.is_open and attempt.is_past_deadline():
        return _close(attempt_id=attempt.pk, state=AttemptState.EXPIRED)
    return attempt


@transaction.atomic
def _close(*, attempt_id: int, state: str, user: User | None = None) -> Attempt:
    """Grade exactly once, however many requests arrive together.

    The conditional UPDATE both claims the attempt and takes its row lock: only the request
    that changed the row grades; the others wait for its commit and read the result. The
    follow-up work (item statistics, completing the course) is queued, not done here.
    """
    now = timezone.now()
    attempts = Attempt.objects.filter(pk=attempt_id)
    if user is not None:
        attempts = attempts.filter(user=user)
    claimed = attempts.filter(state=AttemptState.OPEN).update(state=state, submitted_at=now)
    attempt = attempts.get()
    if not claimed:
        return attempt
    if attempt.is_past_deadline(now):
        state = AttemptState.EXPIRED
    responses = list(Response.objects.filter(attempt_id=attempt.pk))
    if attempt.deadline is not None:
        responses = [r for r in responses if r.answered_at <= attempt.deadline]
    result = scoring.grade(
        served=attempt.served,
        answers={r.question_id: frozenset(r.chosen) for r in responses},
        policy=attempt.scoring_policy,
        pass_mark=attempt.pass_mark,
    )
    # One UPDATE per distinct score (usually right / wrong) is much cheaper than bulk_update.
    by_score: dict[tuple, list[int]] = {}
    graded = {g.question_id: g for g in result.questions}
    for response in responses:
        score = graded[response.question_id]
        by_score.setdefault((score.points, score.is_correct), []).append(response.pk)
    for (points, is_correct), ids in by_score.items():
        Response.objects.filter(pk__in=ids).update(points=points, is_correct=is_correct)
    Attempt.objects.filter(pk=attempt.pk).update(
        state=state,
        points=result.points,
        max_points=result.max_points,
        percent=result.percent,
        passed=result.passed,
    )
    outbox.enqueue("quizzes.tasks.after_attempt_graded", attempt_id=attempt.pk)
    attempt.state = state
    attempt.points, attempt.max_points = result.points, result.max_points
    attempt.percent, attempt.passed = result.percent, result.passed
    return attempt


def complete_course_if_final_quiz_passed(*, attempt_id: int) -> bool:
    """After a passed final quiz, the course may now be complete (idempotent)."""
    attempt = Attempt.objects.filter(pk=attempt_id, passed=True).select_related("user").first()
    if attempt is None:
        return False
    quiz = QuizPage.objects.filter(pk=attempt.quiz_id, is_final=True).only("path").first()
    if quiz is None:
        return False
    course = _course_of(quiz)
    return record_course_completion_if_done(user=attempt.user, course=course) is not None


@transaction.atomic
def count_attempt_stats(*, attempt_id: int) -> bool:
    """Add a graded attempt to the per-question counts, once (a marker row guards re-runs).

    A dozen statements whatever the number of questions. Rows are locked in key order
    before they are incremented, so two workers counting attempts at once cannot deadlock.
    """
    attempt = Attempt.objects.filter(pk=attempt_id).exclude(state=AttemptState.OPEN).first()
    if attempt is None:
        return False
    try:
        with transaction.atomic():
            GradedAttemptStats.objects.create(attempt=attempt)
    except IntegrityError:
        return False
    served = [item["question"] for item in attempt.served]
    questions = list(Question.objects.filter(pk__in=served).values_list("pk", flat=True))
    if not questions:
        return True
    responses = list(attempt.responses.filter(question_id__in=questions))
    QuestionStat.objects.bulk_create(
        [QuestionStat(question_id=pk) for pk in questions], ignore_conflicts=True
    )
    list(QuestionStat.objects.select_for_update().filter(question_id__in=questions).order_by("pk"))
    right = [r.question_id for r in responses if r.is_correct]
    wrong = [r.question_id for r in responses if not r.is_correct]
    if right:
        QuestionStat.objects.filter(question_id__in=right).update(
            answered=F("answered") + 1, correct=F("correct") + 1
        )
    if wrong:
        QuestionStat.objects.filter(question_id__in=wrong).update(answered=F("answered") + 1)
    chosen = [(r.question_id, choice_id) for r in responses for choice_id in r.chosen]
    if chosen:
        ChoiceStat.objects.bulk_create(
            [ChoiceStat(question_id=q, choice_id=c) for q, c in chosen], ignore_conflicts=True
        )
        # Choice ids are unique across questions, so this matches exactly the chosen pairs.
        rows = ChoiceStat.objects.filter(
            question_id__in={q for q, _c in chosen}, choice_id__in={c for _q, c in chosen}
        )
        list(rows.select_for_update().order_by("pk"))
        rows.update(chosen=F("chosen") + 1)
    return True


QUESTION_CHUNK = 50


def upload_question_file(*, by: User, upload: UploadedFile) -> QuestionImport:
    """Store an uploaded question file (private storage) and queue its check."""
    return imports.upload(QuestionImport, by=by, upload=upload)


def check_question_file(*, by: User, file_name: str, content: bytes) -> QuestionImport:
    """Store and check a question file now, in this process (what the worker does)."""
    job = upload_question_file(by=by, upload=SimpleUploadedFile(file_name, content))
    run_question_job(job_id=job.pk)
    job.refresh_from_db()
    return job


def run_question_job(*, job_id: int) -> QuestionImport | None:
    """The worker's step of a question import: check the stored file, or import the
    confirmed rows. Safe to deliver twice and to resume after a crash."""
    return jobs.run(QuestionImport, job_id, _question_step)


def _question_step(lease: jobs.Lease) -> dict:
    if lease.job.status == QuestionImport.Status.CHECKING:
        return imports.check_stored_file(lease, question_import.read_and_check)
    author = lease.job.created_by

    def write(rows: list[dict]) -> dict:
        # A question already in the bank (same topic and text) is skipped: none twice.
        rows = [dict(row) for row in rows]
        existing = question_import.mark_existing(rows)
        for row in rows:
            if not row["exists"]:
                _create_question(row, author=author)
        return {
            "imported_count": F("imported_count") + len(rows) - existing,
            "existing_count": F("existing_count") + existing,
        }

    imports.import_in_chunks(lease, size=QUESTION_CHUNK, write=write)
    return {"imported_at": timezone.now()}


def _create_question(row: dict, *, author: User) -> Question:
    question = Question(
        kind=row["kind"],
        text=question_import.stored_text(row["text"]),
        topic_id=row["topic_id"],
        explanation=row["explanation"],
        difficulty=row["difficulty"],
    )
    question.choices = [Choice(text=a["text"], is_correct=a["is_correct"]) for a in row["answers"]]
    question.save()
    question.save_revision(user=author)
    return question


def confirm_question_import(
    *, by: User, job: QuestionImport, only_valid_rows: bool = False
) -> QuestionImport:
    """Queue the import. A file with errors imports nothing unless the trainer chose to
    import only the valid rows."""
    return imports.confirm(QuestionImport, by=by, job=job, only_valid_rows=only_valid_rows)


@transaction.atomic
def grant_extra(
    *,
    by: User,
    members: Iterable[User],
    quiz: QuizPage,
    extra_attempts: int,
    extra_minutes: int,
    reason: str,
    group: str = "",
) -> list[AttemptGrant]:
    """Give each of `members` extra attempts and/or extra minutes per attempt at `quiz`,
    recording who, when and why. `by` must administer or train an area covering every one
    of them (else PermissionDenied: the views answer 404); nobody grants to themselves.
    An attempt in progress gets the extra minutes at once."""
    from organisations.selectors import members_visible_to, training_roots

    reason = " ".join((reason or "").split())
    members = list(members)
    if not 0 <= extra_attempts <= MAX_GRANT_ATTEMPTS:
        raise ValidationError(
            _("Grant between 0 and %(n)s extra attempts.") % {"n": MAX_GRANT_ATTEMPTS},
            code="attempts_range",
        )
    if not 0 <= extra_minutes <= MAX_GRANT_MINUTES:
        raise ValidationError(
            _("Grant between 0 and %(n)s extra minutes.") % {"n": MAX_GRANT_MINUTES},
            code="minutes_range",
        )
    if not extra_attempts and not extra_minutes:
        raise ValidationError(_("Grant at least one extra attempt or extra minute."), code="none")
    if extra_attempts and not quiz.max_attempts:
        raise ValidationError(
            _("This quiz already allows unlimited attempts."), code="unlimited_attempts"
        )
    if extra_minutes and not quiz.time_limit_minutes:
        raise ValidationError(_("This quiz has no time limit."), code="no_time_limit")
    if len(reason) < 5:
        raise ValidationError(_("Write the reason (at least 5 characters)."), code="reason")
    if not members:
        raise ValidationError(_("Nobody is in the list."), code="empty")
    if len(members) > MAX_GRANT_MEMBERS:
        raise ValidationError(
            _("At most %(n)s members at once.") % {"n": MAX_GRANT_MEMBERS}, code="too_many"
        )
    if any(member.pk == by.pk for member in members):
        raise ValidationError(
            _("You cannot grant extra attempts or time to yourself."), code="self"
        )
    ids = [member.pk for member in members]
    roots = training_roots(by)
    in_scope = members_visible_to(by, roots=roots).filter(pk__in=ids).count() if roots else 0
    if in_scope != len(set(ids)):
        raise PermissionDenied
    now = timezone.now()
    grants = AttemptGrant.objects.bulk_create(
        [
            AttemptGrant(
                user_id=pk,
                quiz=quiz,
                kind=AttemptGrant.Kind.MANUAL,
                extra_attempts=extra_attempts,
                extra_minutes=extra_minutes,
                reason=reason[:500],
                group=group[:300],
                granted_by=by,
                granted_at=now,
            )
            for pk in dict.fromkeys(ids)
        ]
    )
    if extra_minutes:
        _lengthen_open_attempts(quiz=quiz, user_ids=ids, minutes=extra_minutes, now=now)
    return grants


def _lengthen_open_attempts(
    *, quiz: QuizPage, user_ids: list[int], minutes: int, now: datetime
) -> None:
    Attempt.objects.filter(
        user_id__in=user_ids,
        quiz=quiz,
        state=AttemptState.OPEN,
        deadline__isnull=False,
        deadline__gte=now,
    ).update(deadline=F("deadline") + timedelta(minutes=minutes))


def open_restudy_after_attempt(*, attempt_id: int) -> RestudyUnlock | None:
    """After a failed attempt: if it was the last one allowed, start re-studying."""
    attempt = (
        Attempt.objects.filter(pk=attempt_id, passed=False).select_related("user", "quiz").first()
    )
    if attempt is None or not attempt.quiz.restudy_extra_attempts:
        return None
    return open_restudy(user=attempt.user, quiz=attempt.quiz)


def _course_of(quiz: QuizPage) -> CoursePage:
    return CoursePage.objects.get(path=quiz.path[: -QuizPage.steplen])


def open_restudy(*, user: User, quiz: QuizPage) -> RestudyUnlock | None:
    """A member out of attempts at a quiz that rewards re-studying: mark the course's
    completed lessons to study again (idempotent; the open cycle if there is one).
    Once every lesson is re-read, `unlock_after_restudy` grants the attempts."""
    if not quiz.restudy_extra_attempts or not quiz.max_attempts:
        return None
    current = RestudyUnlock.objects.filter(user=user, quiz=quiz, unlocked_at__isnull=True).first()
    if current is not None:
        return current
    state = allowance(user, quiz)
    if state.passed or not state.exhausted:
        return None
    if Attempt.objects.filter(user=user, quiz=quiz, state=AttemptState.OPEN).exists():
        return None
    course = _course_of(quiz)
    try:
        with transaction.atomic():
            unlock = RestudyUnlock.objects.create(user=user, quiz=quiz)
            marked = request_course_review(course=course, user_ids=[user.pk])
            RestudyUnlock.objects.filter(pk=unlock.pk).update(lessons_marked=marked)
            unlock.lessons_marked = marked
    except IntegrityError:  # opened at the same moment by the task and the page
        return RestudyUnlock.objects.filter(user=user, quiz=quiz, unlocked_at__isnull=True).first()
    unlock_after_restudy(user_id=user.pk, course_id=course.pk)
    return unlock


@transaction.atomic
def unlock_after_restudy(*, user_id: int, course_id: int) -> list[AttemptGrant]:
    """Grant the earned attempts of every open re-study cycle in this course whose lessons are
    all re-read (nothing marked to study again, every required lesson completed). Safe to run
    twice: a cycle is claimed by a conditional UPDATE."""
    from courses.models import LessonPage, LessonProgress

    unlocks = list(
        RestudyUnlock.objects.filter(user_id=user_id, unlocked_at__isnull=True).select_related(
            "quiz"
        )
    )
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return []
    unlocks = [u for u in unlocks if u.quiz.path.startswith(course.path)]
    if not unlocks:
        return []
    lessons = LessonPage.objects.live().child_of(course)
    progress = LessonProgress.objects.filter(user_id=user_id, lesson__in=lessons)
    if progress.filter(review_requested_at__isnull=False).exists():
        return []
    required = lessons.filter(required=True).count()
    done = progress.filter(lesson__required=True, completed_at__isnull=False).count()
    if done < required:
        return []
    grants = []
    now = timezone.now()
    for unlock in unlocks:
        if not RestudyUnlock.objects.filter(pk=unlock.pk, unlocked_at__isnull=True).update(
            unlocked_at=now
        ):
            continue
        grant = AttemptGrant.objects.create(
            user_id=user_id,
            quiz=unlock.quiz,
            kind=AttemptGrant.Kind.RESTUDY,
            extra_attempts=unlock.quiz.restudy_extra_attempts,
            reason=_("Re-studied the lessons of the course"),
            granted_at=now,
        )
        RestudyUnlock.objects.filter(pk=unlock.pk).update(grant=grant)
        grants.append(grant)
    return grants
