from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/export/", views.export_create, name="export_create"),
    path("me/data/export/<int:pk>/", views.export_detail, name="export"),
    path("me/data/export/<int:pk>/download/", views.export_download, name="export_download"),
    path("me/data/correction/", views.correction_create, name="correction"),
    path("me/data/choices/", views.choices, name="choices"),
]
