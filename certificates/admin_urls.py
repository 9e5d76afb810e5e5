from django.urls import path

from organisations.access import scope_required

from . import admin_views

app_name = "certificates_admin"


urlpatterns = [
    path("", scope_required(admin_views.index), name="index"),
    path("<int:pk>/", scope_required(admin_views.detail), name="detail"),
    path("<int:pk>/revoke/", scope_required(admin_views.revoke), name="revoke"),
    path("<int:pk>/reissue/", scope_required(admin_views.reissue), name="reissue"),
    path("archives/", scope_required(admin_views.archive_create), name="archive_create"),
    path("missing/", scope_required(admin_views.bulk_issue_create), name="bulk_issue_create"),
    path("missing/<int:pk>/", scope_required(admin_views.bulk_issue_detail), name="bulk_issue"),
    path(
        "missing/<int:pk>/resume/",
        scope_required(admin_views.bulk_issue_resume),
        name="bulk_issue_resume",
    ),
    path("archives/<int:pk>/", scope_required(admin_views.archive_detail), name="archive"),
    path(
        "archives/<int:pk>/resume/",
        scope_required(admin_views.archive_resume),
        name="archive_resume",
    ),
    path(
        "archives/<int:pk>/download/",
        scope_required(admin_views.archive_download),
        name="archive_download",
    ),
]
