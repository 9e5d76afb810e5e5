"""deploy/nginx/digiskills.conf made runnable here: same directives, local paths and ports,
no TLS (the certificate lines are the only ones left out)."""

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "digiskills.conf"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
)


def render(tmp: Path, *, port: int, redirect_port: int, upstream: str) -> Path:
    """A complete nginx.conf under `tmp` serving the site on 127.0.0.1:`port`."""
    site = SITE.read_text()
    site = site.replace("/srv/digiskills/", f"{tmp}/srv/")
    site = site.replace("/var/cache/nginx/digiskills", f"{tmp}/cache")
    site = site.replace("server 127.0.0.1:8000 ", f"server {upstream} ")
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{redirect_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    site = re.sub(r"\n\s*ssl_[a-z_]+ [^;]*;", "", site)
    for folder in ("srv/staticfiles", "srv/media", "srv/private-media", "cache", "temp"):
        (tmp / folder).mkdir(parents=True, exist_ok=True)
    (tmp / "site.conf").write_text(site)
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/temp/body;
    proxy_temp_path {tmp}/temp/proxy;
    fastcgi_temp_path {tmp}/temp/fastcgi;
    uwsgi_temp_path {tmp}/temp/uwsgi;
    scgi_temp_path {tmp}/temp/scgi;
    include {tmp}/site.conf;
}}
"""
    )
    return conf
