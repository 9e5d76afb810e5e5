from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from . import health


@require_GET
def healthz(request):
    """Which dependency is down: 200 when all answer, 503 otherwise (JSON, no login).
    Served by common.middleware.HealthCheckMiddleware, ahead of everything else."""
    healthy, checks = health.report()
    response = JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "checks": checks,
            "time": timezone.localtime().isoformat(timespec="seconds"),
        },
        status=200 if healthy else 503,
    )
    patch_cache_control(response, no_store=True)
    return response
