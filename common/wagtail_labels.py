"""Labels that Wagtail 8.0 derives from attribute names, so no catalogue can translate them.

Wagtail builds a few admin labels with ``capfirst(name.replace("_", " "))`` instead of
``gettext``: the column headings of Settings › Sites ("Port", "Site name", "Root page") and
the "Page" field of a workflow's page assignments. They are given the model fields' own
(translated, lazy) verbose names here, once, when the apps are ready. Everything else of
Wagtail's is translated through site/locale/vendor (see common/i18n_catalogues.py).
"""

from django.utils.text import capfirst


def give_wagtail_labels() -> None:
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.models import Page, Site
    from wagtail.sites.views import IndexView as SiteIndexView

    for column in SiteIndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
    WorkflowPageForm.base_fields["page"].label = capfirst(Page._meta.verbose_name)
