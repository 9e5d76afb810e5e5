"""A redis-server of a test's own, on a free port, to stop and start again at will.

Tests that take Redis away use this one, never the shared Redis on 6379."""

import contextlib
import shutil
import signal
import socket
import subprocess
import time

import pytest

requires_redis_server = pytest.mark.skipif(
    not shutil.which("redis-server"), reason="needs the redis-server program (apt: redis-server)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """`keep_data_in`: a folder for an append-only file, so data survives a restart (as a
    production Redis with persistence would); without it a restart starts empty."""

    def __init__(self, *, keep_data_in=None):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.keep_data_in = keep_data_in

    def start(self) -> None:
        persistence = ["--appendonly", "no"]
        if self.keep_data_in:
            persistence = ["--appendonly", "yes", "--appendfsync", "always"]
            persistence += ["--dir", str(self.keep_data_in)]
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                *persistence,
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGCONT)  # in case it was frozen
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """Still listening, never answering: a hung server or a lost network."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@contextlib.contextmanager
def private_redis(**options):
    server = PrivateRedis(**options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def celery_broker(url: str):
    """Send this process's Celery tasks to `url` for real (tests otherwise run them eagerly)."""
    from config.celery_app import app

    def reset_pools():
        # Only forget them: kombu keeps pools per broker address for the whole process, so
        # closing one would leave a closed pool for the next test on that address.
        app._pool = None
        app.amqp._producer_pool = None

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = url, False
    reset_pools()
    try:
        yield app
    finally:
        reset_pools()
        app.conf.broker_url, app.conf.task_always_eager = saved
