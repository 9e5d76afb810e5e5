from django.urls import path

from . import admin_views
from .access import scope_required

app_name = "organisations_admin"


urlpatterns = [
    path("", scope_required(admin_views.index), name="index"),
    path("search/", scope_required(admin_views.search), name="search"),
    path("units/<int:pk>/", scope_required(admin_views.unit_detail), name="unit"),
    path(
        "units/<int:pk>/add-unit/",
        scope_required(admin_views.unit_add_child),
        name="unit_add_child",
    ),
    path("units/<int:pk>/merge/", scope_required(admin_views.unit_merge), name="unit_merge"),
    path("units/<int:pk>/add-member/", scope_required(admin_views.member_add), name="member_add"),
    path(
        "units/<int:pk>/activation-codes.xlsx",
        scope_required(admin_views.activation_codes),
        name="activation_codes",
    ),
    path("members/<int:pk>/", scope_required(admin_views.member_detail), name="member"),
    path(
        "members/<int:pk>/role/",
        scope_required(admin_views.member_assign_role),
        name="member_assign_role",
    ),
    path(
        "members/<int:pk>/active/",
        scope_required(admin_views.member_set_active),
        name="member_set_active",
    ),
    path(
        "members/<int:pk>/new-code/",
        scope_required(admin_views.member_new_code),
        name="member_new_code",
    ),
    path(
        "memberships/<int:pk>/end/",
        scope_required(admin_views.membership_end),
        name="membership_end",
    ),
    path("import/", scope_required(admin_views.import_upload), name="import_upload"),
    path(
        "import/template.xlsx", scope_required(admin_views.roster_template), name="roster_template"
    ),
    path("import/<int:pk>/", scope_required(admin_views.import_detail), name="import"),
    path(
        "import/<int:pk>/resume/", scope_required(admin_views.import_resume), name="import_resume"
    ),
]
