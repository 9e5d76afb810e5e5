"""The lists behind `make lint` stay in step: every pure module (import-linter contract) is
also type-checked, and every file mypy is told to check by name exists."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PURE = "Pure modules import nothing of Django or Wagtail"


def _pure_modules() -> list[str]:
    (contract,) = [c for c in CONFIG["tool"]["importlinter"]["contracts"] if c["name"] == PURE]
    assert contract["type"] == "forbidden"
    assert {"django", "wagtail"} <= set(contract["forbidden_modules"])
    return contract["source_modules"]


def test_every_pure_module_is_type_checked():
    files = CONFIG["tool"]["mypy"]["files"]
    pure = _pure_modules()
    assert "quizzes.scoring" in pure
    missing = [m for m in pure if m.replace(".", "/") + ".py" not in files]
    assert not missing, f"pure modules missing from [tool.mypy] files: {missing}"


def test_the_files_mypy_checks_exist_and_cover_services_and_selectors():
    files = CONFIG["tool"]["mypy"]["files"]
    assert "*/*services*" in files
    assert "*/*selectors*" in files
    named = [f for f in files if "*" not in f]
    assert not [f for f in named if not (ROOT / f).is_file()]
    matched = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("*/*services*")}
    assert "quizzes/services.py" in matched
