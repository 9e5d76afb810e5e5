from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default = True

    def ready(self):
        from . import receivers  # noqa: F401 - connects the login signal handler


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user screens with our form: full name and phone instead of first/last name."""

    default = False
    user_viewset = "accounts.viewsets.UserViewSet"
