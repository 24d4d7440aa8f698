"""The Rust core's MinHash signatures and LSH band keys are datasketch's, value for value.

The reference here is what medqa_ds computed before the core: datasketch's ``MinHash`` (default
"affine32" scheme, seed 1, 128 permutations) fed xxh32 of each word 3-gram, and a band's key the
xxh32 (seeded with the band's number) of its rows' bytes. A single different value would move
records between splits, so every page the tests know is checked: the fixtures, the seeds (raw/),
the devset when ../shared is beside, and generated pages.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
import xxhash
from datasketch import MinHash, MinHashLSH

from medqa_ds import schema
from medqa_ds.pipeline import neardup
from medqa_ds.pipeline.outcome import Page
from medqa_ds.pipeline.parse_pages import parse_page
from medqa_ds.pipeline.read import discover, read_page

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
_WORD = re.compile(r"[0-9a-z]+")


def reference_signature(text: str) -> np.ndarray:
    """The signature as medqa_ds computed it with datasketch."""
    words = _WORD.findall(text.lower())
    shingles = (
        [" ".join(words).encode()]
        if len(words) < 3
        else [" ".join(g).encode() for g in zip(*(words[k:] for k in range(3)))]
    )
    seed = MinHash(num_perm=128, seed=1)  # what every release so far used: fixed here, not read from neardup
    m = MinHash(num_perm=128, hashfunc=xxhash.xxh32_intdigest, permutations=seed.permutations, scheme=seed.scheme)
    m.update_batch(shingles)
    return m.hashvalues.astype(np.uint32)


def reference_band_keys(signatures: np.ndarray, threshold: float) -> np.ndarray:
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    b, r = lsh.b, lsh.r
    return np.array(
        [
            [xxhash.xxh32_intdigest(sig.tobytes()[j * r * 4 : (j + 1) * r * 4], seed=j) for j in range(b)]
            for sig in signatures
        ],
        dtype=np.uint32,
    ).reshape(len(signatures), b)


def records_of(raw_dir: Path) -> list[dict]:
    """Every record the pages of a folder parse into."""
    records = []
    for rel in discover(raw_dir):
        page = read_page(rel, raw_dir)
        if isinstance(page, Page):
            records += [r for r in parse_page(page) if isinstance(r, dict)]
    return records


def assert_parity(records: list[dict]) -> None:
    assert records, "no records to compare"
    ours = neardup.signatures(records)
    expected = np.stack([reference_signature(neardup.text(r)) for r in records])
    assert np.array_equal(ours, expected)
    assert all(np.array_equal(neardup.signature(r), e) for r, e in zip(records[:50], expected))
    assert np.array_equal(neardup.band_keys(ours), reference_band_keys(expected, neardup.THRESHOLD))


@pytest.mark.parametrize("folder", ["fixtures", "raw"])
def test_signatures_and_band_keys_of_the_fixtures_and_seeds_are_datasketchs(folder):
    assert_parity(records_of(ROOT / ("tests/fixtures" if folder == "fixtures" else "raw")))


@pytest.mark.skipif(not (SHARED / "devset").is_dir(), reason="../shared/devset is not beside the checkout")
def test_signatures_and_band_keys_of_the_devset_are_datasketchs():
    assert_parity(records_of(SHARED / "devset"))


def test_signatures_and_band_keys_of_generated_pages_are_datasketchs(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    corpus.generate(tmp_path / "raw", 3000, seed=7)
    records = records_of(tmp_path / "raw")
    assert len(records) > 2500
    assert_parity(records)


@pytest.mark.parametrize(
    "title, text",
    [
        ("", ""),
        (None, ""),
        ("Rash", ""),
        ("", "dry cough"),
        ("!!", "?? ..."),
        ("\u0130stanbul \u212aelvin", "ÉTÉ naïve café 42kg 3.5mm"),
        ("Ünïcödé—dash", "tab\tnew\nline  spaces"),
        ("Σίσυφος ΣΑΣ", "中文 混合 text mixed 中文"),
        ("a" * 5000, "b " * 3000),
    ],
)
def test_odd_texts_sign_as_datasketch_does(title, text):
    record = schema.blank()
    record.update(title=title)
    record["question"]["text"] = text
    assert np.array_equal(neardup.signature(record), reference_signature(neardup.text(record)))


def test_the_first_answer_stands_in_for_a_missing_question():
    record = schema.blank()
    record.update(title="Knee pain")
    record["answers"] = [{"text": "Rest the knee for a week"}]
    assert neardup.text(record) == "Knee pain Rest the knee for a week"


@pytest.mark.parametrize("threshold", [round(0.05 * k, 2) for k in range(1, 20)])
def test_bands_and_rows_are_datasketchs_choice(threshold):
    lsh = MinHashLSH(threshold=threshold, num_perm=neardup.NUM_PERM)
    assert neardup.bands_rows(threshold) == (lsh.b, lsh.r)


@pytest.mark.parametrize("n", [1, 2, 5, neardup.NUM_PERM // 2 + 1])
def test_gauss_legendre_nodes_and_weights_are_numpys(n):
    nodes, weights = neardup.gauss_legendre(n)
    expected_nodes, expected_weights = np.polynomial.legendre.leggauss(n)
    np.testing.assert_allclose(nodes, expected_nodes, rtol=0, atol=1e-14)
    np.testing.assert_allclose(weights, expected_weights, rtol=0, atol=1e-14)
