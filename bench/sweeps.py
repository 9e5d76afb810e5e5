"""Set-based sweeps at the size of a country (issue 19): renewals, due reminders and overdue
notices for N members (default 40,000) falling on the same day, each run by a real Celery
worker exactly as beat or the outbox would queue it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h3_sweeps \\
    REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/sweeps.py --recreate

`--recreate` drops and creates the database named in DATABASE_URL first (give it one of its
own). Seeding uses bulk inserts (the tree and members of `bench/seed.py`, then the
completions, completed lessons, certificates that all expire on the same day in 30 days,
and two running campaigns over the same members: one due in 3 days, one 2 days overdue,
whose assignment notices went out when they started). Then, on one worker (solo pool, on a
queue of its own):

1. `training.tasks.open_recertifications`: N renewals opened, 2N lessons marked for
   re-study, N "certificate expiring" notices;
2. `training.tasks.send_campaign_notices` for the campaign due in 3 days: N reminders;
3. `training.tasks.send_campaign_notices` for the overdue campaign: N overdue notices;
4. the same three again, and the daily `run_daily_reminders`: nothing new.

Each step is timed from sending the task until the worker logs it succeeded. The results
are checked (each renewal and notice exactly once, their deliveries, nothing new on the
second run). Budget: N = 40,000 renewals in one sweep ≤ 60 s; the reminders and overdue
notices of the same N are held to the same 60 s.
"""

import argparse
import os
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

BUDGET_SECONDS = 60.0


def _recreate_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed(members: int) -> dict:
    """Everything with bulk inserts; returns the ids the checks need."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Site

    from accounts.models import User
    from bench.seed import build_tree, fill_teams
    from certificates import codes
    from certificates.models import Certificate
    from courses.models import CourseCompletion, CourseIndexPage, CoursePage, LessonPage, Topic
    from notifications.models import Kind, Notification
    from organisations.models import Membership, OrgUnit
    from training.models import Campaign, CampaignStatus

    now = timezone.now()
    today = timezone.localdate()
    stamp = uuid.uuid4().hex[:6].upper()
    home = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="Khoá học (sweeps)", slug=f"khoa-hoc-sweeps-{stamp.lower()}")
    home.add_child(instance=index)
    topic = Topic.objects.first()
    courses = []
    for slug, title in (("an-toan", "An toàn thông tin"), ("thanh-toan", "Thanh toán số")):
        course = CoursePage(
            title=title, slug=slug, summary="Tóm tắt", topic=topic, certificate_validity_months=12
        )
        index.add_child(instance=course)
        for n in (1, 2):
            course.add_child(
                instance=LessonPage(title=f"Bài {n}", slug=f"bai-{n}", body=[("text", "<p>x</p>")])
            )
        courses.append(course)
    certified, campaign_course = courses

    teams = build_tree(members=members, prefix=f"SW{stamp}")
    fill_teams(teams=teams, members=members, phone_offset=User.objects.count())
    province = OrgUnit.objects.get(code=f"SW{stamp}")
    user_ids = sorted(
        Membership.objects.filter(unit__in=teams).values_list("user_id", flat=True).distinct()
    )
    admin = User.objects.create(username=f"sweeps-{stamp}", password=make_password(None))
    lessons = list(LessonPage.objects.child_of(certified))
    issued = now - timedelta(days=335)
    # All N certificates expire on the same day, 30 days from now (at 10:00, Vietnam time).
    expires = timezone.make_aware(datetime.combine(today + timedelta(days=30), datetime.min.time()))
    expires += timedelta(hours=10)
    with transaction.atomic():
        CourseCompletion.objects.bulk_create(
            [CourseCompletion(user_id=u, course=certified, completed_at=issued) for u in user_ids],
            batch_size=5000,
        )
        completions = dict(
            CourseCompletion.objects.filter(course=certified).values_list("user_id", "pk")
        )
        from courses.models import LessonProgress

        LessonProgress.objects.bulk_create(
            [
                LessonProgress(
                    user_id=u,
                    lesson=lesson,
                    started_at=issued,
                    last_opened_at=issued,
                    completed_at=issued,
                )
                for u in user_ids
                for lesson in lessons
            ],
            batch_size=5000,
        )
        names = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "last_name"))
        Certificate.objects.bulk_create(
            [
                Certificate(
                    code=codes.new_code(),
                    user_id=u,
                    course=certified,
                    completion_id=completions[u],
                    issued_at=issued,
                    expires_at=expires,
                    full_name=names[u],
                    course_title=certified.title,
                )
                for u in user_ids
            ],
            batch_size=5000,
        )
        campaigns = {}
        for label, starts, due in (
            ("due", today - timedelta(days=10), today + timedelta(days=3)),
            ("overdue", today - timedelta(days=40), today - timedelta(days=2)),
        ):
            campaign = Campaign.objects.create(
                title=f"Đợt {label} {stamp}",
                starts_on=starts,
                due_on=due,
                status=CampaignStatus.RUNNING,
                created_by=admin,
            )
            campaign.courses.set([campaign_course])
            campaign.target_units.set([province])
            campaigns[label] = campaign.pk
            # Sent on the day the campaign started (only today's notices are measured).
            Notification.objects.bulk_create(
                [
                    Notification(
                        user_id=u,
                        kind=Kind.ASSIGNED,
                        key=f"campaign:{campaign.pk}:assigned",
                        params={},
                        created_at=now - timedelta(days=(today - starts).days),
                    )
                    for u in user_ids
                ],
                batch_size=5000,
            )
    return {"user_ids": user_ids, "campaigns": campaigns, "certified": certified.pk}


class Worker:
    """One Celery worker process (solo pool) on a queue of its own; its log is read so that
    a task's end is the moment the worker reports it succeeded."""

    DONE = re.compile(
        r"Task (\S+)\[([0-9a-f-]+)\] (succeeded|raised|failed)[^\n]*?(?:in ([\d.]+)s)?"
    )

    def __init__(self) -> None:
        self.queue = f"sweeps-{uuid.uuid4().hex[:8]}"
        self.events: queue.Queue = queue.Queue()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env={**os.environ},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.log.append(line)
            if "ready." in line:
                self.events.put(("ready", None, None, None))
            match = self.DONE.search(line)
            if match:
                self.events.put(("done", match.group(2), match.group(3), match.group(4)))

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                kind, *_ = self.events.get(timeout=1)
            except queue.Empty:
                continue
            if kind == "ready":
                return
        sys.exit("the worker did not start:\n" + "".join(self.log[-30:]))

    def run(self, name: str, **kwargs) -> tuple[float, float]:
        """Send the task as beat would, wait for the worker's verdict: (wall s, worker s)."""
        from config.celery_app import app

        started = time.perf_counter()
        task_id = app.send_task(name, kwargs=kwargs, queue=self.queue).id
        while True:
            try:
                kind, done_id, outcome, seconds = self.events.get(timeout=600)
            except queue.Empty:
                sys.exit(f"{name} did not finish in 10 minutes:\n" + "".join(self.log[-30:]))
            if kind == "done" and done_id == task_id:
                break
        wall = time.perf_counter() - started
        if outcome != "succeeded":
            sys.exit(f"{name} {outcome}:\n" + "".join(self.log[-40:]))
        return wall, float(seconds or wall)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def counts(seeded: dict) -> dict:
    from django.db.models import Count

    from courses.models import LessonProgress
    from notifications.models import Delivery, Kind, Notification
    from training.models import Recertification

    due, overdue = seeded["campaigns"]["due"], seeded["campaigns"]["overdue"]
    notices = Notification.objects.values("kind").annotate(n=Count("pk"))
    by_kind = {row["kind"]: row["n"] for row in notices}
    duplicated = (
        Notification.objects.values("user_id", "key").annotate(n=Count("pk")).filter(n__gt=1)
    )
    return {
        "renewals": Recertification.objects.count(),
        "renewal_pairs": Recertification.objects.values("certificate_id").distinct().count(),
        "under_review": LessonProgress.objects.filter(review_requested_at__isnull=False).count(),
        "expiring": by_kind.get(Kind.CERTIFICATE_EXPIRING, 0),
        "due": Notification.objects.filter(key__startswith=f"campaign:{due}:")
        .filter(key__contains=":due:")
        .count(),
        "overdue": Notification.objects.filter(
            key__startswith=f"campaign:{overdue}:", key__endswith=":overdue"
        ).count(),
        "notifications": Notification.objects.count(),
        "deliveries": Delivery.objects.count(),
        "duplicated_notices": duplicated.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=40_000)
    parser.add_argument("--recreate", action="store_true", help="drop and create the database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("needs PostgreSQL in DATABASE_URL and Redis in REDIS_URL (a real worker)")
    if args.recreate:
        _recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    n = args.members
    started = time.perf_counter()
    seeded = seed(n)
    seeded_in = time.perf_counter() - started
    members = len(seeded["user_ids"])
    before = counts(seeded)
    connection.close()  # the worker has the database to itself while it is measured

    worker = Worker()
    try:
        worker.wait_ready()
        due, overdue = seeded["campaigns"]["due"], seeded["campaigns"]["overdue"]
        steps = [
            ("renewals", "training.tasks.open_recertifications", {}),
            ("reminders", "training.tasks.send_campaign_notices", {"campaign_id": due}),
            ("overdue", "training.tasks.send_campaign_notices", {"campaign_id": overdue}),
        ]
        first = {label: worker.run(name, **kwargs) for label, name, kwargs in steps}
        after_first = counts(seeded)
        second = {label: worker.run(name, **kwargs) for label, name, kwargs in steps}
        second["daily"] = worker.run("training.tasks.run_daily_reminders")
        after_second = counts(seeded)
    finally:
        worker.stop()

    channels_per_notice = (after_first["deliveries"] - before["deliveries"]) / (3 * members)
    checks = {
        "renewals": after_first["renewals"] - before["renewals"] == members
        and after_first["renewal_pairs"] == after_first["renewals"]
        and after_first["under_review"] - before["under_review"] == 2 * members
        and after_first["expiring"] - before["expiring"] == members,
        "reminders": after_first["due"] - before["due"] == members,
        "overdue": after_first["overdue"] - before["overdue"] == members,
    }
    exactly_once = after_first["duplicated_notices"] == 0 and after_second == after_first
    print(
        f"members={members} seeded in {seeded_in:.1f}s db={connection.vendor} "
        f"deliveries per notice={channels_per_notice:.2f}"
    )
    for label, (wall, on_worker) in first.items():
        print(f"first run  {label:9s} wall={wall:6.2f}s worker={on_worker:6.2f}s")
    for label, (wall, on_worker) in second.items():
        print(f"second run {label:9s} wall={wall:6.2f}s worker={on_worker:6.2f}s")
    print(f"before={before}\nafter first={after_first}\nafter second={after_second}")
    print(f"checks={checks} exactly once, nothing new on the second run={exactly_once}")

    from bench.result import report

    command = f"python bench/sweeps.py --members {n}" + (" --recreate" if args.recreate else "")
    size = f"{members:,}"
    titles = {
        "renewals": f"{size} renewals in one sweep",
        "reminders": f"{size} due reminders in one sweep",
        "overdue": f"{size} overdue notices in one sweep",
    }
    for label, title in titles.items():
        wall, _on_worker = first[label]
        again = second[label][0]
        report(
            scenario=title,
            budget=f"≤ {BUDGET_SECONDS:.0f} s",
            measured=f"{wall:.1f} s on one worker (second run {again:.1f} s, nothing new)",
            met=wall <= BUDGET_SECONDS and checks[label] and exactly_once,
            command=command,
        )


if __name__ == "__main__":
    main()
