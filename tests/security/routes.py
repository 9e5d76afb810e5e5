"""Every route of the site, walked from the URL configuration."""

from django.urls import URLPattern, URLResolver, get_resolver


def all_routes() -> list[tuple[str, str | None, object]]:
    """(route pattern, name with namespace, view) of every URL the site answers."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                yield prefix + str(pattern.pattern), name, pattern.callback

    return list(walk(get_resolver().url_patterns))


def is_ours(view) -> bool:
    module = getattr(view, "__module__", "") or ""
    return not module.startswith(("wagtail", "django", "modelcluster", "taggit"))
