"""The loopback Hub (tests/hub/server.py) driven by the real huggingface_hub and datasets clients.

Everything goes over real HTTP to 127.0.0.1; an autouse guard refuses any other host in this
process, and the datasets subprocess carries the same guard.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download, snapshot_download
from huggingface_hub.errors import (
    HfHubHTTPError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from tests.hub.server import HubServer, client_env, client_settings, point_clients_at

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # raw HTTP straight to loopback
REPO = "medqa/demo"
TOKEN = "hf_test_token_value"
TRAIN_V1 = [{"id": i, "question": f"question {i}", "answer": f"answer {i}"} for i in range(3)]
TEST_V1 = [{"id": 100, "question": "question 100", "answer": "answer 100"}]
TRAIN_V2 = [{"id": i, "question": f"question {i}", "answer": f"answer {i}"} for i in range(3, 5)]
README = """---
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*.parquet
  - split: test
    path: data/test-*.parquet
---
# MedQA demo
"""

# Runs datasets.load_dataset in a fresh interpreter (HF_* variables are read at import time),
# refusing any host but loopback, and prints the rows of each revision plus refused hosts.
LOAD_SCRIPT = r"""
import ipaddress, json, socket, sys
refused = []
_getaddrinfo = socket.getaddrinfo
def loopback_only(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else str(host)
    try:
        ok = name == "localhost" or ipaddress.ip_address(name).is_loopback
    except ValueError:
        ok = False
    if not ok:
        refused.append(name)
        raise socket.gaierror(f"refused by test: {name}")
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = loopback_only
import datasets
rows = {}
for revision in sys.argv[2:]:
    loaded = datasets.load_dataset(sys.argv[1], revision=revision)
    rows[revision] = {split: loaded[split].to_list() for split in loaded}
print(json.dumps({"rows": rows, "refused": refused}))
"""


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    """A fresh server; in-process clients point at it for this test only (monkeypatch undoes it)."""
    with HubServer(tmp_path / "hub") as server:
        for target, value in client_settings(server.url).items():
            monkeypatch.setattr(target, value)
        yield server


@pytest.fixture
def api(hub: HubServer) -> HfApi:
    return HfApi(endpoint=hub.url, token=TOKEN)


def _parquet(rows: list[dict[str, object]]) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buffer)
    return buffer.getvalue()


def _publish_two_releases(api: HfApi) -> tuple[str, str]:
    """v1.0.0 (annotated tag): README, train/test parquet, meta.json; v1.1.0 (lightweight): more train rows."""
    api.create_repo(REPO, repo_type="dataset")
    head = api.dataset_info(REPO).sha
    first = api.create_commit(
        REPO,
        repo_type="dataset",
        commit_message="Release v1.0.0",
        parent_commit=head,
        operations=[
            CommitOperationAdd("README.md", README.encode()),
            CommitOperationAdd("data/train-00000-of-00001.parquet", _parquet(TRAIN_V1)),
            CommitOperationAdd("data/test-00000-of-00001.parquet", _parquet(TEST_V1)),
            CommitOperationAdd("meta.json", json.dumps({"version": "1.0.0"}).encode()),
        ],
    )
    api.create_tag(REPO, repo_type="dataset", tag="v1.0.0", revision=first.oid, tag_message="MedQA v1.0.0")
    second = api.create_commit(
        REPO,
        repo_type="dataset",
        commit_message="Release v1.1.0",
        parent_commit=first.oid,
        operations=[CommitOperationAdd("data/train-00001-of-00001.parquet", _parquet(TRAIN_V2))],
    )
    api.create_tag(REPO, repo_type="dataset", tag="v1.1.0", revision=second.oid)
    return first.oid, second.oid


def _load_in_subprocess(hub: HubServer, home: Path, *revisions: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, REPO, *revisions],
        env=client_env(hub.url, home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _git(*args: str | Path) -> str:
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}  # e.g. in a git hook
    return subprocess.run(["git", *map(str, args)], check=True, capture_output=True, text=True, env=env).stdout.strip()


def test_create_repo_exists_and_private(api: HfApi) -> None:
    url = api.create_repo(REPO, repo_type="dataset")
    assert url.repo_id == REPO and url.repo_type == "dataset"
    assert api.create_repo(REPO, repo_type="dataset", exist_ok=True).repo_id == REPO
    with pytest.raises(HfHubHTTPError) as conflict:
        api.create_repo(REPO, repo_type="dataset")
    assert conflict.value.response.status_code == 409
    api.create_repo("medqa/secret", repo_type="dataset", private=True)
    assert api.dataset_info("medqa/secret").private is True
    assert api.dataset_info(REPO).private is False
    api.create_repo("medqa/model")  # model repos live at /{org}/{name}, no prefix
    assert [s.rfilename for s in api.model_info("medqa/model").siblings] == [".gitattributes"]


def test_tagged_releases_load_with_datasets_and_git(api: HfApi, hub: HubServer, tmp_path: Path) -> None:
    first, second = _publish_two_releases(api)

    result = _load_in_subprocess(hub, tmp_path / "home", "v1.0.0", "v1.1.0")
    assert result["rows"] == {
        "v1.0.0": {"train": TRAIN_V1, "test": TEST_V1},
        "v1.1.0": {"train": TRAIN_V1 + TRAIN_V2, "test": TEST_V1},
    }
    assert result["refused"] == []

    clone = tmp_path / "clone"
    _git("clone", "--quiet", hub.repo_path(REPO), clone)
    assert _git("-C", clone, "tag", "--list").split() == ["v1.0.0", "v1.1.0"]
    assert _git("-C", clone, "cat-file", "-t", "v1.0.0") == "tag"  # annotated
    assert _git("-C", clone, "rev-parse", "v1.0.0^{commit}", "v1.1.0") == f"{first}\n{second}"
    parquet = _parquet(TRAIN_V1)
    pointer = _git("-C", clone, "show", "v1.0.0:data/train-00000-of-00001.parquet")
    oid = hashlib.sha256(parquet).hexdigest()
    assert pointer == f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(parquet)}"
    assert json.loads(_git("-C", clone, "show", "v1.0.0:meta.json")) == {"version": "1.0.0"}  # regular file


def test_tags_refs_listing_and_downloads(api: HfApi, hub: HubServer, tmp_path: Path) -> None:
    first, second = _publish_two_releases(api)
    with pytest.raises(HfHubHTTPError) as conflict:
        api.create_tag(REPO, repo_type="dataset", tag="v1.0.0", revision=second)
    assert conflict.value.response.status_code == 409
    api.create_tag(REPO, repo_type="dataset", tag="v1.0.0", revision=second, exist_ok=True)

    refs = api.list_repo_refs(REPO, repo_type="dataset")
    assert {t.name: t.target_commit for t in refs.tags} == {"v1.0.0": first, "v1.1.0": second}
    assert [(b.name, b.target_commit) for b in refs.branches] == [("main", second)]
    assert [c.commit_id for c in api.list_repo_commits(REPO, repo_type="dataset", revision="v1.1.0")][:2] == [
        second,
        first,
    ]

    v1_files = {
        ".gitattributes",
        "README.md",
        "meta.json",
        "data/train-00000-of-00001.parquet",
        "data/test-00000-of-00001.parquet",
    }
    assert set(api.list_repo_files(REPO, repo_type="dataset", revision="v1.0.0")) == v1_files
    data = {e.path: e for e in api.list_repo_tree(REPO, "data", repo_type="dataset", revision="v1.0.0")}
    assert data["data/train-00000-of-00001.parquet"].lfs.sha256 == hashlib.sha256(_parquet(TRAIN_V1)).hexdigest()
    [meta] = api.get_paths_info(REPO, ["meta.json", "missing.txt"], repo_type="dataset", revision="v1.0.0")
    assert meta.lfs is None and meta.size == len(json.dumps({"version": "1.0.0"}))
    with pytest.raises(RemoteEntryNotFoundError):
        list(api.list_repo_tree(REPO, "nope", repo_type="dataset"))

    cache = tmp_path / "cache"
    kwargs = {"repo_type": "dataset", "cache_dir": cache, "endpoint": hub.url, "token": TOKEN}
    parquet = hf_hub_download(REPO, "data/train-00000-of-00001.parquet", revision="v1.0.0", **kwargs)
    assert Path(parquet).read_bytes() == _parquet(TRAIN_V1)
    snapshot = Path(snapshot_download(REPO, revision="v1.0.0", **kwargs))
    assert snapshot.name == first
    assert {p.relative_to(snapshot).as_posix() for p in snapshot.rglob("*") if p.is_file()} == v1_files
    with pytest.raises(RemoteEntryNotFoundError):
        hf_hub_download(REPO, "data/train-00001-of-00001.parquet", revision="v1.0.0", **kwargs)
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(REPO, "README.md", revision="v9", **kwargs)
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("medqa/absent", "README.md", **kwargs)

    api.delete_tag(REPO, repo_type="dataset", tag="v1.0.0")
    api.create_branch(REPO, repo_type="dataset", branch="stable", revision="v1.1.0")
    refs = api.list_repo_refs(REPO, repo_type="dataset")
    assert [t.name for t in refs.tags] == ["v1.1.0"]
    assert {b.name: b.target_commit for b in refs.branches} == {"main": second, "stable": second}


def test_range_requests(api: HfApi, hub: HubServer) -> None:
    api.create_repo(REPO, repo_type="dataset")
    api.upload_file(path_or_fileobj=b"0123456789", path_in_repo="digits.txt", repo_id=REPO, repo_type="dataset")
    url = f"{hub.url}/datasets/{REPO}/resolve/main/digits.txt"

    def get(byte_range: str) -> tuple[int, bytes, str | None]:
        request = urllib.request.Request(url, headers={"Range": byte_range})
        try:
            with NO_PROXY.open(request) as response:
                return response.status, response.read(), response.headers["Content-Range"]
        except urllib.error.HTTPError as error:
            return error.code, b"", error.headers["Content-Range"]

    assert get("bytes=2-5") == (206, b"2345", "bytes 2-5/10")
    assert get("bytes=-3") == (206, b"789", "bytes 7-9/10")
    assert get("bytes=8-") == (206, b"89", "bytes 8-9/10")
    assert get("bytes=10-") == (416, b"", "bytes */10")


def test_upload_modes_and_unchanged_files(api: HfApi, hub: HubServer) -> None:
    api.create_repo(REPO, repo_type="dataset")
    big = b"x" * (10 * 1024 * 1024)
    files = {"notes.txt": b"plain text\n", "blob.dat": b"\x00\x01binary", "big.txt": big}

    def commit(contents: dict[str, bytes]) -> str:
        operations = [CommitOperationAdd(path, content) for path, content in contents.items()]
        return api.create_commit(REPO, repo_type="dataset", commit_message="files", operations=operations).oid

    first = commit(files)
    tree = {entry.path: entry for entry in api.list_repo_tree(REPO, repo_type="dataset")}
    assert tree["notes.txt"].lfs is None  # text
    assert tree["blob.dat"].lfs is not None  # binary sample
    assert tree["big.txt"].lfs is not None and tree["big.txt"].size == len(big)  # >= 10 MB

    seen = len(hub.requests)
    assert commit(files) == first  # preupload's oids let the client skip unchanged files
    assert not [r for r in hub.requests[seen:] if "/commit/" in r.path]
    commit({"copy.txt": big})  # the LFS object is stored already: no upload action
    assert not [r for r in hub.requests[seen:] if r.method == "PUT"]


def test_keep_alive_survives_chunked_bodies_and_errors(api: HfApi, hub: HubServer) -> None:
    api.create_repo(REPO, repo_type="dataset")
    connection = http.client.HTTPConnection(hub.url.removeprefix("http://"), timeout=10)
    try:
        chunked = iter([b'{"content": ', b'"---\\n"}'])
        connection.request("POST", "/api/no-such-endpoint", body=chunked, encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 404 and json.loads(response.read())["error"]
        connection.request("POST", "/api/validate-yaml", body=iter([b"{}"]), encode_chunked=True)
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())) == (200, {"errors": [], "warnings": []})
        connection.request("PUT", f"/datasets/{REPO}.git/info/lfs/objects/{'0' * 64}", body=b"not that content")
        response = connection.getresponse()
        assert response.status == 400 and response.read()
        connection.request("GET", f"/api/datasets/{REPO}")  # same socket, still in sync
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["id"] == REPO
    finally:
        connection.close()
    assert len({r.path for r in hub.requests[-4:]}) == 4


def test_stale_parent_and_bad_commits_change_nothing(api: HfApi, hub: HubServer) -> None:
    api.create_repo(REPO, repo_type="dataset")
    initial = api.dataset_info(REPO).sha
    head = api.create_commit(
        REPO,
        repo_type="dataset",
        commit_message="a",
        parent_commit=initial,
        operations=[CommitOperationAdd("a.txt", b"a")],
    ).oid
    with pytest.raises(HfHubHTTPError) as stale:
        api.create_commit(
            REPO,
            repo_type="dataset",
            commit_message="b",
            parent_commit=initial,
            operations=[CommitOperationAdd("b.txt", b"b")],
        )
    assert stale.value.response.status_code == 412
    with pytest.raises(RevisionNotFoundError):
        api.create_commit(
            REPO,
            repo_type="dataset",
            commit_message="c",
            revision="nope",
            operations=[CommitOperationAdd("c.txt", b"c")],
        )

    never_uploaded = "\n".join(
        json.dumps(line)
        for line in [
            {"key": "header", "value": {"summary": "sneaky"}},
            {"key": "lfsFile", "value": {"path": "x.parquet", "algo": "sha256", "oid": "ab" * 32, "size": 3}},
        ]
    )
    request = urllib.request.Request(
        f"{hub.url}/api/datasets/{REPO}/commit/main",
        data=never_uploaded.encode(),
        headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        NO_PROXY.open(request)
    assert refused.value.code == 400

    assert api.dataset_info(REPO).sha == head
    assert api.list_repo_files(REPO, repo_type="dataset") == [".gitattributes", "a.txt"]
    assert _git("--git-dir", hub.repo_path(REPO), "rev-list", "--count", "main") == "2"


def test_failure_injection(api: HfApi, hub: HubServer) -> None:
    first, second = _publish_two_releases(api)
    refs_before = api.list_repo_refs(REPO, repo_type="dataset")

    def commit(name: str) -> str:
        add = CommitOperationAdd(name, name.encode())
        return api.create_commit(REPO, repo_type="dataset", commit_message=name, operations=[add]).oid

    hub.fail_next(r"/commit/", method="POST", status=500)
    with pytest.raises(HfHubHTTPError) as failed:
        commit("a.txt")
    assert failed.value.response.status_code == 500
    hub.fail_next(r"/commit/", method="POST", drop=True)
    with pytest.raises(Exception, match="disconnected"):
        commit("b.txt")
    assert api.list_repo_refs(REPO, repo_type="dataset") == refs_before
    assert [r.status for r in hub.requests if r.path.endswith("/commit/main")][-2:] == [500, None]

    hub.fail_next(r"/preupload/", status=503)  # retried by the client's backoff, so the commit lands
    landed = commit("c.txt")
    assert [r.status for r in hub.requests if "/preupload/" in r.path][-2:] == [503, 200]

    hub.fail_next(r"/commit/", drop=True, after=True)  # the commit lands but its answer is lost
    with pytest.raises(Exception, match="disconnected"):
        commit("d.txt")
    info = api.dataset_info(REPO)
    assert api.list_repo_commits(REPO, repo_type="dataset")[1].commit_id == landed
    assert "d.txt" in {s.rfilename for s in info.siblings}
    assert {t.name: t.target_commit for t in api.list_repo_refs(REPO, repo_type="dataset").tags} == {
        "v1.0.0": first,
        "v1.1.0": second,
    }


def test_request_log_shows_auth_and_the_load_sequence(api: HfApi, hub: HubServer, tmp_path: Path) -> None:
    first, _ = _publish_two_releases(api)
    writes = hub.requests
    assert all(r.bearer for r in writes if r.path.startswith("/api/") and r.method == "POST")
    assert TOKEN not in repr(writes)

    result = _load_in_subprocess(hub, tmp_path / "home", "v1.0.0")
    assert result["refused"] == []
    load = [(r.method, r.path, r.status) for r in hub.requests[len(writes) :]]
    base = f"/datasets/{REPO}/resolve"
    assert load[0] == ("HEAD", f"{base}/v1.0.0/README.md", 200)
    assert ("HEAD", f"{base}/{first}/demo.py", 404) in load  # no dataset script
    assert ("GET", f"/api/datasets/{REPO}/revision/{first}", 200) in load
    for name in ("train-00000-of-00001.parquet", "test-00000-of-00001.parquet"):
        assert ("GET", f"{base}/{first}/data/{name}", 200) in load
    assert all(r.bearer for r in hub.requests[len(writes) :] if r.path != "/api/agent-harnesses")
    assert not any("xet" in path for _, path, _ in load)


def test_point_clients_at_and_client_env(hub: HubServer, tmp_path: Path) -> None:
    import datasets
    import huggingface_hub

    point_clients_at("http://127.0.0.1:9")  # the hub fixture's monkeypatch restores all of these
    assert huggingface_hub.constants.ENDPOINT == "http://127.0.0.1:9"
    assert huggingface_hub.hf_api.api.endpoint == "http://127.0.0.1:9"
    assert huggingface_hub.constants.HF_HUB_DISABLE_XET is True
    assert datasets.config.HUB_DATASETS_URL.startswith("http://127.0.0.1:9/datasets/")
    assert datasets.config.USE_PARQUET_EXPORT is False

    env = client_env(hub.url, tmp_path)
    assert env["HF_ENDPOINT"] == hub.url and env["HF_HUB_DISABLE_XET"] == "1"
    assert "HF_HUB_OFFLINE" not in env and env["HF_DATASETS_CACHE"] == str(tmp_path / "datasets")


def test_command_line_server(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.hub.server", "--root", str(tmp_path), "--port", "0"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()  # type: ignore[union-attr]
        assert url.startswith("http://127.0.0.1:")
        with pytest.raises(urllib.error.HTTPError) as missing:
            NO_PROXY.open(f"{url}/api/datasets/medqa/absent")
        assert missing.value.code == 404 and missing.value.headers["X-Error-Code"] == "RepoNotFound"
    finally:
        server.terminate()
        server.wait(timeout=10)
