from django.urls import path
from wagtail.admin.auth import permission_required

from . import admin_views

app_name = "quizzes_admin"

can_add = permission_required("quizzes.add_question")

urlpatterns = [
    path("", can_add(admin_views.upload), name="import_upload"),
    path("template.xlsx", can_add(admin_views.template), name="template"),
    path("<int:pk>/", can_add(admin_views.detail), name="import"),
    path("<int:pk>/resume/", can_add(admin_views.resume), name="import_resume"),
]
