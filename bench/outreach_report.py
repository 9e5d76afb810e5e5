"""Outreach report speed over a province of 10,195 members / ~1,111 teams with half a year
of the outreach log (about 30 entries a member), on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres bench_outreach   # once
    DATABASE_URL=postgres://postgres@127.0.0.1/bench_outreach \\
        .venv/bin/python bench/outreach_report.py

Measured in-process with Django's test client (DEBUG off) so it needs no free port: the
province screen (per commune, per week, beside the scams course), a commune, and the
province's XLSX export.

Recorded 2026-12-07 on the shared 2-core machine while other suites ran (noisy), 10,196
members, 303,913 entries: province screen p50 813 ms / p95 1,147 ms (training figures counted
live; read from a fresh roll-up they cost ~10 ms instead of ~115 ms), commune p50 96 ms /
p95 128 ms, province XLSX export 1.1 s. In the province screen, the help grouped by team is
~280 ms and the weeks ~90 ms: two scans of the period's entries. If provinces must open
faster, roll the help up per unit and week like the training figures (not done yet).
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "false")


def fill_outreach(unit, rng, *, weeks: int = 26) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from organisations.models import TEAM_ROLES, Membership
    from outreach.models import HelpKind, OutreachEntry

    if OutreachEntry.objects.filter(team__path__startswith=unit.path).exists():
        return 0
    today = timezone.localdate()
    rows = (
        Membership.objects.current()
        .filter(unit__path__startswith=unit.path, role__in=TEAM_ROLES)
        .values_list("user_id", "unit_id")
    )
    kinds = HelpKind.values
    batch, total = [], 0
    for user_id, team_id in rows:
        for _n in range(rng.randint(0, 60)):
            batch.append(
                OutreachEntry(
                    user_id=user_id,
                    team_id=team_id,
                    place_id=team_id,
                    helped_on=today - timedelta(days=rng.randint(0, weeks * 7)),
                    kind=rng.choice(kinds),
                    residents=rng.choice([1, 1, 2, 3, 5, 12]),
                )
            )
        if len(batch) >= 20_000:
            OutreachEntry.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
    OutreachEntry.objects.bulk_create(batch, batch_size=5000)
    return total + len(batch)


def timed(client, url, runs=20):
    timings = []
    for n in range(runs + 3):
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if n >= 3:
            timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, statistics.quantiles(timings, n=20)[18] * 1000


def main() -> None:
    import django

    django.setup()
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from courses.models import CoursePage

    if not CoursePage.objects.filter(slug="nhan-dien-lua-dao-truc-tuyen").exists():
        call_command("seed_demo", stdout=StringIO())
    from bench.reports import province

    rng = random.Random(11)
    unit = province("BRP", 10_195, rng)
    started = time.perf_counter()
    added = fill_outreach(unit, rng)
    if added:
        print(f"outreach entries added: {added} in {time.perf_counter() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    from accounts.models import User
    from organisations import services as org
    from organisations.models import Membership, OrgUnit, Role
    from outreach.models import OutreachEntry
    from reports import services
    from reports.models import ReportExport

    admin, _ = User.objects.get_or_create(
        username="bench-province-admin", defaults={"is_staff": True}
    )
    if not Membership.objects.filter(user=admin, unit=unit).exists():
        org.assign_role(
            by=User.objects.get(username="admin"), user=admin, unit=unit, role=Role.UNIT_ADMIN
        )
    from bench.gunicorn_server import accept_privacy_notice

    accept_privacy_notice([admin])  # as every member has, before any admin screen opens
    client = Client()
    client.force_login(admin)
    entries = OutreachEntry.objects.filter(team__path__startswith=unit.path).count()
    members = Membership.objects.current().filter(unit__path__startswith=unit.path).count()
    url = f"/admin/reports/outreach/?unit={unit.pk}"
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    province_p50, province_p95 = timed(client, url)
    print(
        f"province outreach report ({members} members, {entries} entries, 12 weeks): "
        f"p50={province_p50:.0f}ms p95={province_p95:.0f}ms, {len(queries)} queries"
    )
    commune = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).first()
    p50, commune_p95 = timed(client, f"/admin/reports/outreach/?unit={commune.pk}")
    print(f"commune outreach report: p50={p50:.0f}ms p95={commune_p95:.0f}ms")
    p50, p95 = timed(client, f"{url}&date_from=2000-01-01&date_to=2100-01-01", runs=5)
    print(f"province, whole history: p50={p50:.0f}ms p95={p95:.0f}ms")
    job = ReportExport.objects.create(
        created_by=admin, kind="OUTREACH", file_format="xlsx", params={"unit": unit.pk}
    )
    started = time.perf_counter()
    job = services.build_export(export_id=job.pk)
    export_seconds = time.perf_counter() - started
    print(f"province outreach XLSX export: {export_seconds:.2f}s, {job.total} rows")
    print(f"db={connection.vendor}")
    from bench.result import report

    report(
        scenario=f"outreach report, province ({members:,} members, {entries:,} entries)",
        budget="none set (recorded)",
        measured=f"province p50 {province_p50:.0f} ms, p95 {province_p95:.0f} ms; "
        f"XLSX export {export_seconds:.1f} s",
        met=True,
        baseline=f"a commune p95 {commune_p95:.0f} ms",
        ratio=province_p95 / commune_p95,
    )


if __name__ == "__main__":
    main()
