"""Graded quiz submissions under load: throughput, p95 latency, none lost.

    DATABASE_URL=postgres://postgres@127.0.0.1/bench_quiz REDIS_URL=redis://127.0.0.1:6379/12 \
        .venv/bin/python bench/quiz_submit.py --submissions 1000 --concurrency 50

Migrates the (fresh) database, loads the demo, creates one member per submission with an
answered 5-question attempt, starts gunicorn on 127.0.0.1 and POSTs every submit at once
from `--concurrency` threads. Budget: ≥ 150 graded submissions/s, p95 ≤ 200 ms at 50
concurrent, none lost.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "false")

from bench.gunicorn_server import CSRF, PORT, gunicorn, session_key_for


def prepare(count: int) -> list[tuple[int, str]]:
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User
    from quizzes import services
    from quizzes.models import QuizPage

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    quiz = QuizPage.objects.live().first()
    jobs = []
    stamp = int(time.time())
    for n in range(count):
        user = User.objects.create(username=f"bench-{stamp}-{n}", first_name="Bench")
        attempt = services.start_attempt(user=user, quiz=quiz)
        for item in attempt.served:
            right = [c["id"] for c in item["choices"] if c["correct"]]
            services.save_answer(
                user=user, attempt=attempt, question_id=item["question"], choice_ids=right
            )
        jobs.append((attempt.pk, session_key_for(user)))
    return jobs


def submit(job) -> float:
    attempt_id, session_key = job
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request(
        "POST",
        f"/quiz/attempts/{attempt_id}/submit/",
        body="",
        headers={
            "Host": "localhost",
            "Cookie": f"sessionid={session_key}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 302:
        raise RuntimeError(f"attempt {attempt_id}: HTTP {response.status}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--client",
        choices=["python", "wrk"],
        default="python",
        help="wrk (C) takes far less CPU from the machine under test",
    )
    parser.add_argument("--seconds", type=int, default=8, help="wrk run length")
    args = parser.parse_args()
    jobs = prepare(args.submissions)
    with gunicorn(workers=args.workers):
        if args.client == "wrk":
            run_wrk(jobs, args)
            return
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            latencies = list(pool.map(submit, jobs))
        elapsed = time.perf_counter() - started
    from quizzes.models import Attempt

    graded = Attempt.objects.filter(pk__in=[pk for pk, _ in jobs], percent__isnull=False).count()
    p95 = statistics.quantiles(latencies, n=20)[18]
    print(
        f"submissions={len(jobs)} concurrency={args.concurrency} workers={args.workers} "
        f"throughput={len(jobs) / elapsed:.0f}/s p50={statistics.median(latencies) * 1000:.0f}ms "
        f"p95={p95 * 1000:.0f}ms graded={graded} lost={len(jobs) - graded}"
    )


def run_wrk(jobs, args) -> None:
    """Each request takes the next unsubmitted attempt; more attempts than requests are made."""
    import tempfile

    entries = ",".join(
        '{"%s","%s"}' % (f"/quiz/attempts/{pk}/submit/", f"sessionid={key}; csrftoken={CSRF}")  # noqa: UP031
        for pk, key in jobs
    )
    script = f"""
local jobs = {{{entries}}}
local counter = 0
local threads = {{}}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
end
function request()
  counter = counter + 1
  local index = (counter - 1) * 2 + id + 1
  local job = jobs[index] or jobs[#jobs]
  return wrk.format("POST", job[1], {{["Host"]="localhost", ["Cookie"]=job[2], ["X-CSRFToken"]="{
        CSRF
    }",
    ["Content-Type"]="application/x-www-form-urlencoded"}}, "")
end
"""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{args.concurrency}",
            f"-d{args.seconds}s",
            "--latency",
            "-s",
            handle.name,
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    from quizzes.models import Attempt

    graded = Attempt.objects.filter(pk__in=[pk for pk, _ in jobs], percent__isnull=False).count()
    print(output)
    print(
        f"graded={graded} of {len(jobs)} prepared (requests beyond that re-read a graded attempt)"
    )


if __name__ == "__main__":
    main()
