from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.my_outreach, name="mine"),
    path("team/", views.team, name="team"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
