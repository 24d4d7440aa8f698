"""Crawls as they come: the same pages as loose files, in a tar.gz, in a JSONL.zst shard and in a
WET file give the same records; hostile and broken containers are rejects naming where."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from medqa_ds import folder as built
from medqa_ds.pipeline import BuildOptions, build

from pages import askadoctor_page, doctorqna_page

PAGES = {f"p{n:02d}.txt": (doctorqna_page(n) if n % 2 else askadoctor_page(n)) for n in range(12)}
URL = "https://www.askadoctor.example/q/{n}"
DATE = "2024-03-0{d}T10:20:30Z"


def _url(name: str) -> str:
    return URL.format(n=name[1:3])


def _date(name: str) -> str:
    return DATE.format(d=int(name[1:3]) % 9 + 1)


def _records(out: Path) -> dict[str, tuple[str, dict]]:
    """id -> (split, record without provenance), and the provenance apart."""
    found = {}
    for split in built.manifest(out)["splits"]:
        for r in built.records(out, split):
            found[r["id"]] = (split, {k: v for k, v in r.items() if k != "provenance"}, r["provenance"])
    return found


def _loose(raw: Path) -> None:
    for name, text in PAGES.items():
        (raw / name).write_text(text, encoding="utf-8")


def _tar(raw: Path) -> None:
    with tarfile.open(raw / "pages.tar.gz", "w:gz") as tar:
        for name, text in PAGES.items():
            data = text.encode()
            info = tarfile.TarInfo(f"dir/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _jsonl(raw: Path) -> None:
    lines = "".join(json.dumps({"text": t, "id": n, "url": _url(n), "date": _date(n)}) + "\n" for n, t in PAGES.items())
    (raw / "x.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines.encode()))


def _wet(raw: Path) -> None:
    with open(raw / "shard.warc.wet.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record("shard.wet", {"software": "test"}))
        for name, text in PAGES.items():
            record = writer.create_warc_record(
                _url(name),
                "conversion",
                payload=io.BytesIO(text.encode()),
                warc_headers_dict={"WARC-Date": _date(name), "Content-Type": "text/plain"},
            )
            writer.write_record(record)


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, dict]:
    made = {}
    for kind, write in (("loose", _loose), ("tar", _tar), ("jsonl", _jsonl), ("wet", _wet)):
        raw = tmp_path_factory.mktemp(kind) / "raw"
        raw.mkdir()
        write(raw)
        out = raw.parent / "out"
        result = build(raw, out, BuildOptions(workers=1, chunk_files=5))
        assert result.manifest["accounting"]["balanced"] and not result.rejects, result.rejects
        made[kind] = {"records": _records(out), "manifest": result.manifest, "out": out}
    return made


@pytest.mark.parametrize("kind", ["tar", "jsonl", "wet"])
def test_a_container_gives_the_loose_files_records(builds, kind):
    loose, packed = builds["loose"]["records"], builds[kind]["records"]
    assert len(loose) == len(PAGES)
    assert {i: (s, r) for i, (s, r, _) in packed.items()} == {i: (s, r) for i, (s, r, _) in loose.items()}


def test_provenance_names_the_container_and_member_with_url_and_date(builds):
    by_file = {p["file"]: p for _, _, p in builds["loose"]["records"].values()}
    assert all(p["url"] is None and p["captured"] is None for p in by_file.values())
    tar = {p["file"] for _, _, p in builds["tar"]["records"].values()}
    assert "pages.tar.gz!dir/p03.txt" in tar
    jsonl = {p["file"]: p for _, _, p in builds["jsonl"]["records"].values()}
    assert jsonl["x.jsonl.zst:4"]["url"] == _url("p03") and jsonl["x.jsonl.zst:4"]["captured"] == _date("p03")
    wet = {p["file"]: p for _, _, p in builds["wet"]["records"].values()}
    # record 1 is the warcinfo record
    assert wet["shard.warc.wet.gz#record-5"]["url"] == _url("p03")
    assert wet["shard.warc.wet.gz#record-5"]["captured"] == _date("p03")


def test_the_card_tables_the_hosts(builds):
    assert builds["wet"]["manifest"]["counts"]["hosts"] == {"askadoctor.example": len(PAGES)}
    card = (builds["wet"]["out"] / "README.md").read_text()
    assert "| askadoctor.example | 12 |" in card
    assert "askadoctor.example" not in (builds["loose"]["out"] / "README.md").read_text()


def test_one_shard_is_cut_into_many_units_of_work(tmp_path):
    from medqa_ds.pipeline.build import chunk_tasks

    raw = tmp_path / "raw"
    raw.mkdir()
    _jsonl(raw)
    # 12 lines in chunks of 5: three units, so three workers can share one shard
    tasks = list(chunk_tasks(raw, tmp_path, BuildOptions(chunk_files=5)))
    assert [len(t.files) for t in tasks] == [5, 5, 2]
    assert tasks[1].files[0].file == "x.jsonl.zst:6"


# --- hostile and broken containers -------------------------------------------------------------


def _tar_of(path: Path, members: list[tarfile.TarInfo | tuple[str, bytes]]) -> None:
    with tarfile.open(path, "w") as tar:
        for m in members:
            if isinstance(m, tarfile.TarInfo):
                tar.addfile(m)
            else:
                info = tarfile.TarInfo(m[0])
                info.size = len(m[1])
                tar.addfile(info, io.BytesIO(m[1]))


def _link(name: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, "/etc/passwd"
    return info


def test_hostile_and_broken_containers_are_rejects_naming_where(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    good = PAGES["p01.txt"].encode()
    _tar_of(
        raw / "evil.tar",
        [
            ("../escape.txt", good),
            ("/abs.txt", good),
            _link("sym.txt", tarfile.SYMTYPE),
            _link("hard.txt", tarfile.LNKTYPE),
            ("ok.txt", good),
        ],
    )
    with zipfile.ZipFile(raw / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.jsonl", b"\n" * 3_000_000)  # a few kB that expand to 3 MB of nothing
        z.writestr("../up.txt", good)
    # nesting: a tar in a tar in a tar in a tar
    inner = good
    name = "p.txt"
    for depth in range(4):
        buf = tmp_path / f"n{depth}.tar"
        _tar_of(buf, [(name, inner)])
        inner, name = buf.read_bytes(), f"n{depth}.tar"
    (raw / "deep.tar").write_bytes(inner)
    whole = gzip.compress(b"".join(json.dumps({"text": t}).encode() + b"\n" for t in PAGES.values()))
    (raw / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    lines = [
        json.dumps({"text": PAGES["p03.txt"]}),
        "{not json",
        json.dumps({"url": "https://a.example/"}),
        json.dumps({"text": "x" * 120_000}),
    ]
    (raw / "bad.jsonl").write_text("\n".join(lines) + "\n")
    for name in ("junk.tar", "junk.zip", "junk.jsonl.zst", "junk.warc.gz", "junk.tgz"):
        (raw / name).write_bytes(b"this is not what the name says\n" * 40)
    _wet(raw)
    wet = (raw / "shard.warc.wet.gz").read_bytes()
    (raw / "shard.warc.wet.gz").write_bytes(wet[: len(wet) * 2 // 3])  # ends inside a record
    result = build(raw, tmp_path / "out", BuildOptions(workers=1, max_bytes=100_000))
    reasons = {r.file: r.reason for r in result.rejects}
    for name in ("junk.tar", "junk.zip", "junk.jsonl.zst", "junk.warc.gz", "junk.tgz"):
        assert "broken or truncated container" in reasons[name], (name, reasons.get(name))
    assert "'..'" in reasons["evil.tar!../escape.txt"]
    assert "absolute" in reasons["evil.tar!/abs.txt"]
    assert "link" in reasons["evil.tar!sym.txt"] and "link" in reasons["evil.tar!hard.txt"]
    assert "zip bomb" in reasons["bomb.zip!big.jsonl"]
    assert "'..'" in reasons["bomb.zip!../up.txt"]
    assert "nested" in reasons["deep.tar!n2.tar!n1.tar!n0.tar"]
    assert "truncated" in reasons["cut.jsonl.gz"]
    assert "cut short" in reasons["shard.warc.wet.gz"]
    assert "not a JSON line" in reasons["bad.jsonl:2"]
    assert "no 'text'" in reasons["bad.jsonl:3"]
    assert "over the 0.1 MB limit" in reasons["bad.jsonl:4"]
    acc = result.manifest["accounting"]
    assert acc["balanced"] and acc["pages_seen"] == acc["records"] + acc["rejects"]
    kept = {r["provenance"]["file"] for s in result.manifest["splits"] for r in built.records(tmp_path / "out", s)}
    assert {"evil.tar!ok.txt", "bad.jsonl:1"} <= kept
    assert not (tmp_path / "escape.txt").exists() and not (raw.parent / "up.txt").exists()


def test_a_100_mb_jsonl_line_is_a_reject_read_in_pieces(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(raw / "huge.jsonl", "wb") as f:
        f.write(b'{"text": "')
        block = b"a" * (1 << 20)
        for _ in range(100):
            f.write(block)
        f.write(b'"}\n')
        f.write(json.dumps({"text": PAGES["p01.txt"]}).encode() + b"\n")
    result = build(raw, tmp_path / "out", BuildOptions(workers=1))
    assert [(r.file, "over the 5.0 MB limit" in r.reason) for r in result.rejects] == [("huge.jsonl:1", True)]
    assert result.manifest["accounting"]["records"] == 1


def test_warc_responses_and_zip_members_are_pages_too(tmp_path, builds):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(raw / "crawl.warc", "wb") as out:
        writer = WARCWriter(out, gzip=False)
        for name, mime in [("p01.txt", "text/plain; charset=utf-8"), ("p02.txt", "text/html")]:
            http = StatusAndHeaders("200 OK", [("Content-Type", mime)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    _url(name),
                    "response",
                    payload=io.BytesIO(PAGES[name].encode()),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": _date(name)},
                )
            )
    with zipfile.ZipFile(raw / "pages.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("in/p03.txt", PAGES["p03.txt"])
        z.writestr("in/more.jsonl", json.dumps({"text": PAGES["p04.txt"], "timestamp": 1_700_000_000}) + "\n")
    out = tmp_path / "out"
    result = build(raw, out, BuildOptions(workers=1))
    assert [(r.file, "text/html" in r.reason) for r in result.rejects] == [("crawl.warc#record-2", True)]
    got = _records(out)
    loose = builds["loose"]["records"]
    prov = {p["file"]: p for _, _, p in got.values()}
    assert set(prov) == {"crawl.warc#record-1", "pages.zip!in/p03.txt", "pages.zip!in/more.jsonl:1"}
    assert prov["pages.zip!in/more.jsonl:1"]["captured"] == "2023-11-14T22:13:20Z"
    assert prov["crawl.warc#record-1"]["url"] == _url("p01.txt")
    assert all(got[i][:2] == loose[i][:2] for i in got)


def test_a_shard_cut_into_units_gives_the_same_bytes_on_any_number_of_workers(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _jsonl(raw)
    _tar(raw)
    one = build(raw, tmp_path / "one", BuildOptions(workers=1)).manifest
    many = build(raw, tmp_path / "many", BuildOptions(workers=2, chunk_files=3)).manifest
    assert one["files"] == many["files"]


def test_a_container_symlinked_from_outside_the_raw_folder_is_not_read(tmp_path):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    _jsonl(outside)
    (raw / "x.jsonl.zst").symlink_to(outside / "x.jsonl.zst")
    (raw / "p.txt").write_text(PAGES["p01.txt"], encoding="utf-8")
    result = build(raw, tmp_path / "out", BuildOptions(workers=1))
    assert [(r.file, "outside the raw folder" in r.reason) for r in result.rejects] == [("x.jsonl.zst", True)]
    assert result.manifest["accounting"]["records"] == 1 and result.manifest["accounting"]["balanced"]


def test_a_capture_date_out_of_the_years_a_datetime_holds_is_unknown_not_a_crash(tmp_path):
    # in UTC, 0001-01-01T00:00+01:00 is in year 0: the page is kept, its capture date unknown
    raw = tmp_path / "raw"
    raw.mkdir()
    rows = [
        {"text": doctorqna_page(1), "date": "0001-01-01T00:00:00+01:00"},
        {"text": doctorqna_page(2), "date": "9999-12-31T23:59:59-01:00"},
        {"text": doctorqna_page(3), "date": "2024-05-01T14:00:00+02:00"},
    ]
    (raw / "x.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    build(raw, out, BuildOptions(progress=False))
    captured = {prov["file"]: prov["captured"] for _, _, prov in _records(out).values()}
    assert captured == {"x.jsonl:1": None, "x.jsonl:2": None, "x.jsonl:3": "2024-05-01T12:00:00Z"}
