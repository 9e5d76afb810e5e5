from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from organisations.access import ScopedMenuItem

from . import admin_urls
from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = ["name", "is_default", "issuing_organisation"]


register_snippet(CertificateTemplateViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("certificates/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ScopedMenuItem(
        _("Certificates"), reverse("certificates_admin:index"), icon_name="doc-full", order=260
    )
