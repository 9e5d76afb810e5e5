"""gunicorn for digiskills (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment (the systemd unit's EnvironmentFile)."""

import os

# nginx on the same machine talks to this address; with a load balancer in front of several
# app servers, bind the private address it reaches (e.g. 10.0.0.11:8000).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One process per core, a few threads each: 4 threads per worker spent less CPU per graded
# submission than 8 on the 2-core reference machine (docs/configuration.md, "Serving").
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker that does not check in for this long is killed and replaced; the slowest pages
# (a national report) answer in well under a second.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On restart/reload (SIGHUP, systemctl reload), requests in flight get this long to finish.
graceful_timeout = 30
# Longer than nginx keeps idle upstream connections (keepalive_timeout 60s in the site), so
# gunicorn never closes one nginx is about to reuse (which would be a 502).
keepalive = 75

# Request limits: nothing legitimate comes near them, a hostile client is cut off before
# Django reads anything. Bodies are limited by nginx (client_max_body_size) and Django.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# X-Forwarded-Proto / -For are believed only from these addresses (nginx, the load
# balancer); the app reads the client's address with PROXY_COUNT (docs/security.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Heartbeat files on memory, not on a disk that may stall (gunicorn makes them with mkstemp).
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
# Replace a worker now and then (staggered) so memory that creeps up is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "digiskills-web"
