"""Labels that Wagtail 8.0 derives from attribute names or from database rows, so that no
catalogue can translate them.

- Settings › Sites: column headings built from field names ("Port", "Site name", "Root page");
- a workflow's and a group's page rows: a "Page" field label built from the field name;
- a group's page permissions: checkboxes labelled with the Permission rows' names, which
  Django stores in English when it creates them ("Can add page", "Publish any page").

They get the models' own (translated, lazy) verbose names and Wagtail's own translated
permission labels, once, when the apps are ready. Everything else of Wagtail's is translated
through site/locale/vendor (see common/i18n_catalogues.py).
"""

from django.utils.text import capfirst


def give_wagtail_labels() -> None:
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.models import Page, Site
    from wagtail.models.pages import PAGE_PERMISSION_TYPES
    from wagtail.sites.views import IndexView as SiteIndexView
    from wagtail.users.forms import PagePermissionsForm

    for column in SiteIndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)

    page_label = capfirst(Page._meta.verbose_name)
    WorkflowPageForm.base_fields["page"].label = page_label
    PagePermissionsForm.base_fields["page"].label = page_label

    labels = {f"{kind}_page": label for kind, _short, label in PAGE_PERMISSION_TYPES}
    permissions = PagePermissionsForm.base_fields["permissions"]
    permissions.label_from_instance = lambda permission: labels.get(
        permission.codename, str(permission)
    )
