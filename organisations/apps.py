from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Units and members")

    def ready(self):
        from accounts.authority import register_role_rule

        from .authority import role_rule

        register_role_rule(role_rule)
