import random
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common import imports, jobs, outbox
from courses.models import CoursePage
from courses.services import record_course_completion_if_done

from . import question_import, scoring
from .models import (
    Attempt,
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
    ShowAnswers,
)
from .selectors import draw_shortfall, open_attempt, served_item, usable_questions

__all__ = [
    "check_question_file",
    "close_if_expired",
    "complete_course_if_final_quiz_passed",
    "confirm_question_import",
    "count_attempt_stats",
    "draw_questions",
    "run_question_job",
    "save_answer",
    "start_attempt",
    "submit_attempt",
    "upload_question_file",
]

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


def _snapshot(quiz: QuizPage, questions: list[Question]) -> list[dict]:
    served = []
    for question in Question.objects.filter(pk__in=[q.pk for q in questions]).prefetch_related(
        "choices"
    ):
        choices = [
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
    """Resume the open attempt, or start a new one if attempts are left."""
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
            if quiz.max_attempts and used >= quiz.max_attempts:
                raise ValidationError(
                    _("You have used all %(n)s attempts at this quiz.") % {"n": quiz.max_attempts},
                    code="no_attempts_left",
                )
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                number=used + 1,
                started_at=now,
                deadline=now + timedelta(minutes=quiz.time_limit_minutes)
                if quiz.time_limit_minutes
                else None,
                served=served,
                scoring_policy=quiz.multiple_choice_scoring,
                pass_mark=quiz.pass_mark,
            )
    except IntegrityError:
        # Another tab started one at the same moment: use it.
        current = open_attempt(user, quiz)
        if current is None:
            raise ValidationError(
                _("You have used all %(n)s attempts at this quiz.") % {"n": quiz.max_attempts},
                code="no_attempts_left",
            ) from None
        return current


def _owned(attempt: Attempt, user: User) -> None:
    if attempt.user_id != user.pk:
        raise PermissionDenied


@transaction.atomic
def save_answer(
    *, user: User, attempt: Attempt, question_id: int, choice_ids: list[int]
) -> Response:
    """Store one answer as soon as it is given. Refuses foreign, stale or late data."""
    _owned(attempt, user)
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.is_open:
        raise ValidationError(_("This attempt has already been submitted."), code="closed")
    if attempt.is_past_deadline():
        raise ValidationError(_("Time is up: answers given now are not counted."), code="late")
    item = served_item(attempt, question_id)
    if item is None:
        raise ValidationError(
            _("This question is not part of your attempt."), code="foreign_question"
        )
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
    quiz_locks_answers = QuizPage.objects.filter(
        pk=attempt.quiz_id, show_answers=ShowAnswers.AFTER_EACH
    ).exists()
    existing = Response.objects.filter(attempt=attempt, question_id=question_id).first()
    if existing and quiz_locks_answers:
        raise ValidationError(_("This question is already answered."), code="locked")
    response, _created = Response.objects.update_or_create(
        attempt=attempt,
        question_id=question_id,
        defaults={"chosen": chosen, "answered_at": timezone.now()},
    )
    return response


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
    course = CoursePage.objects.get(path=quiz.path[: -QuizPage.steplen])
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


def upload_question_file(*, by: User, upload) -> QuestionImport:
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
