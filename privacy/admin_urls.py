from django.urls import path

from . import admin_views

app_name = "privacy_admin"

urlpatterns = [
    path("corrections/", admin_views.corrections, name="corrections"),
    path("corrections/<int:pk>/", admin_views.correction, name="correction"),
    path("erase/", admin_views.erase_search, name="erase_search"),
    path("erase/<int:user_id>/", admin_views.erase, name="erase"),
    path("retention/", admin_views.retention_runs, name="retention_runs"),
    path("access-log/", admin_views.access_log, name="access_log"),
]
