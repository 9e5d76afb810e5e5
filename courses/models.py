from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from common.fields import NFCCharField, NFCTextField

from .blocks import LessonStreamBlock


@register_snippet
class Topic(models.Model):
    """A small taxonomy trainers edit: the themes courses and questions belong to."""

    name = NFCCharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = NFCTextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Difficulty(models.TextChoices):
    BASIC = "BASIC", _("Basic")
    INTERMEDIATE = "INTERMEDIATE", _("Intermediate")
    ADVANCED = "ADVANCED", _("Advanced")


class CourseIndexPage(Page):
    """The course catalogue."""

    intro = NFCTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_for

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = catalogue_for(request.user, index_page=self)
        return context


class CoursePage(Page):
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="courses", verbose_name=_("topic")
    )
    summary = NFCTextField(_("summary"), max_length=400)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=12, choices=Difficulty.choices, default=Difficulty.BASIC
    )
    skill_codes = models.CharField(
        _("skill codes"),
        max_length=200,
        blank=True,
        help_text=_(
            "Codes from the national basic digital skills framework (QĐ 757/QĐ-BKHCN), "
            "separated by commas."
        ),
    )
    issues_certificate = models.BooleanField(_("issues a certificate"), default=True)
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        default=24,
        validators=[MaxValueValidator(240)],
        help_text=_("0: the certificate never expires."),
    )
    refresher_course = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("refresher course"),
        help_text=_(
            "When a certificate of this course has 30 days left, the member is assigned this "
            "shorter course to renew it. Empty: the member re-studies this course."
        ),
    )
    requires_session_attendance = models.BooleanField(
        _("requires attending an in-person training session"),
        default=False,
        help_text=_(
            "Tick when members must also attend an in-person session (lớp tập huấn) of this "
            "course, or of its topic, to complete it. The trainer records attendance with the "
            "session's QR code or list."
        ),
    )
    login_required = models.BooleanField(
        _("members must log in to read it"),
        default=True,
        help_text=_(
            "Untick to let anyone read the lessons (progress is still only kept for members)."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("difficulty"),
                FieldPanel("estimated_minutes"),
                FieldPanel("skill_codes"),
                FieldPanel("requires_session_attendance"),
            ],
            heading=_("About the course"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("issues_certificate"),
                FieldPanel("certificate_validity_months"),
                FieldPanel("refresher_course"),
            ],
            heading=_("Certificate"),
        ),
        FieldPanel("login_required"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CourseIndexPage"]
    # Higher apps add activities by name (quizzes); courses never imports them.
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def skill_code_list(self) -> list[str]:
        return [code.strip() for code in self.skill_codes.split(",") if code.strip()]

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_journeys, with_progress

        context = super().get_context(request, *args, **kwargs)
        # The editor's preview (also of a course not saved yet) shows no one's progress.
        user = request.user
        if getattr(request, "is_preview", False):
            from django.contrib.auth.models import AnonymousUser

            user = AnonymousUser()
        with_progress(user, [self])
        context["journey"] = course_journeys(user, [self])[self.pk]
        return context

    def serve(self, request, *args, **kwargs):
        if self.login_required and not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class LessonPage(Page):
    summary = NFCTextField(_("summary"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=5, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    required = models.BooleanField(
        _("required for the course"),
        default=True,
        help_text=_("Optional lessons do not count towards completing the course."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("lesson content"))
    requires_restudy = models.BooleanField(
        _("must re-study"),
        default=False,
        help_text=_(
            "Tick when publishing a change members must read again (a new scam, a changed "
            "app): everyone who completed this lesson is asked to study it again and is "
            "notified. The tick clears itself once published."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("required"),
        FieldPanel("body"),
        FieldPanel("requires_restudy"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        """One page, as Wagtail's form pages: GET records that the member opened the lesson
        and shows it, POST marks it completed. Writes go to services; `get_context` reads."""
        from django.contrib.auth.views import redirect_to_login

        from . import selectors, services

        # A GET is addressed to the lesson itself: its address is the request's path.
        lesson_url = request.path if request.method == "GET" else self.get_url(request)
        outline = selectors.lesson_outline(lesson=self, lesson_url=lesson_url, request=request)
        signed_in = request.user.is_authenticated
        if not signed_in and (outline["login_required"] or request.method == "POST"):
            return redirect_to_login(request.get_full_path())
        if request.method == "POST":
            return self._serve_completion(request)
        if not signed_in:
            return self._serve_anonymous(request, *args, outline=outline, **kwargs)
        progress = services.start_lesson(user=request.user, lesson=self)
        response = super().serve(request, *args, outline=outline, progress=progress, **kwargs)
        # The member's own progress is in it: for this browser only.
        patch_cache_control(response, private=True, max_age=0)
        return response

    def _serve_anonymous(self, request, *args, outline, **kwargs):
        """A visitor who is not logged in (the course is open to anyone): the same page for
        every such visitor, kept whole (`page_cache`)."""
        from . import page_cache

        if not page_cache.may_use_anonymous_page(request):
            return super().serve(request, *args, outline=outline, progress=None, **kwargs)
        cached = page_cache.anonymous_page(self, request)
        if cached is not None:
            return cached
        response = super().serve(
            request, *args, outline=outline, progress=None, csrf_placeholder=True, **kwargs
        )
        return page_cache.keep_anonymous_page(self, request, response)

    def _serve_completion(self, request):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django.utils.translation import gettext

        from . import selectors, services

        try:
            services.complete_lesson(user=request.user, lesson=self)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.url)
        messages.success(request, gettext("Lesson completed: %(title)s") % {"title": self.title})
        return redirect(selectors.after_lesson_url(self))

    def get_context(
        self, request, *args, outline=None, progress=None, csrf_placeholder=False, **kwargs
    ):
        """Reads only: `serve` passes the outline and the progress it has; the editor's
        preview (no `serve`) computes the outline and shows no one's progress. The body is
        rendered once per published revision and shared by every member (`page_cache`)."""
        from . import page_cache, selectors

        context = super().get_context(request, *args, **kwargs)
        if outline is None:
            outline = selectors.lesson_outline(
                lesson=self, lesson_url=self.get_url(request), request=request
            )
        context.update(progress=progress, lesson_body=page_cache.lesson_body(self, request))
        context.update(outline)
        if csrf_placeholder:  # a page kept for every anonymous visitor holds no token
            context["csrf_token"] = page_cache.CSRF_PLACEHOLDER
        return context


class LessonProgress(models.Model):
    """A member opened a lesson (started_at) and, later, marked it done (completed_at)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_opened_at = models.DateTimeField(_("last opened at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    review_requested_at = models.DateTimeField(
        _("re-study requested at"),
        null=True,
        blank=True,
        help_text=_("Set when the lesson changed after the member completed it, until re-read."),
    )

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")
        ]
        indexes = [models.Index(fields=["user", "-last_opened_at"])]

    def __str__(self):
        return f"{self.user} · {self.lesson}"


class CourseCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_completion_per_course")
        ]

    def __str__(self):
        return f"{self.user} · {self.course}"


class LessonSearchText(models.Model):
    """Accent-folded text of each live lesson, so "lua dao" finds "lừa đảo" on any database."""

    lesson = models.OneToOneField(LessonPage, on_delete=models.CASCADE, related_name="search_text")
    folded = models.TextField()

    def __str__(self):
        return str(self.lesson)
