from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/calendar.ics", views.session_ics, name="calendar"),
    path("<int:pk>/check-in/", views.check_in_confirm, name="check_in_confirm"),
    path("<int:pk>/check-in/<str:token>/", views.check_in_scan, name="check_in"),
]
