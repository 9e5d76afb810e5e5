"""Lesson page for a logged-in member, against a bare Wagtail page with the same blocks.

    DATABASE_URL=postgres://postgres@127.0.0.1/bench_lesson REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/lesson_page.py

Migrates the (fresh) database, loads the demo, copies the body of the demo lesson with the
most blocks into a `bench.barepage.BarePage` (same site template, same blocks, none of the
lesson's own work: course, progress, neighbours), starts gunicorn and has `--concurrency`
logged-in members fetch each page in turn, each client sending its next request as soon as
the last returns (a fresh connection each, as a phone opening a page). Budgets: p95 ≤ 100 ms
at 20 concurrent; at least 0.8 × the bare page's throughput, measured in the same run.
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

from bench.gunicorn_server import closed_loop, get, gunicorn, session_key_for


def prepare(members: int) -> tuple[str, str, list[str]]:
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User
    from bench.barepage.models import BarePage
    from courses.models import LessonPage
    from home.models import HomePage

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    lesson = max(LessonPage.objects.live(), key=lambda page: len(page.body))
    bare = HomePage.objects.first().add_child(
        instance=BarePage(title=lesson.title, slug="bare-lesson", body=lesson.body.raw_data)
    )
    stamp = int(time.time())
    sessions = [
        session_key_for(User.objects.create(username=f"bench-{stamp}-{n}", first_name="Bench"))
        for n in range(members)
    ]
    print(f"lesson: {lesson.title!r}, {len(lesson.body)} blocks")
    return lesson.url, bare.url, sessions


def fetch_all(path: str, sessions: list[str], concurrency: int) -> tuple[list[float], float]:
    def one(session_key: str) -> float:
        status, _body, seconds = get(path, session_key)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        return seconds

    return closed_loop(one, sessions, concurrency)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--requests", type=int, default=1000, help="per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    lesson_url, bare_url, sessions = prepare(args.members)
    rotation = [sessions[n % len(sessions)] for n in range(args.requests)]
    results = {"bare": ([], 0.0), "lesson": ([], 0.0)}
    with gunicorn(workers=args.workers, threads=args.threads):
        fetch_all(lesson_url, sessions, args.concurrency)  # first views: progress rows, caches
        fetch_all(bare_url, sessions[:20], args.concurrency)
        for _round in range(args.rounds):
            for name, url in (("bare", bare_url), ("lesson", lesson_url)):
                latencies, elapsed = fetch_all(url, rotation, args.concurrency)
                kept, seconds = results[name]
                results[name] = (kept + latencies, seconds + elapsed)
    rates = {}
    for name, (latencies, seconds) in results.items():
        cuts = statistics.quantiles(latencies, n=100)
        rates[name] = len(latencies) / seconds
        print(
            f"{name}: requests={len(latencies)} concurrency={args.concurrency} "
            f"workers={args.workers}x{args.threads} throughput={rates[name]:.0f}/s "
            f"p50={cuts[49] * 1000:.0f}ms p95={cuts[94] * 1000:.0f}ms p99={cuts[98] * 1000:.0f}ms"
        )
    print(f"lesson / bare throughput = {rates['lesson'] / rates['bare']:.2f} (budget ≥ 0.8)")


if __name__ == "__main__":
    main()
