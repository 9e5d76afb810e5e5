from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    path("me/", views.my_learning, name="my_learning"),
    path("search/", views.search, name="search"),
    path("lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
]
