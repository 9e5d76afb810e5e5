from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("me/certificates/", views.my_certificates, name="mine"),
    path("certificates/<str:code>.pdf", views.download, name="download"),
]
