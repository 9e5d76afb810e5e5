from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, RevisionMixin
from wagtail.search import index

from common.fields import NFCCharField, NFCTextField
from common.models import ImportJob

from . import scoring
from .forms import QuestionForm, QuizPageForm


class QuestionKind(models.TextChoices):
    SINGLE = scoring.SINGLE, _("Single choice")
    MULTIPLE = scoring.MULTIPLE, _("Multiple choice (several correct answers)")
    TRUE_FALSE = scoring.TRUE_FALSE, _("True / false")


class Question(RevisionMixin, index.Indexed, ClusterableModel):
    """A question in the bank. Edits make revisions; past attempts keep what they served."""

    kind = models.CharField(
        _("type"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    text = RichTextField(_("question"), features=["bold", "italic", "link"])
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    topic = models.ForeignKey(
        "courses.Topic", on_delete=models.PROTECT, related_name="questions", verbose_name=_("topic")
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=1, choices=[(1, _("Easy")), (2, _("Medium")), (3, _("Hard"))]
    )
    explanation = NFCTextField(_("explanation"), blank=True, help_text=_("Shown after answering."))
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Retired questions are no longer drawn into new attempts."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("topic"), FieldPanel("difficulty")]),
        FieldPanel("text"),
        FieldPanel("image"),
        InlinePanel("choices", label=_("Answers"), min_num=2, max_num=8),
        FieldPanel("explanation"),
        FieldPanel("is_active"),
    ]
    # The rules about the answer rows are checked in the form, where those rows are.
    base_form_class = QuestionForm
    search_fields = [
        index.SearchField("text"),
        index.FilterField("topic"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]

    def __str__(self):
        from django.utils.html import strip_tags
        from django.utils.text import Truncator

        return Truncator(strip_tags(self.text)).chars(80)


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = NFCCharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = NFCCharField(_("feedback"), max_length=500, blank=True)

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return self.text


class ShowAnswers(models.TextChoices):
    AFTER_EACH = "AFTER_EACH", _("After each question (the answer is then locked)")
    AFTER_SUBMIT = "AFTER_SUBMIT", _("After submitting")
    NEVER = "NEVER", _("Never")


class QuizPage(Page):
    """A graded quiz inside a course. Questions are fixed, drawn at random per topic, or both."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    is_final = models.BooleanField(
        _("final quiz of the course"),
        default=False,
        help_text=_("Passing it is required to complete the course."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle answers"), default=True)
    one_question_per_screen = models.BooleanField(
        _("one question per screen"),
        default=True,
        help_text=_("Otherwise all questions are on one page."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=3, help_text=_("0 means unlimited.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0 means no time limit.")
    )
    show_answers = models.CharField(
        _("show correct answers"),
        max_length=12,
        choices=ShowAnswers.choices,
        default=ShowAnswers.AFTER_SUBMIT,
    )
    multiple_choice_scoring = models.CharField(
        _("multiple-choice scoring"),
        max_length=16,
        default=scoring.ALL_OR_NOTHING,
        choices=[
            (scoring.ALL_OR_NOTHING, _("All or nothing")),
            (scoring.PARTIAL, _("Partial credit (wrong picks subtract)")),
        ],
    )
    success_text = RichTextField(
        _("text when passed"), blank=True, features=["bold", "italic", "link"]
    )
    fail_text = RichTextField(
        _("text when failed"), blank=True, features=["bold", "italic", "link"]
    )
    restudy_extra_attempts = models.PositiveSmallIntegerField(
        _("attempts earned by re-studying"),
        default=0,
        validators=[MaxValueValidator(10)],
        help_text=_(
            "When a member has used every attempt without passing, the course's lessons are "
            "marked to study again; once re-read, the member gets this many more attempts. "
            "0: off (only an administrator or trainer can grant more)."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("fixed_questions", label=_("Fixed questions")),
        InlinePanel("draw_rules", label=_("Questions drawn at random per topic")),
        MultiFieldPanel(
            [
                FieldPanel("is_final"),
                FieldRowPanel(
                    [
                        FieldPanel("pass_mark"),
                        FieldPanel("max_attempts"),
                        FieldPanel("time_limit_minutes"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("shuffle_questions"),
                        FieldPanel("shuffle_choices"),
                        FieldPanel("one_question_per_screen"),
                    ]
                ),
                FieldPanel("show_answers"),
                FieldPanel("multiple_choice_scoring"),
                FieldPanel("restudy_extra_attempts"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("success_text"),
        FieldPanel("fail_text"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    # Rules about the inline rows live in the form, where those rows are (not in clean(),
    # which runs before they are attached); serving re-checks them (services.draw_questions).
    base_form_class = QuizPageForm

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    @property
    def question_count(self) -> int:
        return len(self.fixed_questions.all()) + sum(rule.count for rule in self.draw_rules.all())

    def serve(self, request, *args, **kwargs):
        """One page, as Wagtail's form pages: GET shows the rules and the member's attempts,
        POST starts an attempt. Writes go to services; `get_context` only reads."""
        from django.contrib import messages
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect

        from . import selectors, services

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.method == "POST":
            try:
                attempt = services.start_attempt(user=request.user, quiz=self)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(self.url)
            return redirect("quizzes:attempt", attempt_id=attempt.pk)
        allowance = selectors.allowance(request.user, self)
        restudy = None
        if allowance.exhausted and not allowance.passed and self.restudy_extra_attempts:
            # Normally opened by the task after the last attempt and closed by the one after
            # the last lesson re-read; both are idempotent, so the page catches up if they lag.
            restudy = services.open_restudy(user=request.user, quiz=self)
            if restudy is not None and services.unlock_after_restudy(
                user_id=request.user.pk, course_id=self.get_parent().pk
            ):
                allowance, restudy = selectors.allowance(request.user, self), None
        return super().serve(request, *args, allowance=allowance, restudy=restudy, **kwargs)

    def get_context(self, request, *args, allowance=None, restudy=None, **kwargs):
        """Reads only. The editor's preview (also of a quiz not saved yet) shows what a member
        sees before the first attempt, without reading or writing anyone's attempts."""
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False) or not request.user.is_authenticated:
            context.update(selectors.quiz_page_preview(self))
        else:
            context.update(
                selectors.quiz_page_state(request.user, self, current=allowance, restudy=restudy)
            )
        return context


class QuizFixedQuestion(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )

    panels = [FieldPanel("question")]


class QuizDrawRule(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="draw_rules")
    topic = models.ForeignKey(
        "courses.Topic", on_delete=models.PROTECT, related_name="+", verbose_name=_("topic")
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    panels = [FieldRowPanel([FieldPanel("topic"), FieldPanel("count")])]


class AttemptState(models.TextChoices):
    OPEN = "OPEN", _("In progress")
    SUBMITTED = "SUBMITTED", _("Submitted")
    EXPIRED = "EXPIRED", _("Time ran out")


class Attempt(models.Model):
    """One sitting of a quiz. `served` is the exact snapshot shown, a list of
    `scoring.ServedQuestion`: questions with their revision, the choices in the order shown,
    and which were correct at that moment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=AttemptState.choices, default=AttemptState.OPEN
    )
    served = models.JSONField(_("questions served"))
    scoring_policy = models.CharField(max_length=16)
    pass_mark = models.PositiveSmallIntegerField()
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=3, null=True, blank=True)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), null=True, blank=True)
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # Parallel starts cannot exceed the limit: attempt numbers are unique per member.
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="one_attempt_per_number"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(state="OPEN"),
                name="one_open_attempt_per_quiz",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"])]

    def __str__(self):
        return f"{self.user} · {self.quiz} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.OPEN

    def is_past_deadline(self, now=None) -> bool:
        return self.deadline is not None and (now or timezone.now()) > self.deadline


class Response(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    chosen = models.JSONField(_("chosen answers"), default=list)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    is_correct = models.BooleanField(_("correct"), null=True)
    points = models.DecimalField(max_digits=5, decimal_places=3, null=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_response_per_question"
            )
        ]

    def __str__(self):
        return f"{self.attempt} · {self.question_id}"


class QuestionStat(models.Model):
    """Running counts per question for reports: updated once per graded attempt."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="stat")
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.question_id}: {self.correct}/{self.answered}"


class ChoiceStat(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choice_stats")
    choice_id = models.PositiveIntegerField()
    chosen = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "choice_id"], name="one_stat_per_choice")
        ]

    def __str__(self):
        return f"{self.question_id}/{self.choice_id}: {self.chosen}"


class GradedAttemptStats(models.Model):
    """Marks an attempt whose statistics were counted, so a re-delivered task counts it once."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, primary_key=True)
    counted_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self.attempt_id)


class QuestionImport(ImportJob):
    """A question file: checked by a worker, previewed, and imported by a worker once the
    trainer confirms, in chunks committed with their progress (`common.jobs`). Questions
    already in the bank (same topic and text) are skipped, so importing a file again adds
    nothing."""

    job_task = "quizzes.tasks.run_question_import"
    upload_folder = "questions"

    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_count = models.PositiveIntegerField(_("questions imported"), default=0)
    existing_count = models.PositiveIntegerField(_("questions already in the bank"), default=0)

    class Meta(ImportJob.Meta):
        verbose_name = _("question import")
        verbose_name_plural = _("question imports")


class AttemptGrant(models.Model):
    """Extra attempts or extra time for one member at one quiz, with who, when and why.

    Never edited or deleted: the sum of a member's grants is what they were given."""

    class Kind(models.TextChoices):
        MANUAL = "MANUAL", _("Granted by an administrator or trainer")
        RESTUDY = "RESTUDY", _("Earned by re-studying the lessons")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempt_grants",
        verbose_name=_("member"),
    )
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, related_name="grants", verbose_name=_("quiz")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.MANUAL)
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    extra_minutes = models.PositiveSmallIntegerField(_("extra minutes per attempt"), default=0)
    reason = NFCTextField(_("reason"), max_length=500)
    group = NFCCharField(
        _("granted to the group"),
        max_length=300,
        blank=True,
        help_text=_("When granted to several members at once: which list."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("extra attempts or time")
        verbose_name_plural = _("extra attempts and time")
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["user", "quiz"])]

    def __str__(self):
        return f"{self.user} · {self.quiz} +{self.extra_attempts} / +{self.extra_minutes}'"


class RestudyUnlock(models.Model):
    """A member out of attempts re-studies the course's lessons to earn more (the quiz's
    "attempts earned by re-studying"). Open until every lesson is re-read; then `grant`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restudy_unlocks"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="restudy_unlocks")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    lessons_marked = models.PositiveSmallIntegerField(default=0)
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    grant = models.OneToOneField(
        AttemptGrant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("re-study to unlock attempts")
        verbose_name_plural = _("re-study to unlock attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(unlocked_at__isnull=True),
                name="one_open_restudy_per_quiz",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.quiz}"
