"""A real Celery worker, started as a subprocess against REDIS_URL, for tests that need one.

The worker uses the test database of the running test (which must be transactional so
the worker can see committed rows) and listens on a queue of its own, so nothing else
on the same Redis can take its tasks.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs a real Redis: set REDIS_URL (CI does) to run the worker tests",
)


class Worker:
    """A worker subprocess (and, with beat, the beat process it starts), in a process group
    of its own so that killing it kills them all."""

    def __init__(self, process: subprocess.Popen, queue: str):
        self.process = process
        self.queue = queue

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, like a machine that lost power."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> bytes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
            output, _ = self.process.communicate()
        return output or b""


@contextlib.contextmanager
def worker_process(*, beat: bool = False, queue: str = "", env: dict | None = None):
    """`env` adds to the worker's environment (e.g. REDIS_URL of a test's own Redis)."""
    queue = queue or new_queue_name()
    env = {
        **os.environ,
        **(env or {}),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_WORKER_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "TEST_WORKER_QUEUE": queue,  # follow-up tasks the worker queues come back to it
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
    ]
    if beat:
        command += ["--beat", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = Worker(process, queue)
    try:
        yield worker
    finally:
        output = worker.stop() if process.returncode is None else b""
        if os.environ.get("SHOW_WORKER_LOG"):
            print(output.decode(errors="replace"))


@contextlib.contextmanager
def running_worker(*, beat: bool = False, queue: str = "", env: dict | None = None):
    with worker_process(beat=beat, queue=queue, env=env) as worker:
        yield worker.queue


def new_queue_name() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def send(task_name: str, *, queue: str, **kwargs):
    """Send to the broker even though tests otherwise run tasks eagerly."""
    from config.celery_app import app

    with warnings.catch_warnings(), app.connection_for_write() as conn:
        warnings.simplefilter("ignore")  # "task_always_eager has no effect": that is the point
        return app.send_task(task_name, kwargs=kwargs, queue=queue, connection=conn)


def wait_for(predicate, *, timeout: float = 45.0, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
