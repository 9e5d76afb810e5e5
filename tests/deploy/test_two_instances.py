"""Two app servers (gunicorn with deploy/gunicorn.conf.py) on two ports, against the same
PostgreSQL, Redis and object storage (moto's S3-compatible server, on this machine), with
members spread across both:

- a session made by logging in on A works on B, and the other way round;
- answers sent to both at once, to the same attempts, are all kept;
- a member's name changed on A is shown by B at once (nothing private is kept per process);
- a file written by A (a member's data export) is served by B from the bucket.

Skipped unless DATABASE_URL is PostgreSQL and REDIS_URL is set (as CI runs it)."""

import contextlib
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import boto3
import pytest
import requests
from django.db import connection
from django.urls import reverse

from organisations import services as org
from organisations.models import Role, UnitKind
from privacy.models import DataExport
from quizzes import services as quiz_services
from quizzes.models import Attempt, Response
from tests.quizzes.conftest import quiz_setup  # noqa: F401 - the quiz members answer

ROOT = Path(__file__).resolve().parents[2]
MOTO_SERVER = Path(sys.executable).parent / "moto_server"
PASSWORD = "Mat-khau-rat-dai-1"
CSRF = "c" * 32
MEMBERS = 6

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres")
        or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (CI does)",
    ),
    pytest.mark.skipif(not MOTO_SERVER.exists(), reason="moto[server] is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, *, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


@contextlib.contextmanager
def _processes():
    """Every process started here, killed (with its children) at the end."""
    started: list[subprocess.Popen] = []
    try:
        yield started
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _shows(*parts: str, content: bytes = b"") -> bool:
    return all(part in content.decode() for part in parts)


class Instance:
    def __init__(self, name: str, port: int):
        self.name, self.port = name, port

    def request(self, method, path, *, session="", form=None, headers=None):
        body = urlencode(form or {}, doseq=True) if form is not None else None
        all_headers = {
            "Host": "localhost",
            "Cookie": f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else ""),
            **({"Content-Type": "application/x-www-form-urlencoded"} if body else {}),
            **({"X-CSRFToken": CSRF} if method == "POST" else {}),
            **(headers or {}),
        }
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        content = response.read()
        conn.close()
        return response, content

    def login(self, username: str) -> str:
        response, content = self.request(
            "POST", "/account/login/", form={"username": username, "password": PASSWORD}
        )
        assert response.status == 302, (self.name, content[:300])
        cookies = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie"):
            cookies.load(header)
        return cookies["sessionid"].value


@pytest.fixture
def cluster(tmp_path):
    """moto's S3 server and two gunicorn instances; yields (A, B)."""
    s3_port, a_port, b_port = _free_port(), _free_port(), _free_port()
    endpoint = f"http://127.0.0.1:{s3_port}"
    credentials = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    with _processes() as started:
        log = (tmp_path / "moto.log").open("wb")
        started.append(
            subprocess.Popen(
                [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(s3_port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        _wait_for_port(s3_port, started[-1])
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        for bucket in ("media", "private"):
            s3.create_bucket(Bucket=bucket)
        env = {
            **os.environ,
            **credentials,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TEST_WORKER_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "TEST_WORKER_CACHE_URL": os.environ["REDIS_URL"],
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_STORAGE_BUCKET_NAME": "media",
            "PRIVATE_BUCKET_NAME": "private",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "4",
            "GUNICORN_LOG_LEVEL": "warning",
        }
        instances = []
        for name, port in (("A", a_port), ("B", b_port)):
            log = (tmp_path / f"{name}.log").open("wb")
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "deploy/gunicorn.conf.py",
                        "--access-logfile",
                        "/dev/null",
                        "config.wsgi",
                    ],
                    cwd=ROOT,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            instances.append(Instance(name, port))
        for process, instance in zip(started[1:], instances, strict=True):
            try:
                _wait_for_port(instance.port, process)
            except (RuntimeError, TimeoutError) as error:
                pytest.fail(
                    f"{instance.name}: {error}\n{(tmp_path / f'{instance.name}.log').read_text()}"
                )
        yield tuple(instances)


@pytest.fixture
def people(quiz_setup, make_user):  # noqa: F811 - the quiz fixture
    root = make_user(username="root", is_superuser=True, is_staff=True)
    province = org.create_unit(
        parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Vĩnh Long", code="VL"
    )
    commune = org.create_unit(
        parent=province, kind=UnitKind.COMMUNE, name="Xã Châu Thành", code="VL-X"
    )
    team = org.create_unit(parent=commune, kind=UnitKind.TEAM, name="Tổ Phú Hòa", code="VL-X-T1")
    admin = make_user(username="can-bo-xa", full_name="Trần Văn Cán")
    org.assign_role(by=root, user=admin, unit=commune, role=Role.UNIT_ADMIN)
    members = []
    for n in range(MEMBERS):
        member = make_user(username=f"0912000{n:03d}", full_name=f"Nguyễn Thị Thành Viên {n}")
        org.assign_role(by=root, user=member, unit=team, role=Role.MEMBER)
        members.append(member)
    return admin, members


def test_two_instances_share_sessions_writes_edits_and_files(cluster, people, quiz_setup):  # noqa: F811
    started = time.monotonic()
    a, b = cluster
    admin, members = people

    # Sessions: each member logs in on one instance and is served by the other.
    sessions = {}
    for n, member in enumerate(members):
        here, there = (a, b) if n % 2 == 0 else (b, a)
        sessions[member.pk] = here.login(member.username)
        response, content = there.request("GET", "/me/data/", session=sessions[member.pk])
        assert response.status == 200, (there.name, content[:300])
        assert _shows(member.last_name, member.first_name, content=content)

    # Answers: every member answers all questions, alternately on A and B, all at once.
    attempts = {m.pk: quiz_services.start_attempt(user=m, quiz=quiz_setup.quiz) for m in members}
    posts = []
    for member in members:
        attempt = attempts[member.pk]
        for i, item in enumerate(attempt.served):
            chosen = [c["id"] for c in item["choices"]][: 1 + (i % 2)]
            if item.get("kind", "SINGLE") != "MULTIPLE":
                chosen = chosen[:1]
            posts.append(((a, b)[i % 2], member, attempt, item["question"], chosen))

    def answer(post):
        instance, member, attempt, question, chosen = post
        response, content = instance.request(
            "POST",
            reverse("quizzes:answer", args=[attempt.pk]),
            session=sessions[member.pk],
            form={f"q-{question}": chosen},
            headers={"X-Autosave": "1"},
        )
        return response.status, json.loads(content or b"{}")

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(answer, posts))
    assert all(
        status == 200 and body == {"saved": True, "errors": []} for status, body in results
    ), [r for r in results if r[0] != 200][:3]
    for _instance, _member, attempt, question, chosen in posts:
        saved = Response.objects.get(attempt=attempt, question_id=question)
        assert sorted(saved.chosen) == sorted(chosen)
    assert Response.objects.filter(attempt__in=attempts.values()).count() == len(posts)
    assert Attempt.objects.filter(
        pk__in=[x.pk for x in attempts.values()], state="OPEN"
    ).count() == (MEMBERS)

    # An edit on A is what B shows next, to the administrator and to the member.
    member = members[0]
    admin_on_a, admin_on_b = a.login(admin.username), b.login(admin.username)
    page = reverse("organisations_admin:member", args=[member.pk])
    response, content = b.request("GET", page, session=admin_on_b)
    assert response.status == 200 and member.full_name in content.decode()
    response, content = a.request(
        "POST",
        page,
        session=admin_on_a,
        form={"full_name": "Phạm Thị Đã Đổi Tên", "phone": "0912 888 777", "email": ""},
    )
    assert response.status == 302, content[:500]
    for session in (admin_on_b, sessions[member.pk]):
        path = page if session == admin_on_b else "/me/data/"
        response, content = b.request("GET", path, session=session)
        assert _shows("Phạm Thị Đã Đổi", "Tên", content=content), path
        assert member.last_name not in content.decode(), path

    # A file written by A (the member's data export, built in A's process) is served by B.
    response, _ = a.request("POST", reverse("privacy:export_create"), session=sessions[member.pk])
    assert response.status == 302
    export = DataExport.objects.get(created_by=member)
    assert export.status == DataExport.Status.DONE and export.file
    response, _ = b.request(
        "GET", reverse("privacy:export_download", args=[export.pk]), session=sessions[member.pk]
    )
    assert response.status == 302 and "no-store" in response.getheader("Cache-Control")
    link = response.getheader("Location")
    assert "/private/" in urlsplit(link).path  # the bucket, not a file on A's disk
    archive = requests.get(link, timeout=10)
    assert archive.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert names and "Phạm Thị Đã Đổi" in "".join(
        zipfile.ZipFile(io.BytesIO(archive.content)).read(n).decode(errors="ignore") for n in names
    )
    # Another member gets nothing, from either instance.
    for instance in (a, b):
        response, _ = instance.request(
            "GET",
            reverse("privacy:export_download", args=[export.pk]),
            session=sessions[members[1].pk],
        )
        assert response.status == 404
    assert time.monotonic() - started < 90
