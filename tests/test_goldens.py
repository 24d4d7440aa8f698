"""Parity goldens (benchmarks/goldens.py, tests/goldens/): every page the tests know goes through what
a worker does to it, and each stage's outcomes must digest to what the Python pipeline gave when the
goldens were captured; a build of tests/fixtures must give the same manifest and Parquet rows.

A difference names the input, the stage and the index, and shows the new object. A deliberate change
is re-captured with ``python benchmarks/goldens.py --write`` (tests/goldens/README.md).
"""

from __future__ import annotations

import copy
import importlib.util

import pytest

from conftest import ROOT, run_cli

_spec = importlib.util.spec_from_file_location("goldens", ROOT / "benchmarks" / "goldens.py")
assert _spec is not None and _spec.loader is not None
goldens = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(goldens)


def assert_same(stored, now, objects) -> None:
    found = goldens.differences(stored, now, objects)
    assert not found, "outputs differ from the goldens:\n" + "\n\n".join(found)


@pytest.mark.parametrize("group", ["fixtures", "seeds", "devset"])
def test_pages_give_the_golden_digests(group):
    if group == "devset" and not goldens.DEVSET.is_dir():
        pytest.skip(f"no devset at {goldens.DEVSET}")
    inputs = goldens.groups()[group]()
    stored = goldens.load(group)
    now, objects = goldens.compute(inputs, stored)
    assert len(now) == len(stored) > 0
    assert_same(stored, now, objects)


def test_first_generated_pages_give_the_golden_digests():
    stored_all = goldens.load("corpus")
    assert len(stored_all) == goldens.CORPUS_PAGES
    stored = {name: stored_all[name] for name in sorted(stored_all)[: goldens.CORPUS_FAST]}
    now, objects = goldens.compute(goldens.corpus_inputs(goldens.CORPUS_FAST), stored)
    assert len(now) == goldens.CORPUS_FAST
    assert_same(stored, now, objects)


@pytest.mark.slow
def test_every_generated_page_gives_the_golden_digests():
    stored = goldens.load("corpus")
    now, objects = goldens.compute(goldens.corpus_inputs(goldens.CORPUS_PAGES, check_determinism=True), stored)
    assert len(now) == goldens.CORPUS_PAGES
    assert_same(stored, now, objects)


def test_build_of_the_fixtures_gives_the_golden_manifest_and_rows():
    stored = goldens.load("build")
    now, objects = goldens.compute_build(stored, run=lambda args: run_cli(*args[1:]))
    assert set(now[goldens.BUILD_INPUT]) >= {"manifest.json", "data/train-00000-of-00001.parquet"}
    assert_same(stored, now, objects)


def test_a_changed_page_is_caught_and_shown_by_input_stage_and_index():
    name = "fixtures/doctorqna/full_layout.txt"
    file = name.removeprefix("fixtures/")
    data = (goldens.FIXTURES / file).read_bytes()
    stored = {name: goldens.load("fixtures")[name]}
    same, _ = goldens.compute(iter([(name, file, data)]), stored)
    assert same == stored  # the page as it is gives its goldens

    changed = data.replace(b"about two months", b"about three months", 1)
    assert changed != data
    now, objects = goldens.compute(iter([(name, file, changed)]), stored)
    for stage in ("parsed", "published", "chat", "signature"):  # the question text feeds all four
        assert now[name][stage][0] != stored[name][stage][0], stage
    found = goldens.differences(stored, now, objects)
    assert found[0].startswith(f"{name} stage 'chat' index 0: stored {stored[name]['chat'][0]}, now ")
    assert "about three months" in found[0]  # the new object is shown
    assert any(f.startswith(f"{name} stage 'parsed' index 0:") for f in found)


def test_an_outcome_more_or_less_is_a_difference():
    stored = {"p": {"parsed": ["a", "b"]}, "gone": {"parsed": ["c"]}}
    now = {"p": {"parsed": ["a"]}, "new": {"parsed": ["d"]}}
    found = goldens.differences(stored, now)
    assert found == [
        "gone: in the goldens but not among the inputs",
        "new: a new input, not in the goldens (re-capture)",
        "p stage 'parsed' index 1: stored b, now (none)",
    ]


def test_the_manifest_view_drops_only_what_follows_the_toolchain():
    manifest = {
        "library": {"pyarrow": "26.0.1"},
        "accounting": {"records": 3},
        "splits": {"train": {"num_examples": 3, "num_bytes": 10, "download_bytes": 20, "files": ["data/t.parquet"]}},
        "chat": {"splits": {"train": {"num_examples": 2, "num_bytes": 5, "files": ["chat/t.parquet"]}}},
        "files": {
            "data/t.parquet": {"sha256": "p", "bytes": 1},
            "README.md": {"sha256": "r", "bytes": 2},
            "rejects.jsonl": {"sha256": "j", "bytes": 3},
        },
    }
    view = goldens.manifest_view(manifest)

    def variant(path: tuple[str, ...], value: object) -> dict:
        m = copy.deepcopy(manifest)
        node = m
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return goldens.manifest_view(m)

    for path in [
        ("library", "pyarrow"),
        ("splits", "train", "num_bytes"),
        ("splits", "train", "download_bytes"),
        ("chat", "splits", "train", "num_bytes"),
        ("files", "data/t.parquet", "sha256"),
        ("files", "README.md", "bytes"),
    ]:
        assert variant(path, "other") == view, path
    for path in [
        ("accounting", "records"),
        ("splits", "train", "num_examples"),
        ("chat", "splits", "train", "files"),
        ("files", "rejects.jsonl", "sha256"),
    ]:
        assert variant(path, "other") != view, path
    assert manifest["library"] == {"pyarrow": "26.0.1"}  # the view is a copy
