"""The toolchain: `make dataset` installs only what a build needs, `make test` the rest, and the `slow`
marker lets `pytest -m "not slow"` run the suite fast while `make test` (what .ci/run calls) runs all of it."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import distribution

from conftest import ROOT


def _collected(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_not_slow_leaves_out_the_release_tests_and_keeps_the_rest():
    fast = _collected("-m", "not slow", "tests/test_release.py", "tests/test_text.py")
    assert fast and all(t.startswith("tests/test_text.py") for t in fast)
    assert any(t.startswith("tests/test_release.py") for t in _collected("-m", "slow", "tests/test_release.py"))


def test_the_ci_entry_point_runs_every_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "-m pytest" in test_recipe and "slow" not in test_recipe


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lock: str) -> set[str]:
    lines = (ROOT / lock).read_text().splitlines()
    return {_norm(line.split("==")[0]) for line in lines if "==" in line and not line.startswith("#")}


def _runtime_closure() -> set[str]:
    """medqa-ds's dependencies without extras, and theirs, as installed."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    env, seen, todo = default_environment(), set(), [("medqa-ds", ())]
    while todo:
        name, extras = todo.pop()
        if _norm(name) in seen:
            continue
        seen.add(_norm(name))
        for text in distribution(name).requires or []:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({**env, "extra": e}) for e in ("", *extras)):
                todo.append((req.name, tuple(req.extras)))
    return seen - {"medqa-ds"}


def _build_backend() -> set[str]:
    """What pyproject.toml's [build-system] needs: the editable install compiles the Rust core with it."""
    import tomllib

    from packaging.requirements import Requirement

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    return {_norm(Requirement(text).name) for text in requires}


def test_make_dataset_installs_only_what_a_build_needs():
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    assert runtime == _runtime_closure() | _build_backend()
    assert {"pytest", "olah", "mlcroissant", "datatrove", "psutil"} <= test and not runtime & test
    assert (ROOT / "requirements-test.lock").read_text().count("-r requirements.lock") == 1
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^dataset: \$\(VENV\)/\.runtime\b", makefile, re.MULTILINE)
    runtime_recipe = makefile.split("$(VENV)/.runtime:", 1)[1].split("\n\n", 1)[0]
    assert "requirements.lock" in runtime_recipe and "requirements-test.lock" not in runtime_recipe
    assert re.search(r"^test: \$\(VENV\)/\.installed\b", makefile, re.MULTILINE)
    assert re.search(r"^\$\(VENV\)/\.installed: \$\(VENV\)/\.runtime requirements-test.lock", makefile, re.MULTILINE)
