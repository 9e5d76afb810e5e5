from functools import wraps

from django.http import Http404
from django.urls import path

from . import selectors, views

app_name = "organisations_admin"


def scoped(view):
    """Only people with an area (unit administrators, team leaders, superusers) get in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.scope_roots(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


urlpatterns = [
    path("", scoped(views.index), name="index"),
    path("search/", scoped(views.search), name="search"),
    path("units/<int:pk>/", scoped(views.unit_detail), name="unit"),
    path("units/<int:pk>/add-unit/", scoped(views.unit_add_child), name="unit_add_child"),
    path("units/<int:pk>/merge/", scoped(views.unit_merge), name="unit_merge"),
    path("units/<int:pk>/add-member/", scoped(views.member_add), name="member_add"),
    path(
        "units/<int:pk>/activation-codes.xlsx",
        scoped(views.activation_codes),
        name="activation_codes",
    ),
    path("members/<int:pk>/", scoped(views.member_detail), name="member"),
    path("members/<int:pk>/role/", scoped(views.member_assign_role), name="member_assign_role"),
    path("members/<int:pk>/active/", scoped(views.member_set_active), name="member_set_active"),
    path("members/<int:pk>/new-code/", scoped(views.member_new_code), name="member_new_code"),
    path("memberships/<int:pk>/end/", scoped(views.membership_end), name="membership_end"),
    path("import/", scoped(views.import_upload), name="import_upload"),
    path("import/template.xlsx", scoped(views.roster_template), name="roster_template"),
    path("import/<int:pk>/", scoped(views.import_detail), name="import"),
]
