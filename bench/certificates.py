"""Certificate PDF speed: one render, and issuing N certificates on one process.

    DATABASE_URL=postgres://postgres@127.0.0.1/bench_cert \
        .venv/bin/python bench/certificates.py --issue 500

Budget: one certificate ≤ 25 ms to render; 10,195 certificates ≤ 5 minutes on one worker
(the issue run is extrapolated linearly to 10,195).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--issue", type=int, default=500)
    args = parser.parse_args()
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    from accounts.models import User
    from certificates import pdf, services
    from certificates.models import Certificate
    from courses.models import CourseCompletion, CoursePage

    sample = Certificate.objects.first()
    url = services.verify_url(sample.code)
    pdf.render_pdf(sample, verify_url=url)  # fonts registered once per process
    timings = []
    for _ in range(args.renders):
        started = time.perf_counter()
        pdf.render_pdf(sample, verify_url=url)
        timings.append(time.perf_counter() - started)
    course = CoursePage.objects.get(slug="an-toan-thong-tin-bao-ve-tai-khoan")
    stamp = int(time.time())
    users = User.objects.bulk_create(
        [
            User(username=f"cert-{stamp}-{n}", first_name="Tuyết", last_name="Nguyễn Thị Ánh")
            for n in range(args.issue)
        ]
    )
    users = list(User.objects.filter(username__startswith=f"cert-{stamp}-"))
    completions = CourseCompletion.objects.bulk_create(
        [CourseCompletion(user=u, course=course) for u in users]
    )
    completions = list(CourseCompletion.objects.filter(user__in=users, course=course))
    started = time.perf_counter()
    for completion in completions:
        services.issue_certificate(completion_id=completion.pk)
    issue_seconds = time.perf_counter() - started
    per = issue_seconds / len(completions)
    mean, p95 = statistics.mean(timings) * 1000, statistics.quantiles(timings, n=20)[18] * 1000
    print(
        f"render: mean={mean:.1f}ms p95={p95:.1f}ms "
        f"| issue {len(completions)}: {issue_seconds:.1f}s ({per * 1000:.1f} ms each) "
        f"→ 10,195 in {per * 10195 / 60:.1f} min | db={django.db.connection.vendor}"
    )

    from bench.result import report

    report(
        scenario="certificate PDF, one render",
        budget="≤ 25 ms",
        measured=f"mean {mean:.1f} ms, p95 {p95:.1f} ms over {len(timings)} renders",
        met=p95 <= 25,
    )
    report(
        scenario="10,195 certificates on one worker",
        budget="≤ 5 min",
        measured=(
            f"{per * 10195 / 60:.1f} min (extrapolated from {len(completions)} issued "
            f"in {issue_seconds:.1f} s, {django.db.connection.vendor})"
        ),
        met=per * 10195 <= 300,
    )


if __name__ == "__main__":
    main()
