from django.urls import path

from . import session_admin_views as views

app_name = "training_sessions"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/qr/", views.projector, name="projector"),
]
