from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from organisations.access import ScopedMenuItem

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reports/", include(admin_urls))]


class QuestionAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm("quizzes.change_question")


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    # Not "Reports": Wagtail's own menu of page reports has that name.
    return ScopedMenuItem(
        _("Training reports"), reverse("reports_admin:dashboard"), icon_name="table", order=250
    )


@hooks.register("register_admin_menu_item")
def register_question_analysis_menu_item():
    return QuestionAnalysisMenuItem(
        _("Question analysis"), reverse("reports_admin:questions"), icon_name="help", order=256
    )


class GrantMenuItem(MenuItem):
    def is_shown(self, request):
        from .grant_admin_views import may_grant

        return may_grant(request)


@hooks.register("register_admin_menu_item")
def register_grant_menu_item():
    return GrantMenuItem(
        _("Extra attempts and time"), reverse("reports_admin:grants"), icon_name="time", order=257
    )
