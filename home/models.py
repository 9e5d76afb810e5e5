from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from common.fields import NFCCharField, NFCTextField


class HomePage(Page):
    """The landing page members see first. Trainers edit its text in the admin."""

    intro = NFCTextField(_("introduction"), blank=True, max_length=600)
    body = RichTextField(
        _("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    call_to_action = NFCCharField(_("call to action label"), max_length=80, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("call_to_action"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """Resolve a whole path in two queries instead of Wagtail's two per level.

        Every page on the path is fetched at once by url_path; when all exist and are live
        the last one is served, as Wagtail's walk would. Anything else (a sub-route, a
        draft, a missing page) falls back to Wagtail's own routing.
        """
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[: i + 1]) + "/"
            for i in range(len(path_components))
        ]
        found = {
            page.url_path: page
            for page in Page.objects.filter(url_path__in=prefixes, path__startswith=self.path).only(
                "id", "url_path", "live", "content_type_id", "path", "depth"
            )
        }
        if len(found) != len(prefixes) or not all(page.live for page in found.values()):
            return super().route(request, path_components)
        return RouteResult(found[prefixes[-1]].specific)


@register_setting(icon="cog")
class PlatformSettings(BaseSiteSetting):
    """Name, logo and contact shown on every page; edited under Settings in the admin."""

    name = NFCCharField(_("platform name"), max_length=120, default="Học kỹ năng số – Tổ CNSCĐ")
    tagline = NFCCharField(_("tagline"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_address = NFCCharField(_("contact address"), max_length=300, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("logo")], _("Identity")
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("contact_address"),
            ],
            _("Contact"),
        ),
    ]

    class Meta:
        verbose_name = _("platform settings")
