from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account as wagtail_account
from wagtail.documents import urls as wagtaildocs_urls

from common.ratelimit import by_address, rate_limited


def _address_and_email(request) -> list[str]:
    typed = " ".join(request.POST.get("email", "").split()).lower()[:254]
    return [*by_address(request), f"email:{typed}"]


urlpatterns = [
    # Wagtail's own login and password-reset pages, rate limited (same names and paths, so
    # they are matched before the originals inside the admin's URLs).
    path(
        "admin/login/",
        rate_limited("login")(wagtail_account.LoginView.as_view()),
        name="wagtailadmin_login",
    ),
    path(
        "admin/password_reset/",
        rate_limited("password_reset", key=_address_and_email)(
            wagtail_account.PasswordResetView.as_view()
        ),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("accounts.urls")),
    path("", include("courses.urls")),
    path("quiz/", include("quizzes.urls")),
    path("", include("certificates.urls")),
    path("me/notifications/", include("notifications.urls")),
    path("sessions/", include("training.urls")),
    path("me/outreach/", include("outreach.urls")),
    path("", include("privacy.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
