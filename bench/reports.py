"""Report speed: the province dashboard over 10,195 members / ~1,111 teams with realistic
learning data, the national view from the roll-up, and the province XLSX export; with
`--national 400000` a second, national-size tree of 400,000 members (with the same learning
data) sits in the same database, and the filtered dashboard and the overdue member list of
the province are measured with the whole country beside them.

    createdb -h 127.0.0.1 -U postgres bench_reports   # once
    DATABASE_URL=postgres://postgres@127.0.0.1/bench_reports \\
        .venv/bin/python bench/reports.py [--national 400000] [--port 8765]

Pages are measured over HTTP from gunicorn (2 gthread workers, DEBUG off), as deployed.
Budgets (PostgreSQL): province dashboard p95 ≤ 100 ms; with 400,000 members in the
database a filtered province dashboard (role, campaign or period) p95 ≤ 150 ms and the
overdue member list p95 ≤ 200 ms; national view ≤ 500 ms; province XLSX export ≤ 30 s; the
roll-up refresh of every tree within its 5-minute interval. Every page is also reported as a
ratio to Wagtail's own admin home page measured in the same run, since absolute times on a
shared 2-core box are noisy. Ends with one `bench.result.report` line per budget.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "false")

from bench import gunicorn_server
from bench.gunicorn_server import get, gunicorn, session_key_for
from bench.result import report


def fill_learning(province, rng) -> None:
    """Progress for the members under `province`: 70 % started the scams course, 45 %
    completed it, 40 % hold a certificate (some expiring or lapsed), 50 % sat its quiz."""
    from datetime import timedelta

    from django.utils import timezone

    from certificates import codes
    from certificates.models import Certificate
    from courses.models import CourseCompletion, CoursePage, LessonPage, LessonProgress
    from organisations.models import Membership
    from quizzes.models import Attempt, QuizPage

    course = CoursePage.objects.get(slug="nhan-dien-lua-dao-truc-tuyen")
    lessons = list(LessonPage.objects.child_of(course))
    quiz = QuizPage.objects.child_of(course).first()
    users = list(
        Membership.objects.filter(unit__path__startswith=province.path).values_list(
            "user_id", flat=True
        )
    )
    now = timezone.now()
    started = [u for u in users if rng.random() < 0.7]
    completed = [u for u in started if rng.random() < 0.65]
    done = set(completed)
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(
                user_id=u,
                lesson=lesson,
                completed_at=now if u in done else None,
            )
            for u in started
            for lesson in lessons[:2]
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    CourseCompletion.objects.bulk_create(
        [
            CourseCompletion(
                user_id=u, course=course, completed_at=now - timedelta(days=rng.randint(0, 80))
            )
            for u in completed
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    completions = dict(CourseCompletion.objects.filter(course=course).values_list("user_id", "pk"))
    Certificate.objects.bulk_create(
        [
            Certificate(
                code=codes.new_code(),
                user_id=u,
                course=course,
                completion_id=completions[u],
                issued_at=now - timedelta(days=300),
                expires_at=now + timedelta(days=rng.choice([-20, 15, 200, 400])),
                full_name="Thành viên",
                course_title=course.title,
            )
            for u in completed
            if rng.random() < 0.9
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    Attempt.objects.bulk_create(
        [
            Attempt(
                user_id=u,
                quiz=quiz,
                number=1,
                served=[],
                scoring_policy="ALL_OR_NOTHING",
                pass_mark=80,
                state="SUBMITTED",
                submitted_at=now,
                percent=rng.randint(30, 100),
                passed=None,
            )
            for u in started
            if rng.random() < 0.7
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


def province(prefix: str, members: int, rng):
    from bench.seed import seed
    from organisations.models import OrgUnit

    unit = OrgUnit.objects.filter(code=prefix).first()
    if unit is None:
        seed(members=members, prefix=prefix, phone_offset=rng.randint(1, 9) * 10_000_000)
        unit = OrgUnit.objects.get(code=prefix)
        started = time.perf_counter()
        fill_learning(unit, rng)
        print(f"learning data for {prefix}: {time.perf_counter() - started:.1f}s")
    return unit


def timed(url, session_key, runs):
    """p50 and p95 in ms of `runs` GETs, one at a time, after a warm-up."""
    timings = []
    for n in range(runs + 10):
        status, _, seconds = get(url, session_key)
        assert status == 200, (url, status)
        if n >= 10:  # warm: both gunicorn workers have loaded templates and caches
            timings.append(seconds)
    return statistics.median(timings) * 1000, statistics.quantiles(timings, n=20)[18] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_195)
    parser.add_argument(
        "--national", type=int, default=0, help="members in a second, national-size tree"
    )
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--port", type=int, default=gunicorn_server.PORT, help="for gunicorn")
    parser.add_argument(
        "--seed-only", action="store_true", help="seed the database (make bench's nation) and stop"
    )
    args = parser.parse_args()
    gunicorn_server.PORT = args.port
    import django

    django.setup()
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]  # the test client's "testserver", for the query count
    call_command("migrate", verbosity=0)
    from courses.models import CoursePage

    if not CoursePage.objects.filter(slug="nhan-dien-lua-dao-truc-tuyen").exists():
        # Once: seeding again would also run the demo's renewal job over the bench members.
        call_command("seed_demo", stdout=StringIO())
    rng = random.Random(7)
    unit = province("BRP", args.members, rng)
    if args.national:
        province("BRN", args.national, rng)
    if args.seed_only:
        return

    from accounts.models import User
    from organisations import services as org
    from organisations.models import Membership, Role
    from reports import services
    from reports.models import ReportExport

    admin, _ = User.objects.get_or_create(
        username="bench-province-admin", defaults={"is_staff": True}
    )
    if not Membership.objects.filter(user=admin, unit=unit).exists():
        org.assign_role(
            by=User.objects.get(username="admin"), user=admin, unit=unit, role=Role.UNIT_ADMIN
        )
    from privacy import selectors as privacy
    from privacy import services as privacy_services

    notice = privacy.current_notice()
    for person in (admin, User.objects.get(username="admin")):
        # Signed-in pages wait behind the privacy notice until it is accepted.
        if notice and privacy.accepted_version(person) < notice.version:
            privacy_services.accept_notice(user=person, notice=notice)
    from datetime import timedelta

    from django.utils import timezone

    from training.models import Campaign

    campaign = Campaign.objects.filter(title="Bench: overdue drive").first()
    if campaign is None:
        campaign = Campaign.objects.create(
            title="Bench: overdue drive",
            starts_on=timezone.localdate() - timedelta(days=30),
            due_on=timezone.localdate() - timedelta(days=3),
            status="RUNNING",
            created_by=admin,
        )
        campaign.courses.set(CoursePage.objects.filter(slug="nhan-dien-lua-dao-truc-tuyen"))
        campaign.target_units.set([unit])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum does after bulk inserts
    total = Membership.objects.count()
    started = time.perf_counter()
    services.refresh_rollups()
    rollup_seconds = time.perf_counter() - started
    print(f"roll-up refresh (all trees, any course + each course): {rollup_seconds:.1f}s")
    client = Client()
    client.force_login(admin)
    url = f"/admin/reports/?unit={unit.pk}"
    today = timezone.localdate()
    filtered = {
        "role": f"{url}&role=MEMBER",
        "campaign": f"{url}&campaign={campaign.pk}",
        "period": f"{url}&date_from={today - timedelta(days=90)}&date_to={today}",
    }
    query_counts = {}
    for name, address in {"roll-up": url, **filtered}.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(address)
        query_counts[name] = len(queries)
    members = Membership.objects.filter(unit__path__startswith=unit.path).count()
    province_admin = session_key_for(admin)
    national_admin = session_key_for(User.objects.get(username="admin"))
    size = f"{members} members, {total} memberships in the database"
    with gunicorn(workers=2):
        base_p50, base_p95 = timed("/admin/", province_admin, args.runs)
        baseline = f"Wagtail admin home p95 {base_p95:.0f} ms (same run)"
        print(f"admin home (baseline): p50={base_p50:.0f}ms p95={base_p95:.0f}ms")
        p50, p95 = timed(url, province_admin, args.runs)
        print(
            f"province dashboard ({members} members, roll-up): p50={p50:.0f}ms p95={p95:.0f}ms, "
            f"{query_counts['roll-up']} queries | ratio p95 {p95 / base_p95:.1f}x"
        )
        results = [
            {
                "scenario": f"province dashboard from the roll-up ({size})",
                "budget": "p95 ≤ 100 ms",
                "measured": f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
                "met": p95 <= 100,
                "ratio": p95 / base_p95,
            }
        ]
        for name, address in filtered.items():
            p50, p95 = timed(address, province_admin, args.runs)
            print(
                f"province dashboard counted live ({name} filter): p50={p50:.0f}ms "
                f"p95={p95:.0f}ms, {query_counts[name]} queries | ratio p95 {p95 / base_p95:.1f}x"
            )
            results.append(
                {
                    "scenario": f"filtered province dashboard, {name} filter ({size})",
                    "budget": "p95 ≤ 150 ms",
                    "measured": f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
                    "met": p95 <= 150,
                    "ratio": p95 / base_p95,
                }
            )
        for name in ("trend", "pass-rates"):
            chart = f"/admin/reports/charts/{name}.svg?unit={unit.pk}"
            p50, p95 = timed(chart, province_admin, args.runs // 2)
            print(f"chart {name}: p50={p50:.0f}ms p95={p95:.0f}ms")
        members_url = f"/admin/reports/members/?unit={unit.pk}&status=overdue"
        p50, p95 = timed(members_url, province_admin, args.runs)
        print(
            f"member list page (overdue, 50 per page): p50={p50:.0f}ms p95={p95:.0f}ms "
            f"| ratio p95 {p95 / base_p95:.1f}x"
        )
        results.append(
            {
                "scenario": f"province member list, overdue, 50 a page ({size})",
                "budget": "p95 ≤ 200 ms",
                "measured": f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
                "met": p95 <= 200,
                "ratio": p95 / base_p95,
            }
        )
        p50, p95 = timed("/admin/reports/", national_admin, args.runs)
        print(
            f"national view from the roll-up ({total} memberships): p50={p50:.0f}ms p95={p95:.0f}ms"
        )
        results.append(
            {
                "scenario": f"national view from the roll-up ({total} memberships)",
                "budget": "p95 ≤ 500 ms",
                "measured": f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
                "met": p95 <= 500,
                "ratio": p95 / base_p95,
            }
        )

    for kind, status in (("MEMBERS", ""), ("UNITS", "")):
        job = ReportExport.objects.create(
            created_by=admin,
            kind=kind,
            file_format="xlsx",
            params={"unit": unit.pk, "status": status},
        )
        started = time.perf_counter()
        job = services.build_export(export_id=job.pk)
        seconds = time.perf_counter() - started
        print(
            f"province {kind} XLSX export: {seconds:.1f}s, "
            f"{job.total} rows, {job.file.size // 1024} KB"
        )
        results.append(
            {
                "scenario": f"province {kind} XLSX export, {job.total} rows ({size})",
                "budget": "≤ 30 s",
                "measured": f"{seconds:.1f} s",
                "met": seconds <= 30,
            }
        )
    results.append(
        {
            "scenario": f"roll-up refresh, every tree, any course and each ({total} memberships)",
            "budget": "≤ 300 s (its refresh interval)",
            "measured": f"{rollup_seconds:.1f} s",
            "met": rollup_seconds <= 300,
        }
    )
    print(f"db={connection.vendor}")
    for result in results:
        if "ratio" in result:
            result["baseline"] = baseline
        report(**result)


if __name__ == "__main__":
    main()
