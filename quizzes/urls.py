from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/answer/", views.attempt_answer, name="answer"),
    path("attempts/<int:attempt_id>/check/", views.attempt_confirm, name="confirm"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="submit"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="result"),
]
