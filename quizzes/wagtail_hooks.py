from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls
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
    # Searched in the database (icontains), not through Wagtail's full-text backend: on
    # SQLite its FTS query failed on any search naming a field, and on a stray quote.
    search_fields = ["text"]
    search_backend_name = None


register_snippet(QuestionViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("question-import/", include(admin_urls))]


class QuestionImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quizzes.add_question")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return QuestionImportMenuItem(
        _("Import questions"), reverse("quizzes_admin:import_upload"), icon_name="upload", order=221
    )
