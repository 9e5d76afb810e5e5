"""One line per measured scenario, read by `make bench` (bench/run_all.py).

Every bench script ends by calling `report(...)` once per budget it measures; the line it
prints starts with ``BENCH-RESULT`` followed by JSON, so the runner can collect the results
of scripts it knows nothing else about and append them to docs/benchmarks.md.
"""

import json
import sys

PREFIX = "BENCH-RESULT "


def report(
    *,
    scenario: str,
    budget: str,
    measured: str,
    met: bool,
    baseline: str = "",
    ratio: float | None = None,
    command: str = "",
) -> None:
    """Print one result line: what was measured, against which budget, and whether it held.

    `measured` and `budget` are short human strings ("p95 84 ms", "≤ 150 ms"); `baseline`
    names the same-run baseline when the budget is a ratio, and `ratio` its value.
    """
    line = {
        "scenario": scenario,
        "budget": budget,
        "measured": measured,
        "met": bool(met),
        "baseline": baseline,
        "ratio": None if ratio is None else round(float(ratio), 3),
        "command": command or " ".join(["python", *sys.argv]),
    }
    print(PREFIX + json.dumps(line, ensure_ascii=False), flush=True)
