"""deploy/nginx/digiskills.conf: valid for nginx, and doing what docs/deploy.md says, in
front of a stand-in application: static files kept a year, private files only through
X-Accel-Redirect, anonymous pages cached as the application allows, bodies limited."""

import http.client
import re
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from tests.deploy.nginx_site import NGINX, SITE, render

needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


def test_body_limits_match_the_applications():
    site = SITE.read_text()
    limits = [_size(v) for v in re.findall(r"client_max_body_size (\S+);", site)]
    server_limit, admin_limit = limits
    app_limit = max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
    # Room for the form around a 5 MB file, but not a second file.
    assert app_limit < server_limit <= app_limit + 2 * 1024 * 1024
    uploads = max(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE, settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    assert uploads < admin_limit <= uploads + 2 * 1024 * 1024
    assert settings.PRIVATE_FILES_ACCEL_PREFIX == "/_private/"
    assert "location /_private/ {\n        internal;" in site


@needs_nginx
def test_nginx_accepts_the_site(tmp_path):
    conf = render(tmp_path, port=_free_port(), redirect_port=_free_port(), upstream="127.0.0.1:9")
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


class _App(BaseHTTPRequestHandler):
    """The application's side of each case."""

    hits = 0

    def log_message(self, *args):
        pass

    def _answer(self, status=200, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        type(self).hits += 1
        if self.path == "/certificates/ABC/download/":
            self._answer(
                headers=[
                    ("Content-Type", "application/pdf"),
                    ("X-Accel-Redirect", "/_private/certificates/2026/12/ABC.pdf"),
                    ("Content-Disposition", 'attachment; filename="chung-chi-ABC.pdf"'),
                    ("Cache-Control", "private, no-store"),
                ]
            )
        elif self.path == "/khoa-hoc/":
            self._answer(
                body=f"page {self.hits}".encode(),
                headers=[("Content-Type", "text/html"), ("Cache-Control", "public, max-age=60")],
            )
        elif self.path == "/no-header/":
            self._answer(body=f"page {self.hits}".encode(), headers=[("Content-Type", "text/html")])
        elif self.path == "/private/":
            body = f"mine {self.hits}".encode()
            self._answer(body=body, headers=[("Cache-Control", "private, no-store")])
        else:
            self._answer(404, b"not found")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        self._answer(body=b"received")


@pytest.fixture
def site(tmp_path):
    app = ThreadingHTTPServer(("127.0.0.1", 0), _App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = _free_port()
    conf = render(
        tmp_path,
        port=port,
        redirect_port=_free_port(),
        upstream=f"127.0.0.1:{app.server_address[1]}",
    )
    (tmp_path / "srv/private-media/certificates/2026/12").mkdir(parents=True)
    (tmp_path / "srv/private-media/certificates/2026/12/ABC.pdf").write_bytes(b"%PDF-1.4 x")
    (tmp_path / "srv/staticfiles/site.abc123.css").write_text("body{}")
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.shutdown()
        app.server_close()


def _request(port, path, *, method="GET", headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        method, path, body=body, headers={"Host": "hoc.example.gov.vn", **(headers or {})}
    )
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


@needs_nginx
def test_the_site_in_front_of_an_application(site):
    response, body = _request(site, "/certificates/ABC/download/")
    assert response.status == 200 and body == b"%PDF-1.4 x"
    assert response.getheader("Content-Type") == "application/pdf"
    assert response.getheader("Content-Disposition") == 'attachment; filename="chung-chi-ABC.pdf"'
    assert "no-store" in response.getheader("Cache-Control")
    response, _ = _request(site, "/_private/certificates/2026/12/ABC.pdf")
    assert response.status == 404  # only through a view that checked access

    response, body = _request(site, "/static/site.abc123.css")
    assert body == b"body{}" and "immutable" in response.getheader("Cache-Control")

    first = _request(site, "/khoa-hoc/")
    second = _request(site, "/khoa-hoc/")
    assert first[1] == second[1] and second[0].getheader("X-Cache") == "HIT"
    signed_in = _request(site, "/khoa-hoc/", headers={"Cookie": "sessionid=abc"})
    assert signed_in[1] != first[1] and signed_in[0].getheader("X-Cache") == "BYPASS"
    private = [_request(site, "/private/")[1] for _ in range(2)]
    assert private[0] != private[1]  # the application said no-store
    unmarked = [_request(site, "/no-header/")[1] for _ in range(2)]
    assert unmarked[0] != unmarked[1]  # no Cache-Control of its own: never kept

    response, body = _request(site, "/me/data/", method="POST", body=b"x" * (7 * 1024 * 1024))
    assert response.status == 413
    response, body = _request(site, "/me/data/", method="POST", body=b"x" * (4 * 1024 * 1024))
    assert response.status == 200 and body == b"received"

    refused = [
        _request(site, "/account/login/", method="POST", body=b"u=1")[0].status for _ in range(130)
    ]
    assert refused.count(200) >= 100 and refused[-1] == 429
