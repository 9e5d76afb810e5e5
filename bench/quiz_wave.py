"""A training-session wave: N members of one commune start the same timed quiz within a
minute, answer its 10 questions over a few minutes and submit (issue 19).

    DATABASE_URL=postgres://postgres@127.0.0.1/bench_wave REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/quiz_wave.py --members 500,1000,2000,5000 --minutes 5

Migrates the database (fresh, or the 400,000-member one: it only adds), loads the demo if
it is not there, adds a commune of N members (teams of 10) and a timed 10-question quiz,
logs every member in through the session engine, then starts gunicorn and a Celery worker
at `nice -n 10` on this machine. Each member, as a phone without JavaScript does, opens the
quiz page, starts the attempt, and for each question opens its screen and posts the answer
(thinking in between, so the 10 answers take about `--minutes`), opens the check page,
submits and opens the result. Each request is a fresh connection, timed from its sending
to its last byte. Members start at random moments within `--start-window` seconds.

Afterwards the database is read back: every answer that got a success response must be
stored as sent, every attempt whose submit got a success response must be graded. Each N of
the ramp is one run with its own members; the ramp stops at the first N that fails
(`--keep-going` runs the rest). The same-run baseline is the quiz page fetched by one member
alone before the wave. The load generator is one asyncio process; its CPU is reported so a
saturated client is not mistaken for a slow server.

Budget: p95 ≤ 1 s for every step and nothing lost (no answer or submit lost, no errors),
goal N = 1,000, moonshot 5,000. See docs/benchmarks.md.
"""

import argparse
import asyncio
import math
import os
import random
import re
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "false")

from bench.gunicorn_server import (
    CSRF,
    PORT,
    accept_privacy_notice,
    cpu_seconds,
    gunicorn,
    session_key_for,
)
from bench.quiz_submit import celery_worker
from bench.result import report

QUESTIONS = 10
QUIZ_SLUG = "bench-wave-quiz"
STEPS = ("quiz page", "start", "question", "answer", "check", "submit", "result")
BUDGET_SECONDS = 1.0
GOAL, MOONSHOT = 1000, 5000
TIMEOUT = 60.0
# Seconds a member spends, at random within these, on the quiz's rules before starting and
# on the check page before submitting.
DWELL = {"rules": (2.0, 8.0), "check": (3.0, 10.0)}

# --- the HTTP client: one asyncio process, one fresh connection per request -----------------


@dataclass
class Reply:
    status: int
    location: str
    body: str


async def http(method: str, path: str, session_key: str, form: str = "") -> Reply:
    """One request with a fresh connection (HTTP/1.0, so the server closes it after the
    response and the body is read to the end), as a phone opening a page."""
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    try:
        head = [
            f"{method} {path} HTTP/1.0",
            "Host: localhost",
            f"Cookie: sessionid={session_key}; csrftoken={CSRF}",
            "Accept-Language: vi",
        ]
        payload = form.encode()
        if method == "POST":
            head += [
                f"X-CSRFToken: {CSRF}",
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(payload)}",
            ]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        await writer.drain()
        raw = await reader.read(-1)
    finally:
        writer.close()
    return parse_reply(raw)


def parse_reply(raw: bytes) -> Reply:
    header, _, body = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    location = ""
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "location":
            location = value.strip()
    return Reply(status, location, body.decode("utf-8", "replace"))


CHOICE = re.compile(r'name="q-(\d+)" value="(\d+)"')


def choices_on_screen(html: str) -> tuple[int, list[int]]:
    """The question on a one-question screen and its choice ids, read from the form."""
    found = CHOICE.findall(html)
    if not found:
        raise ValueError("no question on the screen")
    questions = {int(q) for q, _ in found}
    if len(questions) != 1:
        raise ValueError(f"{len(questions)} questions on one screen")
    return questions.pop(), [int(c) for _, c in found]


def think_times(rng: random.Random, minutes: float, count: int = QUESTIONS) -> list[float]:
    """Seconds spent on each question: uneven (some questions read twice, some answered at
    once), adding up to about `minutes` (±15 % between members)."""
    weights = [rng.uniform(0.3, 1.7) for _ in range(count)]
    total = minutes * 60 * rng.uniform(0.85, 1.15)
    return [total * w / sum(weights) for w in weights]


def percentile(values: list[float], pct: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


# --- one member's flow ----------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STEPS, 0))
    error_samples: list[str] = field(default_factory=list)
    answered: list[tuple[int, int, int]] = field(default_factory=list)  # attempt, question, choice
    submitted: list[int] = field(default_factory=list)
    finished: int = 0
    in_flight: int = 0
    most_in_flight: int = 0


class StepFailed(Exception):
    pass


async def timed(tally: Tally, step: str, method: str, path: str, key: str, form: str = ""):
    tally.in_flight += 1
    tally.most_in_flight = max(tally.most_in_flight, tally.in_flight)
    started = time.perf_counter()
    try:
        reply = await asyncio.wait_for(http(method, path, key, form), TIMEOUT)
    except (OSError, TimeoutError, ValueError, IndexError) as error:
        tally.errors[step] += 1
        if len(tally.error_samples) < 10:
            tally.error_samples.append(f"{step} {path}: {type(error).__name__} {error}")
        raise StepFailed from error
    finally:
        tally.in_flight -= 1
    tally.latencies[step].append(time.perf_counter() - started)
    return reply


def expect(tally: Tally, step: str, reply: Reply, status: int, where: str = "") -> None:
    if reply.status != status or (where and where not in reply.location):
        tally.errors[step] += 1
        if len(tally.error_samples) < 10:
            tally.error_samples.append(f"{step}: HTTP {reply.status} {reply.location}")
        raise StepFailed(step)


async def member(tally: Tally, quiz_url: str, key: str, delay: float, rng: random.Random, args):
    await asyncio.sleep(delay)
    try:
        reply = await timed(tally, "quiz page", "GET", quiz_url, key)
        expect(tally, "quiz page", reply, 200)
        await asyncio.sleep(rng.uniform(*DWELL["rules"]))  # then presses "Start the quiz"
        reply = await timed(tally, "start", "POST", quiz_url, key)
        expect(tally, "start", reply, 302, "/quiz/attempts/")
        attempt_path = reply.location.split("?")[0]
        attempt_id = int(attempt_path.rstrip("/").rsplit("/", 1)[1])
        path = attempt_path
        for number, seconds in enumerate(think_times(rng, args.minutes), start=1):
            reply = await timed(tally, "question", "GET", path, key)
            expect(tally, "question", reply, 200)
            question, choices = choices_on_screen(reply.body)
            await asyncio.sleep(seconds)
            choice = rng.choice(choices)
            last = number == QUESTIONS
            form = f"q-{question}={choice}&" + ("action=review" if last else f"go={number + 1}")
            reply = await timed(tally, "answer", "POST", f"{attempt_path}answer/", key, form)
            expect(tally, "answer", reply, 302, "/check/" if last else f"?q={number + 1}")
            tally.answered.append((attempt_id, question, choice))
            path = reply.location
        reply = await timed(tally, "check", "GET", path, key)
        expect(tally, "check", reply, 200)
        await asyncio.sleep(rng.uniform(*DWELL["check"]))  # nothing left unanswered?
        reply = await timed(tally, "submit", "POST", f"{attempt_path}submit/", key, "confirm=yes")
        expect(tally, "submit", reply, 302, "/result/")
        tally.submitted.append(attempt_id)
        reply = await timed(tally, "result", "GET", reply.location, key)
        expect(tally, "result", reply, 200)
        tally.finished += 1
    except (StepFailed, ValueError):
        return


async def wave(jobs: list[str], quiz_url: str, args, seed: int) -> tuple[Tally, float]:
    tally = Tally()
    rng = random.Random(seed)
    started = time.perf_counter()
    await asyncio.gather(
        *(
            member(
                tally,
                quiz_url,
                key,
                rng.uniform(0, args.start_window),
                random.Random(rng.random()),
                args,
            )
            for key in jobs
        )
    )
    return tally, time.perf_counter() - started


async def alone(quiz_url: str, key: str, runs: int) -> list[float]:
    """The baseline: the quiz page for one member with nobody else on the server."""
    timings = []
    for n in range(runs + 5):
        started = time.perf_counter()
        reply = await http("GET", quiz_url, key)
        if reply.status != 200:
            raise RuntimeError(
                f"baseline quiz page {quiz_url}: HTTP {reply.status} {reply.location}"
            )
        if n >= 5:
            timings.append(time.perf_counter() - started)
    return timings


# --- the data -------------------------------------------------------------------------------


def prepare(sizes: list[int], minutes: float) -> tuple[str, list[list[str]], str]:
    """The quiz's URL, the session keys of each step's members (a commune each), and one
    more member's session for the baseline."""
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from courses.models import CoursePage, Topic
    from quizzes.models import QuizDrawRule, QuizPage

    call_command("migrate", verbosity=0)
    if not CoursePage.objects.exists():
        call_command("seed_demo", stdout=StringIO())
    limit = math.ceil(minutes * 1.15 + 2) + 10  # the slowest members still finish in time
    quiz = QuizPage.objects.filter(slug=QUIZ_SLUG).first()
    if quiz is None:
        course = CoursePage.objects.live().order_by("path").first()
        topic = Topic.objects.get(slug="lua-dao-truc-tuyen")
        quiz = QuizPage(
            title="Kiểm tra trong buổi tập huấn",
            slug=QUIZ_SLUG,
            max_attempts=3,
            pass_mark=80,
            time_limit_minutes=limit,
        )
        quiz.draw_rules = [QuizDrawRule(topic=topic, count=QUESTIONS)]
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
    elif quiz.time_limit_minutes < limit:
        quiz.time_limit_minutes = limit
        quiz.save_revision().publish()
    stamp = f"{int(time.time()) % 1_000_000:06d}"
    steps = [members_of_a_commune(size, f"WV{stamp}{n}") for n, size in enumerate(sizes)]
    (baseline,) = members_of_a_commune(1, f"WV{stamp}B")
    return quiz.url, steps, baseline


def members_of_a_commune(count: int, code: str) -> list[str]:
    """A commune (under its own province) with teams of 10 members; their session keys."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from organisations.models import Membership, OrgUnit, Role, UnitKind

    province = OrgUnit.add_root(kind=UnitKind.PROVINCE, name=f"Tỉnh {code}", code=code)
    commune = province.add_child(kind=UnitKind.COMMUNE, name=f"Xã {code}", code=f"{code}-X1")
    teams = []
    for t in range(math.ceil(count / 10)):
        hamlet = commune.add_child(
            kind=UnitKind.HAMLET, name=f"Ấp {t + 1}", code=f"{code}-X1-A{t + 1:03d}"
        )
        teams.append(
            hamlet.add_child(
                kind=UnitKind.TEAM, name=f"Tổ ấp {t + 1}", code=f"{code}-X1-T{t + 1:03d}"
            )
        )
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(username=f"{code.lower()}-{n}", first_name="Thành viên", password=password)
            for n in range(count)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=teams[n // 10], role=Role.MEMBER)
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    accepted = accept_privacy_notice(users)
    return [session_key_for(user, extra=accepted) for user in users]


def verify(tally: Tally) -> dict:
    """Read back what the server said it stored."""
    from quizzes.models import Attempt, AttemptState, GradedAttemptStats, Response

    attempt_ids = {a for a, _, _ in tally.answered} | set(tally.submitted)
    stored = {
        (attempt, question): chosen
        for attempt, question, chosen in Response.objects.filter(
            attempt_id__in=attempt_ids
        ).values_list("attempt_id", "question_id", "chosen")
    }
    lost_answers = sum(1 for a, q, c in tally.answered if stored.get((a, q)) != [c])
    graded = set(
        Attempt.objects.filter(
            pk__in=tally.submitted, state=AttemptState.SUBMITTED, percent__isnull=False
        ).values_list("pk", flat=True)
    )
    followed_up = GradedAttemptStats.objects.filter(attempt_id__in=tally.submitted).count()
    return {
        "answers ok": len(tally.answered),
        "lost answers": lost_answers,
        "submitted ok": len(tally.submitted),
        "lost submits": len(set(tally.submitted) - graded),
        "follow-up done": followed_up,
    }


def wait_for_follow_up(tally: Tally, seconds: float) -> None:
    """Give the worker time to drain the queue (counted in the report, not in the budget)."""
    from quizzes.models import GradedAttemptStats

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = GradedAttemptStats.objects.filter(attempt_id__in=tally.submitted).count()
        if done >= len(tally.submitted):
            return
        time.sleep(2)


# --- the run ----------------------------------------------------------------------------------


def process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def summary(tally: Tally) -> list[str]:
    lines = []
    for step in STEPS:
        values = tally.latencies[step]
        if not values:
            lines.append(f"  {step:10} n=0 errors={tally.errors[step]}")
            continue
        lines.append(
            f"  {step:10} n={len(values):6} p50={percentile(values, 50) * 1000:7.0f}ms "
            f"p95={percentile(values, 95) * 1000:7.0f}ms "
            f"p99={percentile(values, 99) * 1000:7.0f}ms "
            f"errors={tally.errors[step]}"
        )
    return lines


def worst_p95(tally: Tally) -> tuple[str, float]:
    return max(
        ((s, percentile(v, 95)) for s, v in tally.latencies.items() if v),
        key=lambda pair: pair[1],
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", default="1000", help="the ramp, e.g. 500,1000,2000,5000")
    parser.add_argument("--minutes", type=float, default=5, help="time to answer the 10")
    parser.add_argument("--start-window", type=float, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--baseline-runs", type=int, default=40)
    parser.add_argument("--drain", type=float, default=120, help="seconds to wait for the worker")
    parser.add_argument("--keep-going", action="store_true", help="run every N of the ramp")
    args = parser.parse_args()
    sizes = [int(n) for n in args.members.split(",")]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))

    started = time.perf_counter()
    quiz_url, steps, baseline_key = prepare(sizes, args.minutes)
    print(f"prepared {sum(sizes) + 1} members in {time.perf_counter() - started:.0f}s")
    command = " ".join(["python", *sys.argv])
    passed = []
    with (
        celery_worker(True),
        gunicorn(workers=args.workers, threads=args.threads) as server,
    ):
        base = asyncio.run(alone(quiz_url, baseline_key, args.baseline_runs))
        base_p95 = percentile(base, 95)
        print(
            f"baseline: quiz page, one member alone: p50={percentile(base, 50) * 1000:.0f}ms "
            f"p95={base_p95 * 1000:.0f}ms"
        )
        for n, (size, keys) in enumerate(zip(sizes, steps, strict=True)):
            load = os.getloadavg()[0]
            web_before, client_before = cpu_seconds(server), process_cpu()
            tally, elapsed = asyncio.run(wave(keys, quiz_url, args, seed=n))
            web_cpu = cpu_seconds(server) - web_before
            client_cpu = process_cpu() - client_before
            checked = verify(tally)
            wait_for_follow_up(tally, args.drain)
            checked["follow-up done"] = verify(tally)["follow-up done"]
            errors = sum(tally.errors.values())
            step, p95 = worst_p95(tally) if tally.submitted or tally.answered else ("-", math.inf)
            lost = checked["lost answers"] + checked["lost submits"]
            ok = p95 <= BUDGET_SECONDS and lost == 0 and errors == 0 and tally.finished == size
            requests = sum(len(v) for v in tally.latencies.values())
            print(
                f"quiz wave, {size} members, {args.minutes:g} min, started within "
                f"{args.start_window:g}s: {elapsed:.0f}s, {requests} requests "
                f"({requests / elapsed:.0f}/s), finished={tally.finished} errors={errors} "
                f"most in flight={tally.most_in_flight} load avg at start={load:.1f}"
            )
            print("\n".join(summary(tally)))
            print(
                "  "
                + " ".join(f"{k}={v}" for k, v in checked.items())
                + f" web CPU={web_cpu / elapsed * 100:.0f}% of a core"
                f" ({web_cpu / max(requests, 1) * 1000:.1f}ms/request)"
                f" load generator CPU={client_cpu / elapsed * 100:.0f}% of a core"
            )
            for sample in tally.error_samples[:5]:
                print("  e.g.", sample)
            quiz_page_p95 = (
                percentile(tally.latencies["quiz page"], 95)
                if tally.latencies["quiz page"]
                else math.inf
            )
            report(
                scenario=f"quiz wave, {size} members ({args.minutes:g} min, 10 answers)",
                budget="p95 ≤ 1 s, nothing lost",
                measured=(
                    f"worst step p95 {p95 * 1000:.0f} ms ({step}); quiz page p95 "
                    f"{quiz_page_p95 * 1000:.0f} ms; {errors} errors, {lost} lost; "
                    f"client CPU {client_cpu / elapsed * 100:.0f}%"
                ),
                met=ok,
                baseline=f"quiz page alone p95 {base_p95 * 1000:.0f} ms",
                ratio=quiz_page_p95 / base_p95 if base_p95 else None,
                command=command,
            )
            if ok:
                passed.append(size)
            elif not args.keep_going:
                print(f"  stopping the ramp at {size} (--keep-going runs the rest)")
                break
    largest = max(passed, default=0)
    report(
        scenario=f"quiz wave, largest N ({args.minutes:g} min; ramp {args.members})",
        budget=f"p95 ≤ 1 s, nothing lost at N ≥ {GOAL:,} (moonshot {MOONSHOT:,})",
        measured=f"N = {largest:,}",
        met=largest >= GOAL,
        command=command,
    )


if __name__ == "__main__":
    main()
