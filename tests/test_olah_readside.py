"""The read side of a release, checked by an implementation that is not ours: olah, offline.

We build two versions of a dataset folder with the project, publish them with the real ``HfApi`` to
the loopback HubServer (tags ``v1.0.0`` and ``v1.1.0``), then stop HubServer and let olah
(https://github.com/vtuber-plan/olah, from PyPI) serve the *same stored git repository* to the real
clients: ``datasets.load_dataset(repo, revision=tag)`` in a subprocess, and ``HfApi`` /
``snapshot_download`` in this process. Everything is on 127.0.0.1; a guard refuses any other host
in this process, in olah's process and in the ``datasets`` subprocess.

How olah is set up (details in tests/hub/olah.py):

* ``[accessibility] offline = true`` and ``[basic] mirrors-path``: offline olah answers only from
  local mirrors, ``<mirrors-path>/datasets/<org>/<name>``, opened with GitPython.
* The mirror is a non-bare ``git clone --no-checkout`` of HubServer's bare repo, with the LFS
  objects copied from HubServer's LFS store into ``.git/lfs/objects/aa/bb/<sha256>``. olah reads
  LFS content from exactly there (the git-lfs client's local store, under the *work tree's*
  ``.git``), so a bare repo cannot be served and git-lfs's own store layout is required.

What olah 0.5.4 offline supports, as observed here: tags (annotated ones peeled) and branches as
revisions, in ``resolve``, ``api/.../revision``, ``tree`` and ``refs``; LFS files with the Hub's
headers (``X-Repo-Commit``, ``ETag`` = sha256 for LFS files and git blob sha1 otherwise); a 404
``EntryNotFound`` for a missing file at a full commit sha (which ``datasets`` relies on, as it
probes ``<name>.py`` and ``dataset_infos.json`` at the sha). So the check below is the real one:
load by tag, nothing replaced by a sha.

What it does not (not asserted, so an olah upgrade that fixes them does not break this test):

* ``GET /api/datasets/<repo>`` without a revision answers 401 ``RepoNotFound``: offline, olah looks
  the latest commit up in its download cache, never in the mirror. ``load_dataset`` without a
  revision (which also asks ``datasets-server``) is therefore not checked; releases are read by tag.
* An unknown revision answers 401 ``RepoNotFound`` instead of 404 ``RevisionNotFound``; a missing
  file at a branch or tag name answers 401 too (404 ``EntryNotFound`` only at a full sha); a GET of
  a missing file answers 500.
* ``Range`` is ignored for mirrored files (200 with the whole body, no 206): streaming reads
  (``streaming=True``, HfFileSystem seeks) are not checked through olah.
* Repo info lists ``siblings`` without sizes; a mirror is a snapshot, so it has to be re-made after
  each publish (done here after both releases).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, snapshot_download

from medqa_ds import schema
from medqa_ds.pipeline import BuildOptions, build
from tests.hub.olah import GUARD, OlahServer, git, mirror_repo
from tests.hub.server import GITATTRIBUTES, HubServer, client_env, client_settings

from pages import askadoctor_page, doctorqna_page

pytestmark = pytest.mark.slow  # a mirror server and load_dataset subprocesses: `pytest -m "not slow"` skips it

REPO = "medqa/releases"
TOKEN = "dummy"

# datasets reads HF_* at import time, hence a fresh interpreter; GUARD refuses non-loopback hosts.
LOAD_SCRIPT = (
    GUARD
    + r"""
import json, sys
import datasets
datasets.config.USE_PARQUET_EXPORT = False  # else a lookup of datasets-server.<host>
out = {}
for revision in sys.argv[2:]:
    loaded = datasets.load_dataset(sys.argv[1], revision=revision)
    out[revision] = {
        split: {"rows": loaded[split].to_list(), "features": loaded[split].features.to_dict()} for split in loaded
    }
print(json.dumps(out, default=str))
"""
)


def _write_pages(raw: Path, start: int, n: int) -> None:
    raw.mkdir(exist_ok=True)
    for i in range(start, start + n):
        (raw / f"dq_{i:04d}.txt").write_text(doctorqna_page(i, compact=bool(i % 2)), encoding="utf-8")
        (raw / f"ad_{i:04d}.txt").write_text(askadoctor_page(i), encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _publish(api: HfApi, folder: Path, tag: str, annotated: bool) -> str:
    """Make the repo's content exactly `folder` in one commit on main, tag it, return the commit."""
    head = api.dataset_info(REPO).sha
    files = _files(folder)
    stale = set(api.list_repo_files(REPO, repo_type="dataset", revision=head)) - set(files) - {".gitattributes"}
    operations: list[Any] = [CommitOperationAdd(path, data) for path, data in files.items()]
    operations += [CommitOperationDelete(path) for path in sorted(stale)]
    commit = api.create_commit(
        REPO, repo_type="dataset", operations=operations, commit_message=f"Release {tag}", parent_commit=head
    ).oid
    api.create_tag(
        REPO, repo_type="dataset", tag=tag, revision=commit, tag_message=f"Release {tag}" if annotated else None
    )
    return commit


def _expected(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows per split as the built folder holds them (splits with rows, shards in manifest order)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    rows = {
        split: [row for shard in meta["files"] for row in pq.read_table(folder / shard).to_pylist()]
        for split, meta in manifest["splits"].items()
        if meta["num_examples"]
    }
    return json.loads(json.dumps(rows, default=str))  # the same normalisation as the subprocess' output


def _ids(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    return {split: [row["id"] for row in split_rows] for split, split_rows in rows.items()}


def test_olah_serves_tagged_releases_to_load_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loopback_only: list[str]
) -> None:
    raw = tmp_path / "raw"
    _write_pages(raw, 0, 30)
    v1 = build(raw, tmp_path / "build-v1.0.0", BuildOptions(version="1.0.0", progress=False)).out
    _write_pages(raw, 30, 15)
    v2 = build(raw, tmp_path / "build-v1.1.0", BuildOptions(version="1.1.0", progress=False)).out
    folders = {"v1.0.0": v1, "v1.1.0": v2}
    expected = {tag: _expected(folder) for tag, folder in folders.items()}
    # preconditions that make the comparison meaningful: three splits, and the versions differ
    assert set(expected["v1.0.0"]) == {"train", "validation", "test"}
    v1_ids = {i for ids in _ids(expected["v1.0.0"]).values() for i in ids}
    v2_ids = {i for ids in _ids(expected["v1.1.0"]).values() for i in ids}
    assert len(v1_ids) == 60 and len(v2_ids) == 90 and v1_ids < v2_ids

    # Publish both releases to HubServer with the real client, then stop it: from here on, only
    # olah can answer.
    with HubServer(tmp_path / "hub") as hub:
        for target, value in client_settings(hub.url).items():
            monkeypatch.setattr(target, value)
        api = HfApi(endpoint=hub.url, token=TOKEN)
        api.create_repo(REPO, repo_type="dataset")
        commits = {"v1.0.0": _publish(api, v1, "v1.0.0", annotated=True)}
        commits["v1.1.0"] = _publish(api, v2, "v1.1.0", annotated=False)
        hub_refs = api.list_repo_refs(REPO, repo_type="dataset")
        assert {t.name: t.target_commit for t in hub_refs.tags} == commits
        mirror = mirror_repo(hub.repo_path(REPO), hub.root / "lfs", tmp_path / "mirrors", REPO)
    assert mirror == tmp_path / "mirrors" / "datasets" / REPO
    tag_types = git("-C", mirror, "cat-file", "--batch-check=%(objecttype)", stdin=b"v1.0.0\nv1.1.0\n").split()
    assert tag_types == [b"tag", b"commit"]  # one annotated tag (olah must peel it), one lightweight
    # the Parquet shards of both releases (both configs) are LFS files: their bytes are where olah reads them
    parquet = {hashlib.sha256(p.read_bytes()).hexdigest() for f in folders.values() for p in f.glob("*/*.parquet")}
    lfs_store = mirror / ".git" / "lfs" / "objects"
    assert {p.relative_to(lfs_store).as_posix() for p in lfs_store.rglob("*") if p.is_file()} == {
        f"{oid[:2]}/{oid[2:4]}/{oid}" for oid in parquet
    }

    with OlahServer(tmp_path / "olah", tmp_path / "mirrors") as olah:
        olah_api = HfApi(endpoint=olah.url, token=TOKEN)
        refs = olah_api.list_repo_refs(REPO, repo_type="dataset")
        assert {t.name: t.target_commit for t in refs.tags} == commits
        assert [(b.name, b.target_commit) for b in refs.branches] == [("main", commits["v1.1.0"])]

        # Every file of each release, byte for byte, as a Hub client downloads it by tag.
        for tag, folder in folders.items():
            assert olah_api.dataset_info(REPO, revision=tag).sha == commits[tag]
            snapshot = Path(
                snapshot_download(
                    REPO,
                    repo_type="dataset",
                    revision=tag,
                    cache_dir=tmp_path / "snapshots",
                    endpoint=olah.url,
                    token=TOKEN,
                )
            )
            assert snapshot.name == commits[tag]
            served = _files(snapshot)
            assert served.pop(".gitattributes") == GITATTRIBUTES.encode()  # written by create_repo
            assert served == _files(folder)

        # load_dataset by tag, in a fresh interpreter pointed at olah only.
        env = {**client_env(olah.url, tmp_path / "home"), "LOOPBACK_GUARD_LOG": str(tmp_path / "client-refused.txt")}
        (tmp_path / "client-refused.txt").touch()
        proc = subprocess.run(
            [sys.executable, "-c", LOAD_SCRIPT, REPO, *folders],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, f"{proc.stderr[-3000:]}\n--- olah ---\n{olah.log()[-3000:]}"
        loaded = json.loads(proc.stdout.strip().splitlines()[-1])
        olah_refused = olah.refused()

    from datasets import Features

    for tag in folders:
        rows = {split: got["rows"] for split, got in loaded[tag].items()}
        assert _ids(rows) == _ids(expected[tag]), tag
        assert rows == expected[tag], tag
        for split, got in loaded[tag].items():
            assert Features.from_dict(got["features"]) == schema.features(), (tag, split)
    assert (tmp_path / "client-refused.txt").read_text().split() == []
    assert olah_refused == []
