"""`make bench`: every benchmark scenario, each with its same-run baseline, in one go.

    .venv/bin/python bench/run_all.py                 # everything (under 30 min, 2 cores)
    .venv/bin/python bench/run_all.py --quick         # smaller sizes, to try it
    .venv/bin/python bench/run_all.py --only quiz_wave,reports

Creates its own PostgreSQL databases (`--db-prefix`, default `bench_`: dropped and created
again, each a copy of one migrated template database), seeds the 400,000-member database
once for the scenarios that read it, uses the Redis database of BENCH_REDIS_URL (default
redis://127.0.0.1:6379/9, emptied before each scenario so no cached page of one database is
served to the next) and runs each script with its own timeout. A script reports each budget
it measures with a `BENCH-RESULT` line (bench/result.py); a script that fails, times out or
reports nothing counts as a budget not met, and the run goes on. The results are appended to
docs/benchmarks.md under a dated heading; the exit status is 1 when any budget was not met.

The table below is the whole plan: adjust a command here, nothing else.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.result import PREFIX  # noqa: E402

# The 400,000-member database, seeded once (`{members}` from --quick or not).
NATION_MEMBERS, NATION_MEMBERS_QUICK = 400_000, 20_000
# The demo, a 10,195-member province and a national tree with learning data (bench/reports.py
# finds them there and does not seed again); the other "nation" scenarios add their own units.
SEED = "bench/reports.py --seed-only --national {members}"


@dataclass(frozen=True)
class Scenario:
    name: str
    database: str  # "nation": the seeded 400,000-member database; "own": a fresh one
    timeout: int  # seconds, for the full run (the quick run gets the same)
    command: str  # a script under bench/ and its arguments, run with this Python
    quick: str  # the same with smaller sizes
    settings: str = "config.settings.dev"


# name | database | timeout | command | quick command
SCENARIOS = [
    Scenario(
        "reports",
        "nation",
        600,
        "bench/reports.py --national 400000",
        "bench/reports.py --national 20000 --runs 10",
    ),
    Scenario(
        "sweeps",
        "own",  # checks exactly its own 40,000 renewals: the nation holds renewals of its own
        420,
        "bench/sweeps.py",
        "bench/sweeps.py",
    ),
    Scenario(
        "quiz_wave",
        "nation",
        900,
        "bench/quiz_wave.py --members 1000 --minutes 5",
        "bench/quiz_wave.py --members 100 --minutes 1 --start-window 20 --drain 30",
    ),
    Scenario(
        "lesson_page",
        "own",
        420,
        "bench/lesson_page.py",
        "bench/lesson_page.py --members 40 --requests 200 --rounds 1",
        settings="bench.settings",
    ),
    Scenario(
        "quiz_submit",
        "own",
        420,
        "bench/quiz_submit.py --submissions 3000 --rate 150 --with-worker",
        "bench/quiz_submit.py --submissions 300 --rate 150 --with-worker",
    ),
    Scenario(
        "certificates",
        "own",
        300,
        "bench/certificates.py --issue 500",
        "bench/certificates.py --renders 50 --issue 50",
    ),
    Scenario(
        "roster_import",
        "own",
        300,
        "bench/roster_import.py --worker",
        "bench/roster_import.py --rows 2000 --worker",
    ),
    Scenario(
        "outreach_report",
        "own",
        420,
        "bench/outreach_report.py",
        "bench/outreach_report.py",
    ),
    Scenario(
        "report_history",
        "own",
        300,
        "bench/report_history.py",
        "bench/report_history.py",
    ),
]


@dataclass
class Outcome:
    scenario: Scenario
    results: list[dict]
    seconds: float
    log: Path


def parse_results(output: str) -> list[dict]:
    """The BENCH-RESULT lines of a script's output (a malformed one is skipped)."""
    results = []
    for line in output.splitlines():
        if line.startswith(PREFIX):
            try:
                results.append(json.loads(line[len(PREFIX) :]))
            except json.JSONDecodeError:
                continue
    return results


def failure(scenario: Scenario, command: str, why: str) -> dict:
    return {
        "scenario": scenario.name,
        "budget": "runs and reports its budgets",
        "measured": why,
        "met": False,
        "baseline": "",
        "ratio": None,
        "command": command,
    }


def run_scenario(
    scenario: Scenario, *, command: str, env: dict, timeout: float, log: Path
) -> Outcome:
    """Run one script; whatever happens, the outcome has at least one result row."""
    started = time.perf_counter()
    script = ROOT / shlex.split(command)[0]
    if not script.exists():
        why = f"not run: {shlex.split(command)[0]} does not exist in this checkout"
        return Outcome(scenario, [failure(scenario, command, why)], 0.0, log)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, *shlex.split(command)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=out,
            text=True,
            start_new_session=True,  # so a timeout ends its gunicorn and worker too
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 15)
            try:
                output, _ = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                output, _ = process.communicate()
            output = output or ""
            out.write(output)
            results = parse_results(output)
            why = f"timed out after {timeout:.0f} s"
            return Outcome(
                scenario,
                [*results, failure(scenario, command, why)],
                time.perf_counter() - started,
                log,
            )
        out.write(output)
    results = parse_results(output)
    if process.returncode != 0:
        results.append(failure(scenario, command, f"exit status {process.returncode} (see {log})"))
    elif not results:
        results.append(failure(scenario, command, "no BENCH-RESULT line"))
    return Outcome(scenario, results, time.perf_counter() - started, log)


# --- databases ---------------------------------------------------------------------------------


def recreate_database(server: str, name: str, template: str = "") -> str:
    """Drop and create `name` on the PostgreSQL at `server` (a copy of `template` if
    given); its DATABASE_URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    return f"{server}/{name}"


def migrated_template(*, server: str, name: str, env: dict, log: Path) -> str:
    """A database with every migration applied, copied for each scenario: migrating
    from scratch takes minutes on a busy machine, a copy a second."""
    url = recreate_database(server, name)
    with log.open("w") as out:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=1200,
            check=True,
        )
    return name


def empty_redis(url: str) -> None:
    """FLUSHDB of the bench's own Redis database only."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        print(f"  (Redis at {url} not emptied: {error})", flush=True)


def seed_nation(*, env: dict, members: int, log: Path, timeout: float) -> tuple[bool, float, str]:
    started = time.perf_counter()
    steps = [
        "manage.py migrate --noinput",  # nothing left to apply on a copy of the template
        "manage.py seed_demo",
        SEED.format(members=members),
    ]
    with log.open("w") as out:
        for step in steps:
            done = subprocess.run(
                [sys.executable, *shlex.split(step)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
            if done.returncode != 0:
                return False, time.perf_counter() - started, step
    return True, time.perf_counter() - started, SEED.format(members=members)


# --- docs/benchmarks.md -----------------------------------------------------------------------


def cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown(
    outcomes: list[Outcome], *, when: datetime, load: tuple, quick: bool, notes: list[str]
) -> str:
    lines = [
        "",
        f"## make bench, {when:%Y-%m-%d %H:%M} UTC",
        "",
        f"{'Quick run (`--quick`, smaller sizes: not the budgets’ sizes). ' if quick else ''}"
        f"{os.cpu_count()} cores; load average at start {load[0]:.2f} / {load[1]:.2f} / "
        f"{load[2]:.2f} (1 / 5 / 15 min).",
        *notes,
        "",
        "| scenario | budget | measured | baseline/ratio | met | command |",
        "|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        for result in outcome.results:
            baseline = result.get("baseline") or ""
            if result.get("ratio") is not None:
                baseline = (
                    f"{baseline}; {result['ratio']:g}×" if baseline else f"{result['ratio']:g}×"
                )
            lines.append(
                "| "
                + " | ".join(
                    cell(v)
                    for v in (
                        result.get("scenario", outcome.scenario.name),
                        result.get("budget", ""),
                        result.get("measured", ""),
                        baseline or "—",
                        "yes" if result.get("met") else "**no**",
                        f"`{result.get('command', '')}`",
                    )
                )
                + " |"
            )
    total = sum(o.seconds for o in outcomes)
    lines += ["", f"Scenarios took {total / 60:.1f} min in all."]
    return "\n".join(lines) + "\n"


# --- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, to try it")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--db-prefix", default="bench_")
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument(
        "--reuse-nation", action="store_true", help="keep an already seeded nation database"
    )
    parser.add_argument("--docs", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--no-docs", action="store_true", help="print, do not append")
    parser.add_argument("--logs", default="", help="directory for each script's output")
    args = parser.parse_args(argv)

    names = {s.name for s in SCENARIOS}
    only = [n for n in args.only.split(",") if n]
    if unknown := set(only) - names:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}; known: {sorted(names)}")
    chosen = [s for s in SCENARIOS if not only or s.name in only]
    when = datetime.now(UTC)
    load = os.getloadavg()
    logs = Path(args.logs or tempfile.gettempdir()) / f"{args.db_prefix}logs-{when:%Y%m%d-%H%M%S}"
    logs.mkdir(parents=True, exist_ok=True)
    base_env = {
        **os.environ,
        "REDIS_URL": args.redis,
        "BENCH_PORT": str(args.port),
        "DEBUG": "false",
    }
    print(f"make bench: {len(chosen)} scenario(s), load average {load[0]:.2f}, logs in {logs}")
    notes, outcomes = [], []
    nation_url = f"{args.pg}/{args.db_prefix}nation"
    started = time.perf_counter()
    template = migrated_template(
        server=args.pg, name=f"{args.db_prefix}template", env=base_env, log=logs / "migrate.log"
    )
    print(f"  migrated template database: {time.perf_counter() - started:.0f}s", flush=True)
    if any(s.database == "nation" for s in chosen):
        members = NATION_MEMBERS_QUICK if args.quick else NATION_MEMBERS
        env = {
            **base_env,
            "DATABASE_URL": nation_url,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        }
        if args.reuse_nation:
            notes.append(
                f"The nation database ({args.db_prefix}nation) was reused as seeded before."
            )
        else:
            recreate_database(args.pg, f"{args.db_prefix}nation", template)
            empty_redis(args.redis)
            ok, seconds, step = seed_nation(
                env=env, members=members, log=logs / "seed.log", timeout=1200
            )
            print(
                f"  seed {members:,} members: {'ok' if ok else 'FAILED at ' + step} {seconds:.0f}s"
            )
            notes.append(
                f"Seeded {members:,} members into `{args.db_prefix}nation` in {seconds:.0f} s "
                f"(`{step}`)" + ("" if ok else ": **failed**, its scenarios not run") + "."
            )
            if not ok:
                seed = Scenario("seed", "nation", 0, step, step)
                outcomes.append(
                    Outcome(
                        seed, [failure(seed, step, f"failed (see {logs}/seed.log)")], seconds, logs
                    )
                )
                chosen = [s for s in chosen if s.database != "nation"]
    for scenario in chosen:
        command = scenario.quick if args.quick else scenario.command
        if scenario.database == "nation":
            url = nation_url
        else:
            url = recreate_database(args.pg, f"{args.db_prefix}{scenario.name}", template)
        empty_redis(args.redis)
        env = {**base_env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": scenario.settings}
        print(f"  {scenario.name}: {command}", flush=True)
        outcome = run_scenario(
            scenario,
            command=command,
            env=env,
            timeout=scenario.timeout,
            log=logs / f"{scenario.name}.log",
        )
        outcomes.append(outcome)
        for result in outcome.results:
            mark = "met" if result.get("met") else "NOT MET"
            print(f"    [{mark}] {result.get('scenario')}: {result.get('measured')}", flush=True)
        print(f"    ({outcome.seconds:.0f} s)", flush=True)
    text = markdown(outcomes, when=when, load=load, quick=args.quick, notes=notes)
    if args.no_docs:
        print(text)
    else:
        with open(args.docs, "a", encoding="utf-8") as docs:
            docs.write(text)
        print(f"appended to {args.docs}")
    missed = [r for o in outcomes for r in o.results if not r.get("met")]
    print(f"{len(missed)} budget(s) not met" if missed else "every budget met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
