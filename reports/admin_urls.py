from django.urls import path

from . import admin_views, grant_admin_views, outreach_admin_views

app_name = "reports_admin"

urlpatterns = [
    path("", admin_views.dashboard, name="dashboard"),
    path("charts/<slug:name>.svg", admin_views.chart, name="chart"),
    path("members/", admin_views.members, name="members"),
    path("members/<int:user_id>/", admin_views.member, name="member"),
    path("questions/", admin_views.questions, name="questions"),
    path("exports/new/", admin_views.export_create, name="export_create"),
    path("exports/<int:pk>/", admin_views.export_detail, name="export"),
    path("exports/<int:pk>/resume/", admin_views.export_resume, name="export_resume"),
    path("exports/<int:pk>/download/", admin_views.export_download, name="export_download"),
    path("rollup/refresh/", admin_views.refresh_rollup, name="refresh_rollup"),
    path("outreach/", outreach_admin_views.outreach_report, name="outreach"),
    path("outreach/export/", outreach_admin_views.outreach_export, name="outreach_export"),
    path("grants/", grant_admin_views.index, name="grants"),
    path("grants/members/<int:user_id>/", grant_admin_views.member, name="grant_member"),
    path("grants/group/", grant_admin_views.group, name="grant_group"),
]
