"""The client's network address, read the same way by the lockout, every rate limit and the
audit records (django-axes' access logs).

Behind `PROXY_COUNT` trusted reverse proxies, each proxy appends the address it received the
request from to `X-Forwarded-For`; the nearest one connects to us (`REMOTE_ADDR`). The
client is therefore the entry `PROXY_COUNT` places from the right of "X-Forwarded-For +
REMOTE_ADDR". Anything further left was written by the client and is never trusted. With
`PROXY_COUNT = 0` (the default: nothing in front) the header is ignored entirely.
"""

from django.conf import settings
from python_ipware import IpWare

__all__ = ["client_address"]

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder address, never bound to


def client_address(request) -> str:
    """The address of whoever sent `request`, as a string (cached on the request)."""
    if request is None:  # authenticate() called outside a request
        return UNKNOWN
    cached = getattr(request, "_client_address", None)
    if cached is not None:
        return cached
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    proxies = max(0, int(getattr(settings, "PROXY_COUNT", 0) or 0))
    address = remote
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        chain = ", ".join(part for part in (forwarded, remote) if part.strip())
        # python-ipware parses the chain (ports, IPv6, garbage) and picks the entry
        # `proxies` hops from the right; a chain shorter than that did not come through
        # our proxies, and then only the connection's own address is trusted.
        found, _trusted = IpWare(precedence=("X_CHAIN",), proxy_count=proxies).get_client_ip(
            {"X_CHAIN": chain}
        )
        if found is not None:
            address = str(found)
    address = address or UNKNOWN
    request._client_address = address
    return address
