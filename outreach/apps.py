from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Help given to residents")

    def ready(self):
        from courses import dashboard
        from training import campaign_sections

        from .models import HelpKind
        from .selectors import campaign_target_progress, member_summary

        dashboard.register_section(
            "outreach/includes/my_outreach.html",
            lambda user: {"outreach": member_summary(user)},
            first=True,
        )
        campaign_sections.register_section(
            "outreach/admin/_campaign_targets.html",
            lambda campaign: {
                "targets": campaign_target_progress(campaign),
                "kind_choices": HelpKind.choices,
            },
        )
