"""bench/run_all.py (`make bench`): every scenario's result lines collected, a failing,
silent or hanging script counted as a budget not met, the table appended to the docs."""

import json
import textwrap
from datetime import UTC, datetime

import pytest

from bench import run_all
from bench.result import PREFIX


def result_line(**fields) -> str:
    line = {"scenario": "s", "budget": "≤ 1 s", "measured": "0.5 s", "met": True}
    return PREFIX + json.dumps({**line, **fields}, ensure_ascii=False)


def script(tmp_path, name: str, body: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return str(path)


def run(tmp_path, command: str, timeout: float = 30):
    scenario = run_all.Scenario("demo", "own", 30, command, command)
    return run_all.run_scenario(
        scenario, command=command, env={}, timeout=timeout, log=tmp_path / "demo.log"
    )


def test_result_lines_are_read_from_any_output():
    output = "\n".join(
        [
            "starting…",
            result_line(scenario="a", met=True),
            PREFIX + "{not json",
            "BENCH-RESULTS are not this",
            result_line(scenario="b", met=False, ratio=1.5),
        ]
    )
    results = run_all.parse_results(output)
    assert [(r["scenario"], r["met"]) for r in results] == [("a", True), ("b", False)]
    assert results[1]["ratio"] == 1.5


def test_a_script_that_reports_gives_its_results(tmp_path):
    path = script(tmp_path, "ok.py", f"print({result_line(scenario='ok')!r})\n")
    outcome = run(tmp_path, path)
    assert [r["scenario"] for r in outcome.results] == ["ok"]
    assert (tmp_path / "demo.log").read_text().startswith(PREFIX)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (f"import sys\nprint({result_line(scenario='half')!r})\nsys.exit(3)\n", "exit status 3"),
        ("print('measured nothing')\n", "no BENCH-RESULT line"),
    ],
)
def test_a_failing_or_silent_script_is_a_budget_not_met(tmp_path, body, why):
    outcome = run(tmp_path, script(tmp_path, "bad.py", body))
    assert outcome.results[-1]["met"] is False
    assert outcome.results[-1]["measured"].startswith(why)


def test_a_hanging_script_is_stopped_and_what_it_reported_kept(tmp_path):
    body = f"""
        import time
        print({result_line(scenario="before hanging")!r}, flush=True)
        time.sleep(60)
    """
    outcome = run(tmp_path, script(tmp_path, "hang.py", body), timeout=3)
    assert outcome.seconds < 30
    assert [r["scenario"] for r in outcome.results] == ["before hanging", "demo"]
    assert outcome.results[-1]["measured"] == "timed out after 3 s"


def test_a_script_not_in_this_checkout_is_not_met(tmp_path):
    outcome = run(tmp_path, "bench/no_such_scenario.py --size 1")
    assert outcome.results[0]["met"] is False
    assert "does not exist" in outcome.results[0]["measured"]


def test_the_table_appended_to_the_docs(tmp_path):
    scenario = run_all.Scenario("demo", "own", 30, "bench/x.py", "bench/x.py")
    outcome = run_all.Outcome(
        scenario,
        [
            {
                "scenario": "quiz wave, 1000 members",
                "budget": "p95 ≤ 1 s",
                "measured": "p95 a|b",
                "met": True,
                "baseline": "alone 40 ms",
                "ratio": 2.5,
                "command": "python bench/x.py",
            },
            {"scenario": "demo", "budget": "b", "measured": "m", "met": False, "ratio": None},
        ],
        90.0,
        tmp_path,
    )
    text = run_all.markdown(
        [outcome],
        when=datetime(2026, 12, 7, 2, 5, tzinfo=UTC),
        load=(7.5, 6.0, 5.25),
        quick=True,
        notes=["Seeded."],
    )
    assert "\n## make bench, 2026-12-07 02:05 UTC\n" in text
    assert "load average at start 7.50 / 6.00 / 5.25" in text
    assert "Quick run" in text
    assert (
        "| quiz wave, 1000 members | p95 ≤ 1 s | p95 a\\|b | alone 40 ms; 2.5× | yes "
        "| `python bench/x.py` |"
    ) in text
    assert "| demo | b | m | — | **no** | `` |" in text


def test_main_runs_the_chosen_scenarios_appends_and_fails_when_a_budget_is_missed(
    tmp_path, monkeypatch
):
    good = script(tmp_path, "good.py", f"print({result_line(scenario='good')!r})\n")
    bad = script(tmp_path, "bad.py", f"print({result_line(scenario='bad', met=False)!r})\n")
    monkeypatch.setattr(
        run_all,
        "SCENARIOS",
        [
            run_all.Scenario("good", "own", 30, good, good),
            run_all.Scenario("bad", "own", 30, bad, bad),
        ],
    )
    created = []
    monkeypatch.setattr(
        run_all,
        "recreate_database",
        lambda server, name, template="": created.append((name, template)) or "sqlite://",
    )
    monkeypatch.setattr(run_all, "migrated_template", lambda *, server, name, env, log: name)
    monkeypatch.setattr(run_all, "empty_redis", lambda url: None)
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n")
    common = ["--docs", str(docs), "--logs", str(tmp_path), "--db-prefix", "t_"]
    assert run_all.main([*common, "--only", "good"]) == 0
    assert created == [("t_good", "t_template")]
    assert run_all.main(common) == 1
    text = docs.read_text()
    assert text.startswith("# Benchmarks\n")
    assert text.count("## make bench, ") == 2
    assert "| bad | ≤ 1 s | 0.5 s | — | **no** |" in text
    with pytest.raises(SystemExit):
        run_all.main([*common, "--only", "nothing"])


def test_every_planned_command_names_a_script_and_runs_with_this_python():
    assert len({s.name for s in run_all.SCENARIOS}) == len(run_all.SCENARIOS)
    for scenario in run_all.SCENARIOS:
        assert scenario.database in ("nation", "own")
        for command in (scenario.command, scenario.quick):
            assert command.startswith("bench/") and ".py" in command.split()[0]
