"""Reports for a past period after mergers: the province of 10,195 members, a fifth of its
communes merged into a neighbour on 01/07/2025, reported for 01/01/2025–30/06/2025.

    createdb -h 127.0.0.1 -U postgres bench_history   # once
    DATABASE_URL=postgres://postgres@127.0.0.1/bench_history \\
        .venv/bin/python bench/report_history.py

Measures `reports.figures.breakdown` (the dashboard's count) for the province and for a
merged commune: the present period (which must not get slower: it reads no history), the
past period before the mergers, and the same past period after them, which must give the
same figures. Times are medians of 15 runs in this process (no HTTP).
"""

import os
import random
import statistics
import sys
import time
from datetime import date
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "false")

SINCE, MERGER = date(2024, 1, 1), date(2025, 7, 1)
PAST = (date(2025, 1, 1), date(2025, 6, 30))
PREFIX = "HIST"


def median_ms(function, runs=15) -> float:
    function()  # warm-up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(1000 * (time.perf_counter() - started))
    return statistics.median(timings)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.reports import province
    from organisations import services as org
    from organisations.models import Membership, OrgUnit, UnitKind
    from reports.figures import breakdown
    from reports.filters import Filters

    call_command("migrate", verbosity=0)
    from home.models import HomePage

    if not HomePage.objects.exists():
        call_command("seed_demo", stdout=StringIO())
    rng = random.Random(2025)
    top = province(PREFIX, 10_195, rng)
    units = OrgUnit.objects.filter(path__startswith=top.path)
    units.update(valid_from=SINCE)
    Membership.objects.filter(unit__path__startswith=top.path).update(started_on=SINCE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    top.refresh_from_db()
    communes = list(units.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).order_by("path"))
    merged = communes[1::5]  # every fifth commune merges into the one before it
    now = timezone.now()
    present = Filters()
    past = Filters(date_from=PAST[0], date_to=PAST[1])

    def report(unit, filters):
        rows, totals = breakdown(OrgUnit.objects.get(pk=unit.pk), filters, now=now)
        return {row.unit.code: row.figures for row in rows}, totals

    print(f"{len(communes)} communes, {len(merged)} to merge, {units.count()} units")
    before = {u.code: report(u, past) for u in (top, *merged)}
    timings = {
        "province, present": median_ms(lambda: report(top, present)),
        "province, past, no merger yet": median_ms(lambda: report(top, past)),
    }
    started = time.perf_counter()
    for source in merged:
        target = communes[communes.index(source) - 1]
        org.merge_units(
            source=OrgUnit.objects.get(pk=source.pk),
            target=OrgUnit.objects.get(pk=target.pk),
            on=MERGER,
        )
    print(f"{len(merged)} mergers: {time.perf_counter() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    after = {u.code: report(u, past) for u in (top, *merged)}
    assert after == before, "a past report changed with the mergers"
    timings["province, present, after mergers"] = median_ms(lambda: report(top, present))
    timings["province, past, after mergers"] = median_ms(lambda: report(top, past))
    timings["merged commune, past"] = median_ms(lambda: report(merged[0], past))
    for name, ms in timings.items():
        print(f"{name:40} {ms:7.1f} ms")
    print("past reports after the mergers equal those before: yes")
    from bench.result import report as bench_report

    bench_report(
        scenario=f"province report, past period after {len(merged)} mergers",
        budget="same figures as before the mergers (asserted)",
        measured=f"identical; {timings['province, past, after mergers']:.0f} ms "
        f"(present {timings['province, present, after mergers']:.0f} ms)",
        met=True,
        baseline=f"the past before the mergers {timings['province, past, no merger yet']:.0f} ms",
        ratio=timings["province, past, after mergers"] / timings["province, past, no merger yet"],
    )


if __name__ == "__main__":
    main()
