from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import IdChoiceField
from quizzes.models import QuizPage
from quizzes.services import MAX_GRANT_ATTEMPTS, MAX_GRANT_MINUTES


class QuizChoiceField(IdChoiceField):
    def label_from_instance(self, quiz):
        course = quiz.get_parent()
        return f"{course.title} › {quiz.title}"


class GrantForm(forms.Form):
    """Extra attempts and/or minutes at one quiz, with the reason (kept in the record)."""

    quiz = QuizChoiceField(QuizPage.objects.none(), label=_("Quiz"))
    extra_attempts = forms.IntegerField(
        label=_("Extra attempts"), min_value=0, max_value=MAX_GRANT_ATTEMPTS, initial=1
    )
    extra_minutes = forms.IntegerField(
        label=_("Extra minutes per attempt"),
        min_value=0,
        max_value=MAX_GRANT_MINUTES,
        initial=0,
        help_text=_("Only for quizzes with a time limit; an attempt in progress gets them too."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the member's record and shown to the member."),
        error_messages={
            "required": _("Write the reason (at least 5 characters)."),
            "min_length": _("Write the reason (at least 5 characters)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quiz"].queryset = QuizPage.objects.live().order_by("path")


class GroupGrantForm(GrantForm):
    only_out_of_attempts = forms.BooleanField(
        label=_("Only members who have used every attempt at this quiz without passing"),
        required=False,
        initial=True,
    )
