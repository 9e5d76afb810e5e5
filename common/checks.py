"""System checks of our own settings (`manage.py check --deploy`)."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.http.request import validate_host

LOCAL_HOSTS = {"localhost", "localhost.localdomain"}


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security, deploy=True)
def check_base_url(app_configs=None, **kwargs):
    """The public address printed on certificates: https, a real host this site answers to,
    nothing after the host."""
    url = getattr(settings, "BASE_URL", "")
    hint = "Set BASE_URL to the site's public address, e.g. https://hoc.example.gov.vn."
    if not url:
        return [Error("BASE_URL is not set.", hint=hint, id="digiskills.E001")]
    parts = urlsplit(url)
    errors = []
    if parts.scheme != "https":
        errors.append(
            Error(f"BASE_URL {url!r} is not an https address.", hint=hint, id="digiskills.E002")
        )
    host = parts.hostname or ""
    if not host or _is_local(host):
        errors.append(
            Error(
                f"BASE_URL {url!r} is not a public address: phones scanning a certificate's "
                "QR code could not reach it.",
                hint=hint,
                id="digiskills.E003",
            )
        )
    elif not validate_host(host, settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                f"BASE_URL's host {host!r} is not in ALLOWED_HOSTS.",
                hint="Add it to ALLOWED_HOSTS.",
                id="digiskills.E004",
            )
        )
    if parts.path.strip("/") or parts.query or parts.fragment:
        errors.append(
            Error(
                f"BASE_URL {url!r} has more than a scheme, host and port.",
                hint=hint,
                id="digiskills.E005",
            )
        )
    return errors
