"""A Hugging Face Hub-compatible HTTP server for tests, on loopback only.

Why: the project publishes datasets with the *real* `huggingface_hub` and `datasets` clients, and
tests must exercise that code over real HTTP without any network. This server speaks the part of
the Hub API those clients use (shared/notes/hub-api.md is the spec) and stores every repo as a real
bare git repository, so commits, tags and branches are real git objects a test can `git clone`.

Layout under `root`:
    {datasets|models|spaces}/<org>/<name>.git   bare repos (LFS files committed as pointer files)
    lfs/<sha256>                                LFS objects, shared by all repos like the Hub's storage

Only the standard library and the `git` CLI are used, so the server needs nothing the clients lack.
Run it by hand with `python -m tests.hub.server --root DIR --port N`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fnmatch
import functools
import hashlib
import importlib
import ipaddress
import json
import os
import re
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote

URL_TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}  # API segment -> repo type
TYPE_DIRS = {repo_type: segment for segment, repo_type in URL_TYPES.items()}
URL_PREFIXES = {"model": "", "dataset": "datasets/", "space": "spaces/"}  # as in resolve URLs

LFS_MIN_SIZE = 10 * 1024 * 1024  # the Hub stores files this large in LFS whatever their name
LFS_POINTER_HEADER = b"version https://git-lfs.github.com/spec/v1\n"
# The patterns of the Hub's default .gitattributes (the ones that matter for datasets and models).
DEFAULT_LFS_PATTERNS = [
    "*.7z",
    "*.arrow",
    "*.bin",
    "*.bz2",
    "*.ckpt",
    "*.ftz",
    "*.gz",
    "*.h5",
    "*.joblib",
    "*.lfs.*",
    "*.lz4",
    "*.mds",
    "*.mlmodel",
    "*.model",
    "*.msgpack",
    "*.npy",
    "*.npz",
    "*.onnx",
    "*.ot",
    "*.parquet",
    "*.pb",
    "*.pickle",
    "*.pkl",
    "*.pt",
    "*.pth",
    "*.rar",
    "*.safetensors",
    "saved_model/**/*",
    "*.tar.*",
    "*.tar",
    "*.tflite",
    "*.tgz",
    "*.wasm",
    "*.xz",
    "*.zip",
    "*.zst",
    "*tfevents*",
    "*.mp3",
    "*.ogg",
    "*.wav",
    "*.flac",
    "*.jpg",
    "*.jpeg",
    "*.png",
    "*.webp",
    "*.gif",
    "*.mp4",
    "*.webm",
]
GITATTRIBUTES = "".join(f"{pattern} filter=lfs diff=lfs merge=lfs -text\n" for pattern in DEFAULT_LFS_PATTERNS)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SHA1 = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ZERO_OID = "0" * 40
# Plumbing must not depend on the machine's git config or identity.
_GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_AUTHOR_NAME": "HubServer",
    "GIT_AUTHOR_EMAIL": "hub-server@localhost",
    "GIT_COMMITTER_NAME": "HubServer",
    "GIT_COMMITTER_EMAIL": "hub-server@localhost",
}


# ---------------------------------------------------------------------------------------------
# Storage: bare git repositories and the LFS object store
# ---------------------------------------------------------------------------------------------


class GitError(RuntimeError):
    """A git command failed; the server answers 500 with git's message."""


def _run_git(git_dir: Path | None, *args: str, stdin: bytes = b"", env: Mapping[str, str] = {}) -> bytes:
    """Run git with a fixed identity and no user config; return stdout."""
    command = ["git", *(["--git-dir", str(git_dir)] if git_dir else []), *args]
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}  # e.g. in hooks
    proc = subprocess.run(command, input=stdin, capture_output=True, env={**inherited, **_GIT_ENV, **env})
    if proc.returncode:
        raise GitError(f"{' '.join(args[:2])}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def _git_date() -> dict[str, str]:
    """Author and committer dates set explicitly (now, UTC)."""
    stamp = f"@{int(time.time())} +0000"
    return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}


def _iso(timestamp: int) -> str:
    """The Hub's date format, which huggingface_hub's parse_datetime expects."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass(frozen=True)
class LfsInfo:
    """What a git-lfs pointer file says about the real file."""

    oid: str  # sha256 of the content
    size: int
    pointer_size: int


@dataclass(frozen=True)
class Entry:
    """A file or folder of a commit's tree, shaped like the Hub's tree/paths-info entries."""

    path: str
    kind: str  # "file" | "directory"
    oid: str  # git blob or tree sha1
    size: int  # the real size (of the LFS object for LFS files)
    lfs: LfsInfo | None = None

    @property
    def etag(self) -> str:
        """What the Hub sends as ETag: the blob sha1, or the sha256 for LFS files."""
        return self.lfs.oid if self.lfs else self.oid

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.kind, "oid": self.oid, "size": self.size, "path": self.path}
        if self.lfs:
            data["lfs"] = {"oid": self.lfs.oid, "size": self.lfs.size, "pointerSize": self.lfs.pointer_size}
        return data

    def to_sibling(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rfilename": self.path, "size": self.size, "blobId": self.oid}
        if self.lfs:
            data["lfs"] = {"sha256": self.lfs.oid, "size": self.lfs.size, "pointerSize": self.lfs.pointer_size}
        return data


def lfs_pointer(oid: str, size: int) -> bytes:
    """The git-lfs pointer file committed in place of an LFS file."""
    return LFS_POINTER_HEADER + f"oid sha256:{oid}\nsize {size}\n".encode()


def _parse_pointer(blob: bytes) -> LfsInfo | None:
    """LFS info if `blob` is a git-lfs pointer file."""
    if not blob.startswith(LFS_POINTER_HEADER):
        return None
    fields = dict(line.split(" ", 1) for line in blob.decode(errors="replace").splitlines()[1:] if " " in line)
    oid, size = fields.get("oid", "").removeprefix("sha256:"), fields.get("size", "")
    if not _SHA256.fullmatch(oid) or not size.isdigit():
        return None
    return LfsInfo(oid=oid, size=int(size), pointer_size=len(blob))


class LfsStore:
    """Content-addressed LFS objects (`<root>/lfs/<sha256>`), written only after their hash is checked."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def size(self, oid: str) -> int | None:
        """Size of a stored object, None if it was never uploaded."""
        target = self.path / oid
        return target.stat().st_size if _SHA256.fullmatch(oid) and target.is_file() else None

    def put(self, oid: str, data: bytes) -> bool:
        """Store `data` under `oid`; False (nothing stored) if the content does not hash to it."""
        if not _SHA256.fullmatch(oid) or hashlib.sha256(data).hexdigest() != oid:
            return False
        self.path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.path, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, self.path / oid)
        return True

    def read(self, oid: str) -> bytes:
        return (self.path / oid).read_bytes()


class GitRepo:
    """One Hub repo as a bare git repository; commits are built without a work tree."""

    def __init__(self, path: Path, repo_type: str, repo_id: str, lfs: LfsStore) -> None:
        self.path, self.repo_type, self.repo_id, self.lfs = path, repo_type, repo_id, lfs
        self._trees: dict[str, dict[str, Entry]] = {}  # commit -> entries; commits never change

    def git(self, *args: str, stdin: bytes = b"", env: Mapping[str, str] = {}) -> str:
        return _run_git(self.path, *args, stdin=stdin, env=env).decode().strip()

    def exists(self) -> bool:
        return (self.path / "HEAD").is_file()

    def create(self, private: bool) -> None:
        """A new repo whose `main` has one commit with the Hub's default .gitattributes, like the Hub."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _run_git(None, "init", "--quiet", "--bare", "--initial-branch=main", str(self.path))
        self.git("config", "hub.private", "true" if private else "false")
        self.commit("main", None, {".gitattributes": GITATTRIBUTES.encode()}, "initial commit")

    @property
    def private(self) -> bool:
        return self.git("config", "--get", "hub.private") == "true"

    def resolve(self, rev: str) -> str | None:
        """Commit sha of a branch, tag, full ref or commit sha, as the Hub accepts (no git rev syntax)."""
        if not re.fullmatch(r"[\w.\-/]+", rev) or ".." in rev or rev.startswith("-"):
            return None
        candidates = [rev] if rev.startswith("refs/") else [f"refs/heads/{rev}", f"refs/tags/{rev}"]
        if _SHA1.fullmatch(rev):
            candidates.append(rev)
        for candidate in candidates:
            try:
                return self.git("rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}")
            except GitError:
                continue
        return None

    def valid_ref(self, ref: str) -> bool:
        """Whether `ref` is a name git accepts (and not option-like)."""
        try:
            _run_git(None, "check-ref-format", ref)
        except GitError:
            return False
        return not ref.rsplit("/", 1)[-1].startswith("-")

    def tree(self, commit: str) -> dict[str, Entry]:
        """Every file and folder of `commit`, by path (cached: a commit's tree never changes)."""
        if commit not in self._trees:
            self._trees[commit] = self._read_tree(commit)
        return self._trees[commit]

    def _read_tree(self, commit: str) -> dict[str, Entry]:
        entries: dict[str, Entry] = {}
        for record in _run_git(self.path, "ls-tree", "-r", "-t", "-l", "-z", commit).split(b"\0"):
            if not record:
                continue
            meta, raw_path = record.split(b"\t", 1)
            _, kind, oid, size = meta.decode().split()
            path = raw_path.decode()
            if kind == "tree":
                entries[path] = Entry(path, "directory", oid, 0)
            elif kind == "blob":
                entries[path] = Entry(path, "file", oid, int(size))
        small = [entry for entry in entries.values() if entry.kind == "file" and entry.size < 1024]
        for entry, blob in zip(small, self._cat_blobs([entry.oid for entry in small]), strict=True):
            lfs = _parse_pointer(blob)
            if lfs:
                entries[entry.path] = replace(entry, size=lfs.size, lfs=lfs)
        return entries

    def _cat_blobs(self, oids: list[str]) -> list[bytes]:
        """Contents of many blobs with one `git cat-file --batch`."""
        if not oids:
            return []
        out = _run_git(self.path, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
        blobs, offset = [], 0
        for _ in oids:
            header_end = out.index(b"\n", offset)
            size = int(out[offset:header_end].split()[2])
            blobs.append(out[header_end + 1 : header_end + 1 + size])
            offset = header_end + 1 + size + 1
        return blobs

    def read(self, entry: Entry) -> bytes:
        """A file's real content (LFS files come from the LFS store)."""
        if entry.lfs:
            return self.lfs.read(entry.lfs.oid)
        return _run_git(self.path, "cat-file", "blob", entry.oid)

    def commit(self, branch: str, parent: str | None, changes: Mapping[str, bytes | None], message: str) -> str | None:
        """Commit `changes` (path -> content, None deletes) on top of `parent` and move `branch` there.

        Returns the new commit, or None if the branch no longer points at `parent` (compare-and-swap).
        """
        with tempfile.TemporaryDirectory() as tmp:
            index = {"GIT_INDEX_FILE": os.path.join(tmp, "index")}
            if parent:
                self.git("read-tree", parent, env=index)
            lines = [f"0 {_ZERO_OID}\t{path}" for path, content in changes.items() if content is None]
            lines += [
                f"100644 {self.git('hash-object', '-w', '--stdin', stdin=content)}\t{path}"
                for path, content in changes.items()
                if content is not None
            ]
            if lines:
                self.git(
                    "update-index", "--index-info", stdin="".join(f"{line}\n" for line in lines).encode(), env=index
                )
            tree = self.git("write-tree", env=index)
        commit = self.git(
            "commit-tree", tree, *(["-p", parent] if parent else []), stdin=message.encode(), env=_git_date()
        )
        return commit if self.update_ref(f"refs/heads/{branch}", commit, parent or "") else None

    def update_ref(self, ref: str, new: str, old: str) -> bool:
        """Point `ref` at `new` only if it is at `old` ("" = must not exist)."""
        try:
            self.git("update-ref", ref, new, old)
        except GitError:
            return False
        return True

    def create_tag(self, tag: str, commit: str, message: str | None) -> bool:
        """An annotated tag if there is a message, else a lightweight one; False if the tag exists."""
        target = commit
        if message:
            tagger = f"{_GIT_ENV['GIT_COMMITTER_NAME']} <{_GIT_ENV['GIT_COMMITTER_EMAIL']}> {int(time.time())} +0000"
            body = f"object {commit}\ntype commit\ntag {tag}\ntagger {tagger}\n\n{message}\n"
            target = self.git("mktag", stdin=body.encode())
        return self.update_ref(f"refs/tags/{tag}", target, "")

    def delete_ref(self, ref: str) -> bool:
        """False if `ref` does not exist."""
        try:
            self.git("rev-parse", "--verify", "--quiet", ref)
        except GitError:
            return False
        self.git("update-ref", "-d", ref)
        return True

    def refs(self) -> list[tuple[str, str]]:
        """(ref name, commit) for every ref, annotated tags peeled to their commit."""
        out = self.git("for-each-ref", "--format=%(refname)%00%(objectname)%00%(*objectname)")
        pairs = []
        for line in out.splitlines():
            ref, target, peeled = line.split("\0")
            pairs.append((ref, peeled or target))
        return pairs

    def log(self, commit: str) -> list[dict[str, Any]]:
        """The history of `commit`, newest first, as list_repo_commits reads it."""
        out = _run_git(self.path, "log", "--format=%H%x1f%an%x1f%at%x1f%s%x1f%b%x1e", commit).decode()
        history = []  # (no str.strip on the whole output: it treats \x1e and \x1f as whitespace)
        for record in filter(None, (chunk.strip("\n") for chunk in out.split("\x1e"))):
            sha, author, stamp, title, body = record.split("\x1f")
            history.append(
                {
                    "id": sha,
                    "title": title,
                    "message": body.strip(),
                    "date": _iso(int(stamp)),
                    "authors": [{"user": author}],
                }
            )
        return history

    def commit_date(self, commit: str) -> str:
        return _iso(int(self.git("show", "-s", "--format=%ct", commit)))


# ---------------------------------------------------------------------------------------------
# HTTP plumbing
# ---------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # a Content-Length here wins (HEAD)


class HubError(Exception):
    """An error answer shaped like the Hub's: JSON body, X-Error-Code / X-Error-Message headers."""

    def __init__(
        self, status: int, message: str, code: str | None = None, headers: Mapping[str, str] = {}, **extra: Any
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.headers, self.extra = status, message, code, dict(headers), extra

    def response(self) -> Response:
        headers = {**self.headers, "X-Error-Message": self.message}
        if self.code:
            headers["X-Error-Code"] = self.code
        return _json({"error": self.message, **self.extra}, self.status, headers)


def _json(
    data: Any, status: int = 200, headers: Mapping[str, str] = {}, content_type: str = "application/json"
) -> Response:
    return Response(status, json.dumps(data).encode(), {"Content-Type": content_type, **headers})


@dataclass
class Request:
    method: str
    segments: list[str]  # the URL path split on "/" *before* unquoting (revisions may hold "%2F")
    query: dict[str, list[str]]
    headers: Message
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            raise HubError(400, "request body is not valid JSON") from None

    def flag(self, name: str) -> bool:
        return self.query.get(name, [""])[0].lower() in ("1", "true")


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single-range `Range` header, None without one; 416 if unsatisfiable."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header)
    if not match or match.groups() == ("", ""):
        raise HubError(416, f"unsupported Range: {header}", headers={"Content-Range": f"bytes */{size}"})
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        raise HubError(416, f"Range not satisfiable: {header}", headers={"Content-Range": f"bytes */{size}"})
    return start, end


def _clean_path(value: Any) -> str:
    """A repo path from a request, refused if git could not store it or it escapes the repo."""
    path = value.strip("/") if isinstance(value, str) else ""
    if not path or any(part in ("", ".", "..", ".git") for part in path.split("/")) or re.search(r"[\x00-\x1f]", path):
        raise HubError(400, f"invalid path in repo: {value!r}")
    return path


def _wants_lfs(path: str, size: int, sample: bytes, patterns: list[str]) -> bool:
    """The Hub's choice: .gitattributes `filter=lfs` patterns, size, or a binary-looking sample."""
    name = path.rsplit("/", 1)[-1]
    by_pattern = any(fnmatch.fnmatchcase(path if "/" in p else name, p) for p in patterns)
    return size > 0 and (by_pattern or size >= LFS_MIN_SIZE or b"\0" in sample)


def _lfs_patterns(gitattributes: str) -> list[str]:
    return [line.split()[0] for line in gitattributes.splitlines() if "filter=lfs" in line.split()[1:]]


def _parse_commit_payload(body: bytes) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The ndjson commit body: its header and its operations, in order."""
    header, operations = None, []
    for line in body.splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            key, value = item["key"], item["value"]
        except (ValueError, KeyError, TypeError):
            raise HubError(400, "malformed ndjson line in commit payload") from None
        if key == "header":
            header = value
        else:
            operations.append((key, value))
    if not isinstance(header, dict) or not header.get("summary"):
        raise HubError(400, "commit payload needs a header with a summary")
    return header, operations


# ---------------------------------------------------------------------------------------------
# The Hub API
# ---------------------------------------------------------------------------------------------


def _rev(args: list[str]) -> str:
    """The revision segment of a repo API path; the Hub defaults to `main`."""
    return args[0] if args else "main"


_Handler = Callable[["_HubApi", GitRepo, Request, list[str]], Response]


class _HubApi:
    """The Hub endpoints, mapped onto the git repos and LFS store under `root`."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.root, self.base_url = root, base_url
        self.lfs = LfsStore(root / "lfs")
        self.write_lock = threading.Lock()  # one writer at a time keeps ref updates simple
        self._repos: dict[Path, GitRepo] = {}

    def handle(self, req: Request) -> Response:
        segments = req.segments
        if segments[:1] == ["api"]:
            return self._api(req, segments[1:])
        return self._repo_url(req, segments)

    # -- routing -----------------------------------------------------------------------------

    def _api(self, req: Request, segments: list[str]) -> Response:
        if req.method == "POST" and segments == ["repos", "create"]:
            return self.create_repo(req)
        if req.method == "POST" and segments == ["validate-yaml"]:
            return _json({"errors": [], "warnings": []})
        if req.method == "GET" and segments == ["whoami-v2"]:
            return self.whoami(req)
        if len(segments) >= 3 and segments[0] in URL_TYPES:
            action = segments[3] if len(segments) > 3 else ""
            handler = self._REPO_API.get((req.method, action))
            if handler:
                repo = self.repo(URL_TYPES[segments[0]], segments[1], segments[2])
                return handler(self, repo, req, segments[4:])
        raise HubError(404, f"no such endpoint: {req.method} /{'/'.join(segments)}")

    def _repo_url(self, req: Request, segments: list[str]) -> Response:
        """`/{prefix}{repo}/resolve/...` downloads and `/{prefix}{repo}.git/info/lfs/...` LFS calls."""
        repo_type = "model"
        if segments[:1] in (["datasets"], ["spaces"]):
            repo_type, segments = URL_TYPES[segments[0]], segments[1:]
        if len(segments) >= 4 and segments[1].endswith(".git") and segments[2:4] == ["info", "lfs"]:
            return self._lfs(req, self.repo(repo_type, segments[0], segments[1][:-4]), segments[4:])
        if len(segments) >= 5 and segments[2] == "resolve" and req.method in ("GET", "HEAD"):
            repo = self.repo(repo_type, segments[0], segments[1])
            return self.resolve(repo, req, segments[3], "/".join(segments[4:]))
        raise HubError(404, f"no such endpoint: {req.method} /{'/'.join(segments)}")

    def _lfs(self, req: Request, repo: GitRepo, segments: list[str]) -> Response:
        if req.method == "POST" and segments == ["objects", "batch"]:
            return self.lfs_batch(repo, req)
        if req.method == "PUT" and len(segments) == 2 and segments[0] == "objects":
            return self.lfs_upload(segments[1], req)
        if req.method == "POST" and segments == ["verify"]:
            return self.lfs_verify(req)
        raise HubError(404, f"no such LFS endpoint: {'/'.join(segments)}")

    def _lookup(self, repo_type: str, org: str, name: str) -> GitRepo | None:
        """The repo object for `org/name`, existing or not; None if the name is not acceptable."""
        if not (_NAME.fullmatch(org) and _NAME.fullmatch(name)) or name.endswith(".git") or ".." in org + name:
            return None
        path = self.root / TYPE_DIRS[repo_type] / org / f"{name}.git"
        return self._repos.setdefault(path, GitRepo(path, repo_type, f"{org}/{name}", self.lfs))

    def repo(self, repo_type: str, org: str, name: str) -> GitRepo:
        """The existing repo `org/name`, else 404 RepoNotFound."""
        repo = self._lookup(repo_type, org, name)
        if repo is None or not repo.exists():
            raise HubError(404, "Repository not found", "RepoNotFound")
        return repo

    def _commit(self, repo: GitRepo, rev: str) -> str:
        """The commit `rev` names, else 404 RevisionNotFound."""
        commit = repo.resolve(rev)
        if commit is None:
            raise HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        return commit

    def _web_url(self, repo: GitRepo) -> str:
        return f"{self.base_url}/{URL_PREFIXES[repo.repo_type]}{repo.repo_id}"

    # -- who the token is --------------------------------------------------------------------

    WHOAMI_USER = "medqa-bot"
    WHOAMI_ORGS = ("medqa",)  # the namespaces the token's user belongs to, besides its own

    def whoami(self, req: Request) -> Response:
        """`whoami-v2`: any bearer token is the user `medqa-bot`, member of `WHOAMI_ORGS`; none is 401."""
        auth = req.headers.get("Authorization", "")
        if not (auth.startswith("Bearer ") and len(auth) > len("Bearer ")):
            raise HubError(401, "Invalid credentials in Authorization header")
        return _json(
            {
                "type": "user",
                "name": self.WHOAMI_USER,
                "fullname": self.WHOAMI_USER,
                "orgs": [{"type": "org", "name": org} for org in self.WHOAMI_ORGS],
                "auth": {"type": "access_token", "accessToken": {"role": "write"}},
            }
        )

    # -- repos and info ----------------------------------------------------------------------

    def create_repo(self, req: Request) -> Response:
        payload = req.json()
        name, org, repo_type = payload.get("name"), payload.get("organization"), payload.get("type") or "model"
        if repo_type not in TYPE_DIRS or not isinstance(name, str) or not isinstance(org, str):
            raise HubError(400, "this server needs a repo type and an id of the form org/name")
        repo = self._lookup(repo_type, org, name)
        if repo is None:
            raise HubError(400, f"invalid repo id: {org}/{name}")
        url = self._web_url(repo)
        with self.write_lock:
            if repo.exists():  # the client reads "url" even from the 409 when exist_ok=True
                raise HubError(409, f"You already created this {repo_type} repo", url=url)
            repo.create(private=payload.get("visibility") == "private" or payload.get("private") is True)
        return _json({"url": url, "name": repo.repo_id, "id": repo.repo_id})

    def info(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        """repo_info / dataset_info, at `main` or at `/revision/{rev}`."""
        commit = self._commit(repo, _rev(args))
        org = repo.repo_id.split("/")[0]
        files = [entry.to_sibling() for entry in repo.tree(commit).values() if entry.kind == "file"]
        return _json(
            {
                "_id": hashlib.sha1(repo.repo_id.encode()).hexdigest()[:24],
                "id": repo.repo_id,
                "author": org,
                "sha": commit,
                "private": repo.private,
                "gated": False,
                "disabled": False,
                "lastModified": repo.commit_date(commit),
                "downloads": 0,
                "likes": 0,
                "tags": [],
                "siblings": files,
            }
        )

    def refs(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        groups: dict[str, list[dict[str, str]]] = {"branches": [], "converts": [], "tags": [], "pullRequests": []}
        prefixes = {
            "refs/heads/": "branches",
            "refs/convert/": "converts",
            "refs/tags/": "tags",
            "refs/pr/": "pullRequests",
        }
        for ref, commit in repo.refs():
            for prefix, group in prefixes.items():
                if ref.startswith(prefix):
                    groups[group].append({"name": ref[len(prefix) :], "ref": ref, "targetCommit": commit})
        return _json(groups)

    def commits(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        return _json(repo.log(self._commit(repo, _rev(args))))

    def tree(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        """list_repo_tree: children (or all descendants with ?recursive=true) of a folder."""
        commit = self._commit(repo, _rev(args))
        folder = "/".join(args[1:]).strip("/")
        entries = repo.tree(commit)
        if folder and getattr(entries.get(folder), "kind", None) != "directory":
            raise HubError(404, f"Entry not found: {folder}", "EntryNotFound", {"X-Repo-Commit": commit})
        prefix = f"{folder}/" if folder else ""
        recursive = req.flag("recursive")
        listing = [
            entry.to_json()
            for path, entry in sorted(entries.items())
            if path.startswith(prefix) and (recursive or "/" not in path[len(prefix) :])
        ]
        return _json(listing)

    def paths_info(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        entries = repo.tree(self._commit(repo, _rev(args)))
        paths = parse_qs(req.body.decode(), keep_blank_values=True).get("paths", [])
        found = [entries[path].to_json() for path in dict.fromkeys(p.strip("/") for p in paths) if path in entries]
        return _json(found)

    def resolve(self, repo: GitRepo, req: Request, rev: str, path: str) -> Response:
        """A file download; HEAD gives the metadata hf_hub_download checks, GET may ask for a Range."""
        commit = self._commit(repo, rev)
        entry = repo.tree(commit).get(path)
        if entry is None or entry.kind != "file":
            raise HubError(404, f"Entry not found: {path}", "EntryNotFound", {"X-Repo-Commit": commit})
        headers = {
            "X-Repo-Commit": commit,
            "ETag": f'"{entry.etag}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/octet-stream",
        }
        if req.method == "HEAD":
            return Response(200, b"", {**headers, "Content-Length": str(entry.size)})
        data = repo.read(entry)
        span = _byte_range(req.headers.get("Range"), len(data))
        if span is None:
            return Response(200, data, headers)
        start, end = span
        return Response(206, data[start : end + 1], {**headers, "Content-Range": f"bytes {start}-{end}/{len(data)}"})

    # -- writes ------------------------------------------------------------------------------

    def preupload(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        """Upload mode per file, plus the current oid so the client can skip unchanged files."""
        commit = self._commit(repo, _rev(args))
        entries = repo.tree(commit)
        attributes = entries.get(".gitattributes")
        patterns = _lfs_patterns(repo.read(attributes).decode(errors="replace")) if attributes else []
        answers = []
        for item in req.json().get("files", []):
            path, size = item["path"], int(item.get("size", 0))
            current = entries.get(path)
            lfs = _wants_lfs(path, size, base64.b64decode(item.get("sample", "")), patterns)
            answers.append(
                {
                    "path": path,
                    "uploadMode": "lfs" if lfs else "regular",
                    "shouldIgnore": False,  # the client indexes this key directly
                    "oid": current.etag if current and current.kind == "file" else None,
                }
            )
        return _json({"files": answers, "commitOid": commit})

    def commit(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        """create_commit: apply ndjson operations on a branch, refusing a stale `parentCommit` (412)."""
        branch = _rev(args).removeprefix("refs/heads/")
        if req.flag("create_pr"):
            raise HubError(400, "create_pr is not supported by this test server")
        header, operations = _parse_commit_payload(req.body)
        with self.write_lock:
            head = repo.resolve(f"refs/heads/{branch}")
            if head is None:
                raise HubError(404, f"Invalid rev id: {branch}", "RevisionNotFound")
            if header.get("parentCommit") and header["parentCommit"] != head:
                raise HubError(412, "A commit has happened since. Please refresh and try again.")
            changes = self._changes(repo.tree(head), operations)
            message = header["summary"] + (f"\n\n{header['description']}" if header.get("description") else "")
            new = repo.commit(branch, head, changes, message)
        if new is None:
            raise HubError(412, "The branch moved during the commit. Please refresh and try again.")
        return _json(
            {"success": True, "commitOid": new, "commitUrl": f"{self._web_url(repo)}/commit/{new}", "hookOutput": ""}
        )

    def _changes(
        self, entries: Mapping[str, Entry], operations: list[tuple[str, dict[str, Any]]]
    ) -> dict[str, bytes | None]:
        """The new content (None = deleted) of every path the operations touch, applied in order."""
        files = {path for path, entry in entries.items() if entry.kind == "file"}
        changes: dict[str, bytes | None] = {}
        for key, value in operations:
            path = _clean_path(value.get("path"))
            if key == "file":
                content = value.get("content", "")
                changes[path] = base64.b64decode(content) if value.get("encoding") == "base64" else content.encode()
                files.add(path)
            elif key == "lfsFile":
                changes[path] = self._lfs_pointer_for(path, value)
                files.add(path)
            elif key == "deletedFile":
                if path not in files:
                    raise HubError(404, f"A file with this name doesn't exist: {path}", "EntryNotFound")
                changes[path] = None
                files.discard(path)
            elif key == "deletedFolder":
                inside = [file for file in files if file.startswith(f"{path}/")]
                if not inside:
                    raise HubError(404, f"A folder with this name doesn't exist: {path}", "EntryNotFound")
                changes.update(dict.fromkeys(inside))
                files.difference_update(inside)
            else:
                raise HubError(400, f"unsupported commit operation: {key}")
        return changes

    def _lfs_pointer_for(self, path: str, value: Mapping[str, Any]) -> bytes:
        """The pointer file for an `lfsFile` operation, refused if its object was never uploaded."""
        oid = str(value.get("oid", ""))
        size = self.lfs.size(oid)
        if size is None:
            raise HubError(400, f"LFS object {oid} for {path} was never uploaded")
        if value.get("size") not in (None, size):
            raise HubError(400, f"LFS object {oid} for {path} has size {size}, not {value['size']}")
        return lfs_pointer(oid, size)

    def create_tag(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        commit = self._commit(repo, _rev(args))
        payload = req.json()
        tag = payload.get("tag")
        if not isinstance(tag, str) or not repo.valid_ref(f"refs/tags/{tag}"):
            raise HubError(400, f"invalid tag name: {tag!r}")
        with self.write_lock:
            if not repo.create_tag(tag, commit, payload.get("message")):
                raise HubError(409, f"Tag {tag} already exists")
        return _json({"name": tag, "ref": f"refs/tags/{tag}", "targetCommit": commit})

    def delete_tag(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        tag = args[0] if args else ""
        with self.write_lock:
            if not repo.delete_ref(f"refs/tags/{tag}"):
                raise HubError(404, f"Tag {tag} does not exist", "RevisionNotFound")
        return _json({})

    def create_branch(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        branch = args[0] if args else ""
        commit = self._commit(repo, req.json().get("startingPoint") or "main")
        if not repo.valid_ref(f"refs/heads/{branch}"):
            raise HubError(400, f"invalid branch name: {branch!r}")
        with self.write_lock:
            if not repo.update_ref(f"refs/heads/{branch}", commit, ""):
                raise HubError(409, f"Branch {branch} already exists")
        return _json({"name": branch, "ref": f"refs/heads/{branch}", "targetCommit": commit})

    def xet_write_token(self, repo: GitRepo, req: Request, args: list[str]) -> Response:
        raise HubError(404, "xet is not served here: run the client with HF_HUB_DISABLE_XET=1")

    # -- LFS (basic transfer, on this same server) -------------------------------------------

    def lfs_batch(self, repo: GitRepo, req: Request) -> Response:
        payload = req.json()
        if payload.get("operation") != "upload":
            raise HubError(400, "only LFS uploads are served (downloads go through resolve)")
        base = f"{self._web_url(repo)}.git/info/lfs"
        objects = []
        for item in payload.get("objects", []):
            oid, size = str(item.get("oid", "")), item.get("size")
            if not _SHA256.fullmatch(oid) or not isinstance(size, int):
                objects.append(
                    {
                        "oid": oid,
                        "size": size if isinstance(size, int) else 0,
                        "error": {"code": 422, "message": "invalid object"},
                    }
                )
            elif self.lfs.size(oid) == size:
                objects.append({"oid": oid, "size": size})  # already stored: no actions
            else:
                actions = {"upload": {"href": f"{base}/objects/{oid}"}, "verify": {"href": f"{base}/verify"}}
                objects.append({"oid": oid, "size": size, "actions": actions})
        return _json({"transfer": "basic", "objects": objects}, content_type="application/vnd.git-lfs+json")

    def lfs_upload(self, oid: str, req: Request) -> Response:
        """The basic-transfer PUT; unauthenticated like the Hub's presigned URLs."""
        if not self.lfs.put(oid, req.body):
            raise HubError(400, f"uploaded content does not hash to {oid}")
        return Response(200)

    def lfs_verify(self, req: Request) -> Response:
        payload = req.json()
        oid = str(payload.get("oid", ""))
        if self.lfs.size(oid) != payload.get("size"):
            raise HubError(404, f"LFS object {oid} is missing or has another size")
        return _json({})

    _REPO_API: ClassVar[dict[tuple[str, str], _Handler]] = {
        ("GET", ""): info,
        ("GET", "revision"): info,
        ("GET", "refs"): refs,
        ("GET", "commits"): commits,
        ("GET", "tree"): tree,
        ("POST", "paths-info"): paths_info,
        ("POST", "preupload"): preupload,
        ("POST", "commit"): commit,
        ("POST", "tag"): create_tag,
        ("DELETE", "tag"): delete_tag,
        ("POST", "branch"): create_branch,
        ("GET", "xet-write-token"): xet_write_token,
    }


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it. It records whether a token came, never the token."""

    method: str
    path: str  # percent-encoded, without the query
    query: str
    status: int | None  # None: the connection was dropped without an answer (fail_next(drop=True))
    bearer: bool  # an `Authorization: Bearer <something>` header arrived


@dataclass
class _Fault:
    path_regex: re.Pattern[str]
    method: str | None
    status: int | None  # None: drop the connection
    after: bool
    remaining: int
    die: bool = False

    def matches(self, method: str, path: str) -> bool:
        return self.method in (None, method) and bool(self.path_regex.search(path))

    def response(self) -> Response | None:
        if self.status is None:
            return None
        return HubError(self.status, "Injected failure (HubServer.fail_next)").response()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections are closed by HubServer.stop instead

    def __init__(self, address: tuple[str, int], hub: HubServer) -> None:
        self.hub = hub
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _RequestHandler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's getfqdn(), which may ask a DNS server about the address."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])


class _RequestHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive: every body is read in full before answering, even on errors."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive socket does not hold a thread forever
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.hub._track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.hub._track(self.connection, open_=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: HubServer.requests is the log."""

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        body = self._read_body()
        response = self.server.hub._serve(self.command, path, query, self.headers, body)
        if response is None:
            self.close_connection = True  # drop: close without a byte of answer
            return
        self.send_response(response.status)
        headers = {"Content-Length": str(len(response.body)), **response.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_HEAD = do_POST = do_PUT = do_DELETE = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        chunks = []
        while size := int(self.rfile.readline(65537).split(b";")[0].strip() or b"0", 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()  # CRLF after the chunk
        while self.rfile.readline(65537).strip():  # trailers, up to the blank line
            pass
        return b"".join(chunks)


class HubServer:
    """A loopback Hub for tests; a context manager that runs in a thread of the test process.

    Clients talk real HTTP to `url`. Tests can inject failures (`fail_next`) and read the request
    log (`requests`); the repos are bare git repositories under `root` (`repo_path`).
    """

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"HubServer serves loopback only, not {host}")
        self.root, self.host, self.port = Path(root), host, port
        self.url = ""  # known once started (port 0 picks a free port)
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self._dead = False  # a fault with die=True was taken: every request is dropped
        self._log: list[LoggedRequest] = []
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._api: _HubApi | None = None

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> HubServer:
        self.root.mkdir(parents=True, exist_ok=True)
        self._httpd = _HTTPServer((self.host, self.port), self)
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{host}:{self._httpd.server_address[1]}"
        self._api = _HubApi(self.root, self.url)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="HubServer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close kept-alive connections, so no client can reach a stopped server."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        if self._thread:
            self._thread.join()
        self._httpd = self._thread = None

    def repo_path(self, repo_id: str, repo_type: str = "dataset") -> Path:
        """The bare git repository behind a repo, for `git clone` or `git log` in tests."""
        return self.root / TYPE_DIRS[repo_type] / f"{repo_id}.git"

    def fail_next(
        self,
        path_regex: str,
        *,
        method: str | None = None,
        status: int = 500,
        times: int = 1,
        drop: bool = False,
        after: bool = False,
        die: bool = False,
    ) -> None:
        """Make the next `times` matching requests fail, to test how the client copes.

        `path_regex` is searched in the percent-encoded URL path (no query). The request answers
        `status` instead of being handled, or with `drop=True` the connection is closed without an
        answer. With `after=True` the request is first handled for real (its effects stay), then the
        answer is replaced or dropped: a response lost on its way back. With `die=True` the server
        then drops every later request, as if it had died, until `clear_faults`.
        """
        fault = _Fault(re.compile(path_regex), method, None if drop else status, after, times, die)
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        """Drop every fault not yet taken: the server is healthy again."""
        with self._lock:
            self._faults.clear()
            self._dead = False

    @property
    def requests(self) -> list[LoggedRequest]:
        """A snapshot of every request served so far, in arrival order."""
        with self._lock:
            return list(self._log)

    # -- called by the request handler -------------------------------------------------------

    def _track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            if self._dead:
                return _Fault(re.compile(""), None, None, False, 1)
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if not fault.remaining:
                        self._faults.remove(fault)
                    self._dead = fault.die
                    return fault
        return None

    def _serve(self, method: str, path: str, query: str, headers: Message, body: bytes) -> Response | None:
        """Answer one request (None = drop the connection) and log it."""
        fault = self._take_fault(method, path)
        response: Response | None = None
        if fault is None or fault.after:
            segments = [unquote(segment) for segment in path.split("/")[1:]]  # split first: "%2F" stays in one
            response = self._handle(Request(method, segments, parse_qs(query), headers, body))
        if fault is not None:
            response = fault.response()
        auth = headers.get("Authorization", "")
        bearer = auth.startswith("Bearer ") and len(auth) > len("Bearer ")
        entry = LoggedRequest(method, path, query, response.status if response else None, bearer)
        with self._lock:
            self._log.append(entry)
        return response

    def _handle(self, req: Request) -> Response:
        assert self._api is not None
        try:
            return self._api.handle(req)
        except HubError as error:
            return error.response()
        except Exception as error:  # a server bug: show it in the test output, answer 500
            traceback.print_exc()
            return HubError(500, f"HubServer error: {type(error).__name__}: {error}".replace("\n", " ")).response()


# ---------------------------------------------------------------------------------------------
# Pointing clients at the server
# ---------------------------------------------------------------------------------------------


def client_env(url: str, home: Path) -> dict[str, str]:
    """Environment for a subprocess client (huggingface_hub / datasets) that must use only `url`.

    Both libraries read these at import time, so they must be set before the subprocess starts.
    Offline switches are removed (they would block every request); caches live under `home`.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith(("HF_", "HUGGINGFACE_"))}
    env.pop("TRANSFORMERS_OFFLINE", None)
    no_proxy = ",".join(filter(None, [os.environ.get("NO_PROXY", ""), "127.0.0.1,localhost,::1"]))
    env.update(
        {
            "HF_ENDPOINT": url,
            "HF_HOME": str(home),
            "HF_HUB_CACHE": str(home / "hub"),
            "HF_DATASETS_CACHE": str(home / "datasets"),
            "HF_HUB_DISABLE_XET": "1",  # LFS-mode uploads use the LFS batch API, which this server speaks
            "HF_TOKEN": "dummy",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_UPDATE_DOWNLOAD_COUNTS": "0",  # else load_dataset HEADs s3.amazonaws.com
            "NO_PROXY": no_proxy,
            "no_proxy": no_proxy,
        }
    )
    return env


def client_settings(url: str) -> dict[str, Any]:
    """Dotted attribute -> value that point in-process clients at `url` (see point_clients_at).

    Exposed so a test can apply them with `monkeypatch.setattr(target, value)` and get them undone.
    """
    return {
        "huggingface_hub.constants.ENDPOINT": url,
        "huggingface_hub.constants.HUGGINGFACE_CO_URL_TEMPLATE": url + "/{repo_id}/resolve/{revision}/{filename}",
        "huggingface_hub.constants.HF_HUB_DISABLE_XET": True,
        "huggingface_hub.hf_api.api.endpoint": url,  # behind huggingface_hub.create_repo & co, built at import
        "datasets.config.HF_ENDPOINT": url,
        "datasets.config.HUB_DATASETS_URL": url + "/datasets/{repo_id}/resolve/{revision}/{path}",
        "datasets.config.USE_PARQUET_EXPORT": False,  # else a lookup of datasets-server.<host>
        "datasets.config.HF_UPDATE_DOWNLOAD_COUNTS": False,  # else a HEAD to s3.amazonaws.com
    }


def point_clients_at(url: str) -> None:
    """In-process: make huggingface_hub and datasets (already imported or not) talk to `url`.

    Both read HF_ENDPOINT at import time, so setting the environment variable is too late here.
    Caches are not moved: pass `cache_dir=` or run loads in a subprocess with `client_env`.
    """
    for target, value in client_settings(url).items():
        owner, attr = target.rsplit(".", 1)
        setattr(_dotted(owner), attr, value)


def _dotted(path: str) -> Any:
    """The object at a dotted path: the longest importable module, then attributes."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        return functools.reduce(getattr, parts[cut:], module)
    raise ModuleNotFoundError(path)


def main(argv: list[str] | None = None) -> None:
    """`python -m tests.hub.server --root DIR --port N`: serve until interrupted."""
    parser = argparse.ArgumentParser(description="Hugging Face Hub-compatible test server (loopback only)")
    parser.add_argument("--root", type=Path, required=True, help="folder holding the repos")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    with HubServer(args.root, args.host, args.port) as server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
