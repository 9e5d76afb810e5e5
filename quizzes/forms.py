"""The quiz page's admin form: rules that depend on the inline rows (fixed questions, topic
rules) are checked here, where those rows are, on "Save draft" and on "Publish" alike."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

__all__ = ["QuestionForm", "QuizPageForm"]


def _kept_rows(formset):
    """Cleaned data of the rows that stay (not marked for deletion, valid so far)."""
    if formset is None:
        return []
    formset.is_valid()  # validates each row once; the result is cached
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or form.errors:
            continue
        rows.append((form, data))
    return rows


class QuizPageForm(WagtailAdminPageForm):
    def clean(self):
        from .selectors import topic_shortfalls

        cleaned_data = super().clean()
        fixed_rows = _kept_rows(self.formsets.get("fixed_questions"))
        rule_rows = _kept_rows(self.formsets.get("draw_rules"))
        fixed_ids = {data["question"].pk for _form, data in fixed_rows if data.get("question")}
        needed = defaultdict(int)
        for _form, data in rule_rows:
            if data.get("topic") and data.get("count"):
                needed[data["topic"].pk] += data["count"]

        problems = topic_shortfalls(fixed_ids=fixed_ids, needed=dict(needed))
        for form, data in rule_rows:
            topic = data.get("topic")
            if topic is not None and topic.pk in problems:
                form.add_error("count", problems[topic.pk])
        if problems:
            raise ValidationError(
                [*problems.values(), _("Lower the number of questions or add questions first.")]
            )
        # A draft may be saved half-built; publishing (or sending for review) needs questions.
        if not fixed_ids and not needed and not self.is_deferred_validation:
            raise ValidationError(
                _("Add fixed questions or a rule that draws questions from a topic.")
            )
        return cleaned_data


class QuestionForm(WagtailAdminModelForm):
    """A question of the bank with its answer rows: at least one correct answer, exactly one
    for single-choice and true/false, and two answers for true/false."""

    def clean_text(self):
        # The rich text editor posts "<p></p>" once it has been touched: required is not
        # enough to keep an empty question out of the bank.
        text = self.cleaned_data.get("text") or ""
        if not " ".join(strip_tags(text).replace("&nbsp;", " ").split()):
            raise ValidationError(_("Write the question."), code="required")
        return text

    def clean(self):
        from .models import QuestionKind

        cleaned_data = super().clean()
        answers = [data for _form, data in _kept_rows(self.formsets.get("choices"))]
        correct = sum(1 for data in answers if data.get("is_correct"))
        kind = cleaned_data.get("kind")
        if answers and correct == 0:
            raise ValidationError(_("Mark at least one answer as correct."))
        if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct > 1:
            raise ValidationError(
                _("A single-choice or true/false question has exactly one correct answer.")
            )
        if kind == QuestionKind.TRUE_FALSE and len(answers) != 2:
            raise ValidationError(_("A true/false question has exactly two answers."))
        return cleaned_data
