"""The benchmark corpus generator: deterministic, realistic, and every file it writes builds cleanly."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from medqa_ds import schema
from medqa_ds.pipeline import BuildOptions, build

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_same_seed_same_corpus_and_every_kind_present(tmp_path):
    a = corpus.generate(tmp_path / "a", 1500, seed=3)
    corpus.generate(tmp_path / "b", 1500, seed=3)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert set(a) == {"doctorqna_full", *corpus.RATES}
    assert 0.15 < a["askadoctor"] / 1500 < 0.35


def test_the_corpus_builds_with_no_crash_and_every_file_accounted(tmp_path):
    corpus.generate(tmp_path / "raw", 1500, seed=5)
    result = build(tmp_path / "raw", tmp_path / "out", BuildOptions(workers=2))
    acc = result.manifest["accounting"]
    assert acc["files_seen"] == 1500 and acc["balanced"]
    assert "parser bug" not in acc["rejects_by_reason"]
    assert acc["rejects_by_reason"].get("duplicate", 0) > 10  # exact copies and cut captures of kept pages
    assert result.manifest["near_duplicates"]["groups_with_several_records"] > 10
    assert acc["records"] > 1200
    # every built-in source is in it, so the benchmark's memory and speed figures cover each parser
    assert sorted(n for n, k in result.manifest["counts"]["source"].items() if k) == sorted(
        schema.builtin_source_names()
    )
    # askers have names of their own, and many answers greet them by name: the privacy step's work
    privacy = result.manifest["privacy"]
    assert privacy["asker_names_dropped"] > 500 and privacy["replaced"]["PATIENT"] > 200


def test_askers_names_vary_as_on_real_pages():
    import random

    rng = random.Random(0)
    names = {corpus.asker(rng)[0] for _ in range(2000)}
    assert len(names) > 1500  # a new name on most pages, so each needs its own name pattern
