"""Serve the site on the host and port of BASE_URL (what `make run` does), saying where."""

import ipaddress
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def listen_address(base_url: str) -> tuple[str, int]:
    """(address, port) to listen on for `base_url`: its host when it is an address of this
    machine's kind (an IP or localhost), every interface for a name, so phones on the same
    network reach a demo at http://<this computer's name or address>:<port>."""
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or "127.0.0.1"
    if host == "localhost":
        return "127.0.0.1", port
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "0.0.0.0", port  # noqa: S104 - a host name: listen where it points
    return host, port


class Command(BaseCommand):
    help = "Serve the site (runserver) on the host and port of BASE_URL."

    def add_arguments(self, parser):
        parser.add_argument("--noreload", action="store_true", help="Do not watch the code.")

    def handle(self, *args, noreload=False, **options):
        base = settings.BASE_URL.rstrip("/")
        host, port = listen_address(base)
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if os.environ.get("RUN_MAIN") == "true":  # the reloader's child: said already
            call_command("runserver", address, use_reloader=not noreload)
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"  Open {base}/  ·  admin: {base}/admin/"))
        self.stdout.write(
            f"  Certificates print and encode {base}/verify/…  (BASE_URL; see "
            "docs/configuration.md)"
        )
        if urlsplit(base).scheme == "https":
            self.stdout.write(
                "  BASE_URL is https: put a TLS proxy in front of this plain-HTTP server."
            )
        self.stdout.write("")
        call_command("runserver", address, use_reloader=not noreload)
