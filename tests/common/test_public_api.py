"""`__all__` is honoured: a module that declares `__all__` offers exactly those names to the
other apps and to the tests. Each `from <app>.<module> import <name>` written in another app,
or in tests/, must name something in the target module's `__all__` (or one of its
submodules). Inside its own app a module may use its neighbours' private helpers; modules
without `__all__` are not checked. A name that is meant to be public goes into `__all__`;
otherwise the caller uses the public name."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _apps(root: Path) -> list[str]:
    """The project's packages: every app (a folder with apps.py) and config."""
    names = {path.parent.name for path in root.glob("*/apps.py")} - {"tests", "bench"}
    if (root / "config" / "__init__.py").exists():
        names.add("config")
    return sorted(names)


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _declared_all(path: Path) -> list[str] | None:
    """The module's `__all__` (a literal list or tuple of strings), or None."""
    declared = None
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = ast.literal_eval(node.value)  # a computed __all__ cannot be checked
            assert all(isinstance(name, str) for name in value), path
            declared = list(value)
    return declared


def public_names(root: Path) -> dict[str, list[str] | None]:
    """{module: its __all__ or None} for every module of every app."""
    return {
        _module_name(root, path): _declared_all(path)
        for app in _apps(root)
        for path in _python_files(root / app)
    }


def imports_from_other_apps(root: Path, folders: list[str]) -> list[tuple[str, str, str]]:
    """(where, module, name) for each absolute `from <app>.<module> import <name>` in these
    folders whose app is not the importer's own (function-level imports included)."""
    apps = set(_apps(root))
    found = []
    for folder in folders:
        for path in _python_files(root / folder):
            own_app = path.relative_to(root).parts[0]
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                    continue
                app = node.module.split(".")[0]
                if app in apps and app != own_app:
                    where = f"{path.relative_to(root)}:{node.lineno}"
                    found.extend((where, node.module, alias.name) for alias in node.names)
    return found


def bypasses(root: Path, folders: list[str]) -> list[str]:
    modules = public_names(root)
    return [
        f"{where}: {module}.{name}"
        for where, module, name in imports_from_other_apps(root, folders)
        if modules.get(module) is not None
        and name not in modules[module]
        and f"{module}.{name}" not in modules  # a submodule of a package
    ]


def test_no_import_from_another_app_or_a_test_bypasses_all():
    found = bypasses(ROOT, [*_apps(ROOT), "tests"])
    assert not found, "imported but not in the module's __all__:\n" + "\n".join(found)


def test_the_scan_sees_the_imports_and_the_declarations():
    modules = public_names(ROOT)
    assert "path_with_ancestors" in modules["organisations.selectors"]
    assert "ServedQuestion" in modules["quizzes.scoring"]
    assert modules["config"] == ["celery_app"]
    imports = {(m, n) for _where, m, n in imports_from_other_apps(ROOT, _apps(ROOT))}
    assert ("organisations.selectors", "path_with_ancestors") in imports  # from training…
    assert ("accounts.selectors", "usable_activation_codes_of") in imports  # function level
    assert len(imports) > 100
    tests = {(m, n) for _where, m, n in imports_from_other_apps(ROOT, ["tests"])}
    assert ("quizzes.scoring", "SINGLE") in tests


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_name_left_out_of_all_is_reported(tmp_path):
    for app in ("alpha", "beta"):
        _write(tmp_path, f"{app}/__init__.py", "")
        _write(tmp_path, f"{app}/apps.py", "")
    _write(
        tmp_path, "alpha/selectors.py", '__all__ = ["shown"]\ndef shown(): ...\ndef kept(): ...\n'
    )
    _write(tmp_path, "alpha/reports/__init__.py", '__all__ = ["x"]\nx = 1\n')
    _write(tmp_path, "alpha/reports/weekly.py", "")
    _write(tmp_path, "alpha/models.py", "class Thing: ...\n")
    _write(tmp_path, "alpha/views.py", "from alpha.selectors import kept\n")  # its own app
    _write(
        tmp_path,
        "beta/views.py",
        "from alpha.models import Thing\n"  # no __all__: not checked
        "from alpha.reports import weekly, x\n"  # a submodule, a public name
        "from alpha.selectors import shown\n"
        "def view():\n"
        "    from alpha.selectors import kept\n",
    )
    _write(tmp_path, "tests/test_alpha.py", "from alpha.selectors import kept, shown\n")

    assert bypasses(tmp_path, ["alpha", "beta", "tests"]) == [
        "beta/views.py:5: alpha.selectors.kept",
        "tests/test_alpha.py:1: alpha.selectors.kept",
    ]
