"""Third-party sources: a real package (tests/plugin_example) installed with pip into a folder of its
own, found through the ``medqa_ds.sources`` entry point group by ``medqa-ds sources`` and ``build``;
and plug-ins that break the rules, which are left out with one warning while the build goes on."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections import Counter
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import medqa_ds
from medqa_ds import schema, sources
from medqa_ds.pipeline import build
from medqa_ds.sources import Source

from conftest import NETGUARD, run_cli
from pages import doctorqna_page

pytestmark = pytest.mark.slow  # installs a package with pip: `pytest -m "not slow"` skips it

HERE = Path(__file__).resolve().parent


def tinyforum(n: int, answered: bool = True) -> str:
    lines = [
        "TINYFORUM THREAD",
        f"Title: Question number {n} about sleep",
        "Asked: 2021-03-0" + str(n % 9 + 1),
        f"Q: I wake up {n} times a night. Is that normal?",
    ]
    if answered:
        lines.append(f"A (Dr. Ada Byrne, Neurologist): Waking {n} times is common; keep a sleep diary for two weeks.")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """tests/plugin_example installed by pip into a folder of its own (offline: no index, no build isolation)."""
    work = tmp_path_factory.mktemp("plugin")
    shutil.copytree(HERE / "plugin_example", work / "src")
    env = {**os.environ, "PYTHONPATH": str(NETGUARD), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--quiet",
            "--target",
            str(work / "site"),
            str(work / "src"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return work / "site"


def run(*args: str | Path, site: Path | None, tmp_path: Path) -> subprocess.CompletedProcess:
    return run_cli(*args, pythonpath=[site] if site is not None else [])


def test_pip_installed_the_plugin_with_its_entry_point(site):
    (info,) = site.glob("*.dist-info")
    assert (info / "entry_points.txt").read_text().splitlines()[:2] == [
        "[medqa_ds.sources]",
        "x_tinyforum = medqa_tinyforum:TinyForum",
    ]


def test_sources_lists_builtins_and_the_plugin(site, tmp_path):
    done = run("sources", site=site, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    assert rows[0] == ["name", "version", "kind", "module"]
    assert [r[0] for r in rows[1:]] == [*schema.source_names()[:6], "x_tinyforum"]
    assert rows[1] == ["askadoctor", str(sources.AskADoctor.version), "built-in", "medqa_ds.sources.askadoctor"]
    assert rows[-1] == ["x_tinyforum", "1", "plug-in", "medqa-ds-example-source", "0.1.0", "medqa_tinyforum"]
    assert done.stderr == ""
    without = run("sources", site=None, tmp_path=tmp_path)
    assert "x_tinyforum" not in without.stdout


def test_build_with_the_plugin(site, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "tf1.txt").write_text(tinyforum(1), encoding="utf-8")
    (raw / "tf2.txt").write_text(tinyforum(2), encoding="utf-8")
    (raw / "tf3.txt").write_text(tinyforum(3, answered=False), encoding="utf-8")
    (raw / "dq.txt").write_text(doctorqna_page(7), encoding="utf-8")
    out = tmp_path / "out"
    done = run("build", raw, "--out", out, site=site, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    acc = manifest["accounting"]
    assert (acc["files_seen"], acc["records"], acc["rejects"], acc["balanced"]) == (4, 3, 1, True)
    rows = [r for f in sorted((out / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    assert Counter(r["source"] for r in rows) == {"x_tinyforum": 2, "doctorqna": 1}
    tf = sorted((r for r in rows if r["source"] == "x_tinyforum"), key=lambda r: r["provenance"]["file"])
    assert [(r["provenance"]["file"], r["provenance"]["parser"], r["question"]["date"]) for r in tf] == [
        ("tf1.txt", "x_tinyforum/1", "2021-03-02"),
        ("tf2.txt", "x_tinyforum/1", "2021-03-03"),
    ]
    assert tf[0]["answers"][0]["specialty"] == "Neurology" and tf[0]["id"].startswith("x_tinyforum-")
    rejects = [json.loads(l) for l in (out / "rejects.jsonl").read_text().splitlines()]
    assert [(r["file"], r["reason"]) for r in rejects] == [("tf3.txt", "no answer: the thread has no 'A (...):' line")]
    checked = run("validate", out, site=site, tmp_path=tmp_path)
    assert checked.returncode == 0, checked.stderr


def test_parse_with_and_without_the_plugin(site, tmp_path):
    page = tmp_path / "tf.txt"
    page.write_text(tinyforum(4), encoding="utf-8")
    done = run("parse", page, site=site, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["source"] == "x_tinyforum"
    without = run("parse", page, site=None, tmp_path=tmp_path)
    assert without.returncode == 2 and "not a page of a known source" in without.stderr


# --- plug-ins that break the rules: in this process, with entry points handed to the registry --


class Explodes(Source):
    name = "x_explodes"

    def detect(self, lines: list[str]) -> bool:
        raise RuntimeError("detector misconfigured")

    def parse(self, lines: list[str]) -> dict[str, Any]:
        raise AssertionError("never reached")


class Flaky(Source):
    """Detection that raises on some pages and claims others."""

    name = "x_flaky"

    def detect(self, lines: list[str]) -> bool:
        if "explode" in lines[0]:
            raise RuntimeError("detector misconfigured")
        return lines[0] == "flaky page"

    def parse(self, lines: list[str]) -> dict[str, Any]:
        raise medqa_ds.ParseError("flaky pages give no record")


class Greedy(Source):
    name = "x_greedy"

    def detect(self, lines: list[str]) -> bool:
        return True

    def parse(self, lines: list[str]) -> dict[str, Any]:
        raise AssertionError("never reached")


@pytest.fixture
def entry_points(monkeypatch):
    """Hand the registry these entry points instead of the installed ones."""

    def use(*specs: tuple[str, str]) -> None:
        eps = [EntryPoint(name, value, sources.GROUP) for name, value in specs]
        monkeypatch.setattr(sources, "_entry_points", lambda: eps)
        sources.rediscover()

    yield use
    monkeypatch.undo()
    sources.rediscover()


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "medqa_ds.sources" and r.levelno == logging.WARNING]


def test_a_plugin_that_does_not_load_is_left_out_with_one_warning(entry_points, caplog):
    entry_points(("x_gone", "no_such_module_xyz:Gone"))
    for _ in range(3):
        assert [f.source.name for f in sources.found()] == schema.source_names()
        assert medqa_ds.parse(doctorqna_page(1))["source"] == "doctorqna"
    (warning,) = warnings_of(caplog)
    assert "'no_such_module_xyz:Gone'" in warning and "ModuleNotFoundError" in warning
    assert warning.endswith("fix or uninstall the plug-in")


@pytest.mark.parametrize(
    "value, why",
    [
        (
            "medqa_ds.sources.doctorqna:DoctorQnA",
            "its name 'doctorqna' does not start with 'x_' (for example 'x_doctorqna')",
        ),
        ("os.path:join", "os.path:join is not a subclass of medqa_ds.sources.Source"),
    ],
)
def test_a_plugin_that_breaks_the_rules_is_refused_saying_why(entry_points, caplog, value, why):
    entry_points(("bad", value))
    assert sources.plugins() == []
    (warning,) = warnings_of(caplog)
    assert why in warning


def test_two_plugins_of_one_name_keep_the_first(entry_points, caplog):
    entry_points(("a", "test_plugins:Greedy"), ("b", "test_plugins:Greedy"))
    assert [s.name for s in sources.plugins()] == ["x_greedy"]
    (warning,) = warnings_of(caplog)
    assert "another plug-in is already called 'x_greedy'" in warning


def test_a_plugin_whose_detect_raises_claims_that_page_only_whatever_came_before(entry_points, caplog):
    """A page's source must not depend on the pages a worker saw before it (the output would
    depend on the number of workers)."""
    entry_points(("x_flaky", "test_plugins:Flaky"))
    for _ in range(2):
        with pytest.raises(medqa_ds.ParseError, match="not a page of a known source"):
            medqa_ds.parse("explode here\nbody")
        with pytest.raises(medqa_ds.ParseError, match="flaky pages give no record"):  # still claimed
            medqa_ds.parse("flaky page\nbody")
    (warning,) = warnings_of(caplog)
    assert "'x_flaky'" in warning and "RuntimeError: detector misconfigured" in warning


def test_a_plugin_whose_detect_raises_is_reported_once_and_the_build_goes_on(entry_points, caplog, tmp_path):
    entry_points(("x_explodes", "test_plugins:Explodes"))
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(3):
        (raw / f"dq{n}.txt").write_text(doctorqna_page(n), encoding="utf-8")
    result = build(raw, tmp_path / "out")
    assert (result.manifest["accounting"]["records"], result.rejects) == (3, [])
    (warning,) = warnings_of(caplog)
    assert "'x_explodes'" in warning and "RuntimeError: detector misconfigured" in warning


def test_a_plugin_claiming_a_builtins_page_makes_it_ambiguous(entry_points):
    entry_points(("x_greedy", "test_plugins:Greedy"))
    with pytest.raises(medqa_ds.ParseError, match=r"^ambiguous page: looks like doctorqna and x_greedy$"):
        medqa_ds.parse(doctorqna_page(2))


@pytest.mark.parametrize(
    "name, ok", [("x_tinyforum", True), ("x_Tiny", False), ("x_", False), ("tinyforum", False), ("icliniq", True)]
)
def test_the_schema_takes_builtin_names_and_x_names(name, ok):
    record = medqa_ds.parse(doctorqna_page(3))
    record["source"] = name
    assert (schema.errors(record) == []) is ok
