from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Question


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    add_to_admin_menu = True
    menu_order = 220
    list_display = ["__str__", "topic", "kind", "difficulty", "is_active"]
    list_filter = ["topic", "kind", "difficulty", "is_active"]
    search_fields = ["text"]


register_snippet(QuestionViewSet)
