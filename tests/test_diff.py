"""``diff`` and the version contract, on built folders."""

from __future__ import annotations

import pytest

from medqa_ds.pipeline import BuildOptions, build
from medqa_ds.pipeline.split import SplitSpec
from medqa_ds.release.diff import diff_folders
from medqa_ds.release.versioning import ContractError, check_version, latest, level, smallest

from pages import doctorqna_page


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for n in range(30):
        (folder / f"{n}.txt").write_text(doctorqna_page(n))
    return folder


def test_same_build_is_a_patch_with_nothing_changed(raw, tmp_path):
    a, b = build(raw, tmp_path / "a").out, build(raw, tmp_path / "b").out
    d = diff_folders(a, b)
    assert d.bump() == "patch" and d.why() == "no record changed"
    assert not d.moved and not d.fields_added


def test_added_changed_removed_and_moved(raw, tmp_path):
    a = build(raw, tmp_path / "a").out
    (raw / "100.txt").write_text(doctorqna_page(100))
    b = build(raw, tmp_path / "b").out
    assert diff_folders(a, b).bump() == "minor"
    assert sum(len(c.added) for c in diff_folders(a, b).splits.values()) == 1

    page = (raw / "3.txt").read_text()
    (raw / "3.txt").write_text(page.replace("often harmless", "usually harmless"))  # a text fix, same id
    c = build(raw, tmp_path / "c").out
    d = diff_folders(b, c)
    assert d.bump() == "patch" and sum(len(x.changed) for x in d.splits.values()) == 1

    (raw / "4.txt").unlink()
    e = build(raw, tmp_path / "e").out
    assert diff_folders(c, e).bump() == "major" and "1 records removed" in diff_folders(c, e).why()

    f = build(raw, tmp_path / "f", BuildOptions(splits=SplitSpec(salt="another"))).out
    moved = diff_folders(e, f)
    assert moved.bump() == "major" and moved.moved and "moved between splits" in moved.report()


def test_schema_changes_are_seen_in_the_card_features(raw, tmp_path):
    a = build(raw, tmp_path / "a").out
    b = build(raw, tmp_path / "b").out
    card = (b / "README.md").read_text()
    (b / "README.md").write_text(
        card.replace(
            "  - name: more_info\n    dtype: string\n",
            "  - name: more_info\n    dtype: string\n  - name: url\n    dtype: string\n",
        )
    )
    added = diff_folders(a, b)
    assert added.fields_added == ["url"] and added.bump() == "minor"
    removed = diff_folders(b, a)
    assert removed.fields_removed == ["url"] and removed.bump() == "major"
    (b / "README.md").write_text(
        card.replace("    - name: after_answer\n      dtype: int64", "    - name: after_answer\n      dtype: string")
    )
    retyped = diff_folders(a, b)
    assert retyped.fields_retyped == ["follow_ups[].after_answer"] and retyped.bump() == "major"


def test_version_rules():
    assert latest(["v1.0.0", "v1.10.0", "v1.9.3", "draft", "1.99.0"]) == "1.10.0"
    assert level("1.2.3", "1.2.4") == "patch" and level("1.2.3", "1.3.0") == "minor"
    assert level("1.2.3", "2.0.0") == "major" and level("1.2.3", "1.2.3") is None
    assert smallest("1.2.3", "minor") == "1.3.0" and smallest("1.2.3", "major") == "2.0.0"
    check_version(None, "0.1.0", None)
    check_version("1.0.0", "2.0.0", "minor")  # a bigger bump than needed is fine
    with pytest.raises(ContractError, match=r"use 1\.1\.0"):
        check_version("1.0.0", "1.0.1", "minor", "3 records added")
    with pytest.raises(ContractError, match="not greater"):
        check_version("1.0.0", "1.0.0", "patch")
