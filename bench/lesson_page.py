"""Lesson page for a logged-in member, against a bare Wagtail page with the same blocks.

    DATABASE_URL=postgres://postgres@127.0.0.1/bench_lesson REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/lesson_page.py --rate 100

Migrates the database and loads the demo (once: a database that already has the bare page
is reused), copies the body of the demo lesson with the most blocks into a
`bench.barepage.BarePage` (same site template, same blocks, served by Wagtail's own
`Page.serve` with nothing kept between requests: none of the lesson's own work or caches),
starts gunicorn and has logged-in members fetch each page (a fresh connection each, as a
phone opening a page). Two readings, each alternating rounds of both pages in the same run:

- throughput, closed loop: `--concurrency` clients each sending the next request as soon
  as the last returns; budget: the lesson page at ≥ 1.5 × the bare page's throughput;
- latency, open loop: requests arrive on a fixed schedule of `--rate` per second (latency
  counted from when each was due, so waiting for a free client counts); budget: the lesson
  page's p95 ≤ 100 ms at that rate.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DEBUG", "false")

from bench import gunicorn_server
from bench.gunicorn_server import (
    closed_loop,
    cpu_seconds,
    get,
    gunicorn,
    paced,
    session_key_for,
)
from bench.result import report

RATIO_BUDGET = 1.5
P95_BUDGET_MS = 100


def prepare(members: int) -> tuple[str, str, list[str]]:
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User
    from bench.barepage.models import BarePage
    from courses.models import LessonPage
    from home.models import HomePage
    from privacy.selectors import current_notice
    from privacy.services import accept_notice

    call_command("migrate", verbosity=0)
    bare = BarePage.objects.filter(slug="bare-lesson").first()
    if bare is None:
        call_command("seed_demo", stdout=StringIO())
    lesson = max(LessonPage.objects.live(), key=lambda page: len(page.body))
    if bare is None:
        bare = HomePage.objects.first().add_child(
            instance=BarePage(title=lesson.title, slug="bare-lesson", body=lesson.body.raw_data)
        )
    stamp = int(time.time())
    users = [
        User.objects.create(username=f"bench-{stamp}-{n}", first_name="Bench")
        for n in range(members)
    ]
    notice = current_notice()
    for user in users:  # members have accepted the privacy notice (the first view notes it)
        if notice is not None:
            accept_notice(user=user, notice=notice)
    sessions = [session_key_for(user) for user in users]
    print(f"lesson: {lesson.title!r}, {len(lesson.body)} blocks; bare page: {len(bare.body)}")
    return lesson.url, bare.url, sessions


def fetch(path: str):
    def one(session_key: str) -> float:
        status, _body, seconds = get(path, session_key)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        return seconds

    return one


def summary(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--requests", type=int, default=1000, help="per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rate", type=float, default=100, help="arrivals/s, open loop")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=gunicorn_server.PORT)
    args = parser.parse_args()
    gunicorn_server.PORT = args.port
    lesson_url, bare_url, sessions = prepare(args.members)
    rotation = [sessions[n % len(sessions)] for n in range(args.requests)]
    pages = (("bare", bare_url), ("lesson", lesson_url))
    closed = {name: ([], 0.0) for name, _url in pages}
    opened = {name: [] for name, _url in pages}
    cpu = dict.fromkeys(closed, 0.0)  # gunicorn's CPU seconds during the closed loops
    with gunicorn(workers=args.workers, threads=args.threads) as server:
        closed_loop(fetch(lesson_url), sessions, args.concurrency)  # first views, caches
        closed_loop(fetch(bare_url), sessions[:20], args.concurrency)
        for _round in range(args.rounds):
            for name, url in pages:
                before = cpu_seconds(server)
                latencies, elapsed = closed_loop(fetch(url), rotation, args.concurrency)
                cpu[name] += cpu_seconds(server) - before
                kept, seconds = closed[name]
                closed[name] = (kept + latencies, seconds + elapsed)
            for name, url in pages:
                latencies, _elapsed = paced(fetch(url), rotation, args.concurrency, args.rate)
                opened[name] += latencies
    setup = f"gunicorn {args.workers}x{args.threads} gthread"
    rates = {}
    for name, (latencies, seconds) in closed.items():
        rates[name] = len(latencies) / seconds
        cut = summary(latencies)
        print(
            f"{name}, closed loop: requests={len(latencies)} concurrency={args.concurrency} "
            f"{setup} throughput={rates[name]:.0f}/s p50={cut['p50']:.0f}ms "
            f"p95={cut['p95']:.0f}ms p99={cut['p99']:.0f}ms "
            f"web CPU per request={cpu[name] / len(latencies) * 1000:.2f}ms"
        )
    for name, latencies in opened.items():
        cut = summary(latencies)
        print(
            f"{name}, open loop at {args.rate:g}/s: requests={len(latencies)} "
            f"p50={cut['p50']:.0f}ms p95={cut['p95']:.0f}ms p99={cut['p99']:.0f}ms"
        )
    ratio = rates["lesson"] / rates["bare"]
    print(f"lesson / bare throughput = {ratio:.2f} (budget ≥ {RATIO_BUDGET})")
    # On a machine shared with other work the throughput ratio moves with the neighbours;
    # the CPU the server spent per request does much less.
    print(f"bare / lesson web CPU per request = {cpu['bare'] / cpu['lesson']:.2f}")
    report(
        scenario="lesson page vs bare Wagtail page",
        budget=f"≥ {RATIO_BUDGET}×",
        measured=f"{ratio:.2f}× (lesson {rates['lesson']:.0f}/s, bare {rates['bare']:.0f}/s; "
        f"web CPU per request {cpu['bare'] / cpu['lesson']:.2f}× less)",
        met=ratio >= RATIO_BUDGET,
        baseline=f"bare Wagtail page, same blocks, same run ({setup}, "
        f"{args.concurrency} clients, closed loop)",
        ratio=ratio,
    )
    p95 = summary(opened["lesson"])["p95"]
    bare_p95 = summary(opened["bare"])["p95"]
    report(
        scenario=f"lesson page p95 at {args.rate:g} req/s",
        budget=f"≤ {P95_BUDGET_MS} ms",
        measured=f"p95 {p95:.0f} ms (bare page p95 {bare_p95:.0f} ms)",
        met=p95 <= P95_BUDGET_MS,
        baseline=f"bare Wagtail page at the same rate, same run ({setup})",
    )


if __name__ == "__main__":
    main()
