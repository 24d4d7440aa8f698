"""Takedowns: a listed page (by id, URL or text digest) is dropped before anything is written, and
every later release honours it: gone from every file, listed by id as a tombstone, v1.0.0 untouched."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from medqa_ds import parse
from medqa_ds.pipeline import BuildOptions, build, takedowns
from tests.test_release import REPO, hub, write_pages

from pages import askadoctor_page, doctorqna_page

__all__ = ["hub"]


def _unique_line(text: str) -> str:
    """The page's line of random words: no other page holds it."""
    return next(line.strip() for line in text.splitlines() if "I keep notes:" in line)


def _every_file_text(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)


def test_a_build_drops_pages_listed_by_id_url_or_digest(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    pages = {n: doctorqna_page(n) if n % 2 else askadoctor_page(n) for n in range(10)}
    for n in range(6):
        (raw / f"p{n}.txt").write_text(pages[n])
    lines = [json.dumps({"text": pages[n], "url": f"https://site.example/q/{n}"}) for n in range(6, 10)]
    (raw / "crawl.jsonl").write_text("\n".join(lines) + "\n")
    (raw / "p7-saved-again.txt").write_text(pages[7])  # the page listed by URL, as a loose file too
    by_id, by_digest = parse(pages[1])["id"], hashlib.sha256(pages[2].encode()).hexdigest()
    (raw / "takedowns.txt").write_text(f"{by_id}\tasked by the author\nhttps://site.example/q/7\n{by_digest}\n")
    out = tmp_path / "out"
    result = build(raw, out, BuildOptions(workers=1))
    acc = result.manifest["accounting"]
    assert acc["taken_down"] == 4 and acc["records"] == 7 and acc["rejects"] == 0 and acc["balanced"]
    assert result.manifest["takedowns"]["ids"] == sorted({by_id, parse(pages[2])["id"], parse(pages[7])["id"]})
    everything = _every_file_text(out)
    for n in (1, 2, 7):
        assert _unique_line(pages[n]).encode() not in everything
    assert b"asked by the author" not in everything and b"site.example/q/7" not in everything


def test_a_built_folders_records_a_takedown_matches_by_id_url_or_raw_digest(tmp_path):
    """``takedowns.matching`` (what ``medqa-ds takedown`` reports) finds the records of a built folder
    a new entry matches, by the build's own rule."""
    raw = tmp_path / "raw"
    raw.mkdir()
    pages = {n: doctorqna_page(n) for n in range(4)}
    (raw / "p0.txt").write_text(pages[0])
    (raw / "p1.txt").write_text(pages[1])
    lines = [json.dumps({"text": pages[n], "url": f"https://site.example/q/{n}"}) for n in (2, 3)]
    (raw / "crawl.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    build(raw, out, BuildOptions(workers=1))
    split_of = {r: s for s in ("train", "validation", "test") for r in _ids(out, s)}
    ids = {n: parse(pages[n])["id"] for n in range(4)}
    for key, n in (
        (ids[0], 0),
        ("https://site.example/q/3", 3),
        (hashlib.sha256(pages[1].encode()).hexdigest().upper(), 1),  # the raw bytes' digest, any case
    ):
        assert takedowns.matching(out, takedowns.of_keys([key])) == [(ids[n], split_of[ids[n]])], key
    assert takedowns.matching(out, takedowns.of_keys(["https://site.example/q/9", "0" * 64])) == []


def _ids(out: Path, split: str) -> list[str]:
    from medqa_ds import folder

    if split not in folder.manifest(out)["splits"]:
        return []
    return [r["id"] for r in folder.records(out, split, columns=["id"])]


def test_release_honours_a_takedown_added_later(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(6))
    first = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0")
    assert first.returncode == 0, first.stderr
    victim = raw / "dq_003.txt"
    text = victim.read_text()
    victim_id = parse(text)["id"]
    local = tmp_path / "local"
    built = hub.cli("build", raw, "--out", local)
    assert built.returncode == 0, built.stderr

    added = hub.cli("takedown", victim_id, "--reason", "the asker asked", "--raw", raw, "--out", local)
    assert added.returncode == 0, added.stderr
    assert f"matches 1 record(s) of the last build ({local})" in added.stdout and victim_id in added.stdout
    assert (raw / "takedowns.txt").read_text() == f"{victim_id}\tthe asker asked\n"

    second = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.1")
    assert second.returncode == 0, second.stderr
    assert "Taken down on request" in second.stdout and victim_id in second.stdout

    loaded = hub.load("v1.0.0", "v1.0.1")
    assert victim_id in {i for ids in loaded["v1.0.0"].values() for i in ids}
    assert victim_id not in {i for ids in loaded["v1.0.1"].values() for i in ids}

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(hub.server.repo_path(REPO)), str(clone)], check=True)
    manifest = json.loads((clone / "manifest.json").read_text())
    assert manifest["tombstones"] == [victim_id]
    assert victim_id in manifest["changelog"][0]["notes"]
    assert f"`{victim_id}`" in (clone / "README.md").read_text()
    line = _unique_line(text).encode()
    assert line not in _every_file_text(clone)  # v1.0.1: no text of the page in any file
    assert b"the asker asked" not in _every_file_text(clone)
    subprocess.run(["git", "checkout", "-q", "v1.0.0"], cwd=clone, check=True)
    old = json.loads((clone / "manifest.json").read_text())
    assert "tombstones" not in old or old["tombstones"] == []
    assert old["dataset"]["version"] == "1.0.0"
