"""Roster import of N rows (default 10,195) into a synthetic province: check + import time.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/roster_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1/bench .venv/bin/python bench/roster_import.py

End to end with a real Celery worker (started by the script): the file is stored as the
upload screen stores it, the worker checks it, the import is confirmed and the worker
imports it; timed from the upload until the job is done.

    DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/roster_import.py --worker

Uses a fresh database (it migrates it). Budget: 10,195 rows in 30 s or less.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_195)
    parser.add_argument("--worker", action="store_true", help="through a real Celery worker")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import random

    from accounts.models import User
    from bench import seed
    from organisations import services
    from organisations.models import Role
    from organisations.names import mobile_number, vietnamese_name

    prefix = f"B{int(time.time()) % 100000}"
    teams = seed.build_tree(members=args.rows, prefix=prefix)
    admin, _ = User.objects.get_or_create(username=f"bench-{prefix}", defaults={"phone": None})
    services.assign_role(
        by=User.objects.filter(is_superuser=True).first() or _superuser(),
        user=admin,
        unit=teams[0].get_ancestors()[0],
        role=Role.UNIT_ADMIN,
    )
    rng = random.Random(7)
    lines = ["Họ và tên,Số điện thoại,Mã đơn vị,Vai trò"]
    for i in range(args.rows):
        phone = "0" + mobile_number(30_000_000 + i).removeprefix("+84")
        lines.append(f"{vietnamese_name(rng)},{phone},{teams[i % len(teams)].code},Thành viên")
    content = ("\n".join(lines) + "\n").encode()

    if args.worker:
        _through_a_worker(admin, content, args.rows, len(teams))
        return
    started = time.perf_counter()
    job = services.check_roster_file(by=admin, file_name="bench.csv", content=content)
    checked = time.perf_counter()
    assert not job.errors, job.errors[:3]
    services.confirm_roster_import(
        by=admin, job=job, members_informed=True
    )  # runs in-process without REDIS_URL
    done = time.perf_counter()
    job.refresh_from_db()
    print(
        f"rows={args.rows} teams={len(teams)} check={checked - started:.1f}s "
        f"import={done - checked:.1f}s total={done - started:.1f}s created={job.created_count} "
        f"status={job.status} db={django.db.connection.vendor}"
    )
    _report(rows=args.rows, seconds=done - started, created=job.created_count, how="in-process")


def _through_a_worker(admin, content: bytes, rows: int, teams: int) -> None:
    import subprocess

    import django
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organisations import services
    from organisations.models import RosterImport

    if not os.environ.get("REDIS_URL"):
        sys.exit("--worker needs REDIS_URL (and preferably PostgreSQL in DATABASE_URL)")
    root = Path(__file__).resolve().parent.parent
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=root,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
    )
    try:
        time.sleep(5)  # the worker connects
        started = time.perf_counter()
        job = services.upload_roster_file(by=admin, upload=SimpleUploadedFile("bench.csv", content))
        uploaded = time.perf_counter()
        while RosterImport.objects.get(pk=job.pk).status in ("PENDING", "CHECKING"):
            time.sleep(0.1)
        checked = time.perf_counter()
        job = RosterImport.objects.get(pk=job.pk)
        assert job.status == "CHECKED" and not job.errors, (job.status, job.failure)
        services.confirm_roster_import(by=admin, job=job, members_informed=True)
        while RosterImport.objects.get(pk=job.pk).status in ("QUEUED", "RUNNING"):
            time.sleep(0.1)
        done = time.perf_counter()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    job = RosterImport.objects.get(pk=job.pk)
    print(
        f"rows={rows} teams={teams} upload={uploaded - started:.2f}s "
        f"check={checked - uploaded:.1f}s import={done - checked:.1f}s "
        f"total={done - started:.1f}s created={job.created_count} status={job.status} "
        f"db={django.db.connection.vendor} (real worker)"
    )
    _report(rows=rows, seconds=done - started, created=job.created_count, how="through a worker")


def _report(*, rows: int, seconds: float, created: int, how: str) -> None:
    from bench.result import report

    report(
        scenario=f"roster import, {rows:,} rows, {how}",
        budget="10,195 rows ≤ 30 s",
        measured=f"{seconds:.1f} s, {created:,} created",
        met=created == rows and seconds <= 30 * rows / 10_195,
    )


def _superuser():
    from accounts.models import User

    return User.objects.create_superuser(username="bench-root", password=None)


if __name__ == "__main__":
    main()
