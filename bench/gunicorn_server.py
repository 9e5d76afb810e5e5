"""A real gunicorn serving this project on 127.0.0.1, and logged-in sessions for it, so
benchmarks measure what production runs (DEBUG off, no test-client instrumentation)."""

import http.client
import itertools
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_PORT lets parallel runs (and make bench) keep off each other's port.
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CSRF = "b" * 32


def session_key_for(user, *, extra: dict | None = None) -> str:
    """A session logged in as `user`, stored by the configured engine (database and
    cache), as the login view would leave it; `extra` adds keys (see `accept_privacy_notice`)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(extra or {})
    session.save()
    return session.session_key


def accept_privacy_notice(users) -> dict:
    """Record that `users` accepted the privacy notice in force, as each member does once
    before anything else opens (privacy.middleware); returns the session keys the notice
    step leaves, for `session_key_for(user, extra=...)`. Without it every page of a
    signed-in member is a redirect to the notice."""
    from privacy.middleware import SESSION_KEY
    from privacy.models import Consent
    from privacy.selectors import current_notice

    notice = current_notice()
    if notice is None:
        return {}
    Consent.objects.bulk_create(
        [Consent(user=user, notice=notice) for user in users],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return {SESSION_KEY: notice.version}


def cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


@contextmanager
def gunicorn(*, workers: int, threads: int = 8):
    """Start gunicorn (gthread) with the current environment, wait until it answers;
    yields the server process (see `cpu_seconds`)."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": os.environ.get("DEBUG", "false")},
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request(
                    "GET", "/account/login/"
                )
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        yield server
    finally:
        server.terminate()
        server.wait()


def get(path: str, session_key: str) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one GET with a fresh connection, as a browser tab would."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    connection.request(
        "GET",
        path,
        # A browser that has seen any form here sends its CSRF cookie back too.
        headers={"Host": "localhost", "Cookie": f"sessionid={session_key}; csrftoken={CSRF}"},
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, time.perf_counter() - started


def closed_loop(work, items: list, concurrency: int) -> tuple[list[float], float]:
    """Run `work(item)` (which returns its own latency) for every item from `concurrency`
    clients, each starting its next as soon as the last returns: (latencies, seconds)."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(work, items))
    return latencies, time.perf_counter() - started


def paced(work, items: list, concurrency: int, rate: float) -> tuple[list[float], float]:
    """`work(item)` for every item, arriving on a fixed schedule of `rate` per second, sent
    by `concurrency` clients (an open loop); each latency counts from the moment its request
    was due, so a request that had to wait for a free client (the server falling behind) is
    counted with its wait: (latencies, seconds)."""
    begin = time.perf_counter() + 0.2
    latencies = [0.0] * len(items)
    order = itertools.count()

    def client() -> None:
        while (n := next(order)) < len(items):
            due = begin + n / rate
            if (delay := due - time.perf_counter()) > 0:
                time.sleep(delay)
            work(items[n])
            latencies[n] = time.perf_counter() - due

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(client) for _ in range(concurrency)]:
            future.result()
    return latencies, time.perf_counter() - begin
