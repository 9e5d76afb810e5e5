"""Tasks are queued by name (the outbox, leased jobs, beat schedules): every name written in
the code or stored in a schedule must be a task the worker has registered, or the work would
wait in the outbox for ever."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

from common.models import Job
from config.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    path.parent
    for path in ROOT.glob("*/apps.py")
    if path.parent.name not in {"tests", "bench", "config"}
]


def _enqueued_names() -> dict[str, str]:
    """Each task name given to `outbox.enqueue(...)` as a literal, with where it is."""
    names = {}
    for app_dir in APPS:
        for path in app_dir.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "enqueue"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    names[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return names


def _registered() -> set[str]:
    celery_app.loader.import_default_modules()
    return set(celery_app.tasks)


def test_the_scan_finds_the_outbox_calls():
    names = _enqueued_names()
    assert "quizzes.tasks.after_attempt_graded" in names
    assert "certificates.tasks.issue_certificate" in names
    assert len(names) >= 8


def test_every_task_queued_through_the_outbox_is_registered():
    registered = _registered()
    unknown = {name: where for name, where in _enqueued_names().items() if name not in registered}
    assert not unknown, f"queued by name but not a registered task: {unknown}"


def test_every_leased_job_names_a_registered_task():
    registered = _registered()
    jobs = [model for model in apps.get_models() if issubclass(model, Job)]
    assert len(jobs) >= 4
    unknown = {model.__name__: model.job_task for model in jobs if model.job_task not in registered}
    assert not unknown, unknown


@pytest.mark.django_db
def test_every_scheduled_task_is_registered():
    registered = _registered()
    scheduled = dict(PeriodicTask.objects.values_list("name", "task"))
    assert scheduled, "the schedules are created by migrations"
    unknown = {name: task for name, task in scheduled.items() if task not in registered}
    assert not unknown, unknown
