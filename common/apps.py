from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Common")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks
        from .wagtail_labels import give_wagtail_labels

        give_wagtail_labels()
        _nonce_wagtail_chooser_scripts()
        _vietnamese_admin_slugs()


def _vietnamese_admin_slugs():
    """Every slug field of the admin (pages, snippets) slugifies Vietnamese as the server
    does, in the browser (Wagtail's slug widget with our formatters) and on saving."""
    from django.db import models
    from wagtail.admin.forms import models as admin_form_models
    from wagtail.admin.widgets import SlugInput

    from .text import SLUG_FORMATTERS, VietnameseSlugField

    admin_form_models.register_form_field_override(
        models.SlugField,
        override={
            "widget": SlugInput(formatters=SLUG_FORMATTERS),
            "form_class": VietnameseSlugField,
        },
    )


def _nonce_wagtail_chooser_scripts():
    """Wagtail's chooser widgets (page, image, document, snippet) end their HTML with an
    inline `<script>` that starts them; under our Content-Security-Policy it runs only with
    the response's nonce. The script is Wagtail's own (built from the field's id and
    options, never from content), so it gets the nonce; nothing else does."""
    from django.utils.safestring import mark_safe
    from wagtail.admin.widgets.chooser import BaseChooser

    from .security import nonce

    original = BaseChooser.render
    if getattr(original, "_adds_csp_nonce", False):
        return

    def render(self, name, value, attrs=None, renderer=None):
        html = str(original(self, name, value, attrs=attrs, renderer=renderer))
        current = nonce()
        head, tag, tail = html.rpartition("<script>")
        if tag and current:
            html = f'{head}<script nonce="{current}">{tail}'
        return mark_safe(html)  # noqa: S308 - Wagtail's own output, marked safe by it too

    render._adds_csp_nonce = True
    BaseChooser.render = render
