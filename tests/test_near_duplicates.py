"""Near-duplicate questions land in one split, and splits stay put across versions."""

from __future__ import annotations

import numpy as np

from medqa_ds import parse
from medqa_ds.folder import assignments, records
from medqa_ds.pipeline import BuildOptions, build, neardup
from medqa_ds.pipeline.index import Index
from medqa_ds.pipeline.neardup import near_duplicate_groups
from medqa_ds.pipeline.split import SPLITS, SplitSpec

from pages import doctorqna_page


def reasked(n: int) -> str:
    """Page ``n`` asked again by someone else: a new title word, an edited sentence, new dates."""
    page = doctorqna_page(n)
    lines = page.split("\n")
    lines[4] = lines[4].replace("Why do I get", "Why would I get")
    body = next(i for i, l in enumerate(lines) if l.startswith("Wen: For"))
    lines[body] = lines[body].replace("mostly", "usually").replace("days", "nights")
    return "\n".join(lines).replace("Ask Date: 2019/04/", "Ask Date: 2021/02/")


def follow_up(n: int) -> str:
    """A follow-up page that repeats page ``n``'s question and adds a little."""
    page = reasked(n).replace("Should I see someone", "Now the cast is off. Should I still see someone")
    return page.replace("Why would I get", "Follow-up: why would I still get", 1)


def test_reasked_and_follow_up_pages_are_grouped_unrelated_pages_are_not():
    records = [parse(doctorqna_page(n), "a") for n in range(40)]
    records += [parse(reasked(n), "b") for n in range(5)] + [parse(follow_up(n), "c") for n in range(5)]
    assert len({r["id"] for r in records}) == 50
    groups = [g for g in near_duplicate_groups(records) if len(g) > 1]
    by_page = {r["id"]: r for r in records}
    assert len(groups) == 5
    for group in groups:
        assert len(group) == 3
        assert len({by_page[i]["question"]["asker"]["name"] for i in group}) == 1


def test_a_group_always_lands_in_one_split(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(60):
        (raw / f"{n}.txt").write_text(doctorqna_page(n))
        (raw / f"{n}_again.txt").write_text(reasked(n))
    result = build(raw, tmp_path / "out")
    near = result.manifest["near_duplicates"]
    assert near["groups_with_several_records"] == 60 and near["records_in_those_groups"] == 120
    by_file = {
        r["provenance"]["file"]: name
        for name in ("train", "validation", "test")
        for r in records(result.out, name, columns=["provenance"])
    }
    assert all(by_file[f"{n}.txt"] == by_file[f"{n}_again.txt"] for n in range(60))
    assert len(set(by_file.values())) == 3


def test_previous_splits_are_kept_and_new_near_duplicates_join_their_group(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(50):
        (raw / f"{n}.txt").write_text(doctorqna_page(n))
    v1 = build(raw, tmp_path / "v1")
    before = assignments(v1.out)
    for n in range(50):
        (raw / f"{n}_again.txt").write_text(reasked(n))
    for n in range(50, 90):
        (raw / f"{n}.txt").write_text(doctorqna_page(n))
    v2 = build(raw, tmp_path / "v2", BuildOptions(pins=before))
    after = assignments(v2.out)
    assert {i: after[i] for i in before} == before
    assert v2.manifest["split_config"]["pinned_from_previous_release"] == 50
    for n in range(50):
        original, again = parse(doctorqna_page(n))["id"], parse(reasked(n))["id"]
        assert after[again] == before[original]


def test_pins_win_and_bridged_groups_are_reported(tmp_path):
    spec = SplitSpec()
    n = 4  # rows 0, 1, 2 are one near-duplicate group; row 3 stands alone
    index = Index(
        chunks=[0],
        offsets=np.array([0, n]),
        source=np.zeros(n, np.uint8),
        id_hash=np.arange(1, n + 1, dtype=np.uint64),
        rank=np.zeros(n, np.int64),
        split=np.zeros(n, np.uint8),
        specialty=np.full(n, -1, np.int16),
        complete=np.ones(n, bool),
        chat=np.ones(n, np.uint8),
        spill_dir=tmp_path,
    )
    keep = np.ones(n, bool)
    ids = [index.record_id(r) for r in range(n)]
    codes, conflicts = index.assign(keep, {0: 0, 1: 0, 2: 0}, spec, index.pinned({ids[0]: "train", ids[1]: "test"}))
    assert [SPLITS[c] for c in codes[:3]] == ["train", "test", "train"]
    assert conflicts == [sorted(ids[:3])]
    codes, conflicts = index.assign(keep, {0: 0, 1: 0}, spec, index.pinned({}))
    assert SPLITS[codes[0]] == SPLITS[codes[1]] == spec.assign(min(ids[:2])) and conflicts == []
    assert SPLITS[codes[3]] == "train"  # not grouped, not pinned: its own hash (precomputed: train here)


def test_a_signature_is_datasketch_minhash_of_the_shingles_whatever_came_before():
    """No state leaks between records: a signature is the same whatever was signed before it."""
    import xxhash
    from datasketch import MinHash

    from medqa_ds import schema

    def record(title: str, text: str) -> dict:
        r = schema.blank()
        r.update(title=title)
        r["question"]["text"] = text
        return r

    a, b = (
        record("Rash on arms", "I have had a red rash for two weeks"),
        record("Cough", "dry cough at night since May"),
    )
    seed = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED)
    fresh = MinHash(
        num_perm=neardup.NUM_PERM, hashfunc=xxhash.xxh32_intdigest, permutations=seed.permutations, scheme=seed.scheme
    )
    fresh.update_batch(
        [
            " ".join(g).encode()
            for g in zip(
                *(
                    (["rash", "on", "arms", "i", "have", "had", "a", "red", "rash", "for", "two", "weeks"])[k:]
                    for k in range(3)
                )
            )
        ]
    )
    first = neardup.signature(a)
    neardup.signature(b)
    assert np.array_equal(neardup.signature(a), first)
    assert np.array_equal(first, fresh.hashvalues.astype(np.uint32))


def test_two_similar_rows_group_even_when_their_bucket_opens_with_another():
    """Within a band's bucket every pair is a candidate, not only pairs with the bucket's first row."""
    same, other = np.ones(neardup.NUM_PERM, np.uint32), np.zeros(neardup.NUM_PERM, np.uint32)
    signatures = {0: other, 1: same, 2: same}
    roots = neardup.group_rows(3, [np.array([9, 9, 9], np.uint32)], signatures.__getitem__)
    assert roots == {1: 1, 2: 1}


def test_pinned_finds_each_rows_previous_split_as_a_lookup_by_id_would(tmp_path):
    rng = np.random.default_rng(3)
    n = 2_000
    source = rng.integers(0, 3, n).astype(np.uint8)
    id_hash = rng.integers(0, 500, n).astype(np.uint64)  # few hashes: the same hash under several sources
    index = Index(
        chunks=[0],
        offsets=np.array([0, n]),
        source=source,
        id_hash=id_hash,
        rank=np.zeros(n, np.int64),
        split=np.zeros(n, np.uint8),
        specialty=np.full(n, -1, np.int16),
        complete=np.ones(n, bool),
        chat=np.ones(n, np.uint8),
        spill_dir=tmp_path,
    )
    ids = [index.record_id(r) for r in range(n)]
    pins = {i: SPLITS[int(rng.integers(0, 3))] for i in rng.choice(sorted(set(ids)), 300, replace=False)}
    pins["x_gone-00000000000000ff"] = "test"  # a source this install does not have: ignored
    expected = [SPLITS.index(pins[i]) if i in pins else -1 for i in ids]
    assert index.pinned(pins).tolist() == expected
    assert index.pinned({}).tolist() == [-1] * n
