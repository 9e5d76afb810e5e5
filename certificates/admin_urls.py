from functools import wraps

from django.http import Http404
from django.urls import path

from organisations.selectors import scope_roots

from . import admin_views

app_name = "certificates_admin"


def scoped(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_roots(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


urlpatterns = [
    path("", scoped(admin_views.index), name="index"),
    path("<int:pk>/", scoped(admin_views.detail), name="detail"),
    path("<int:pk>/revoke/", scoped(admin_views.revoke), name="revoke"),
    path("<int:pk>/reissue/", scoped(admin_views.reissue), name="reissue"),
    path("archives/", scoped(admin_views.archive_create), name="archive_create"),
    path("archives/<int:pk>/", scoped(admin_views.archive_detail), name="archive"),
    path(
        "archives/<int:pk>/download/", scoped(admin_views.archive_download), name="archive_download"
    ),
]
