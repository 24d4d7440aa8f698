"""olah (https://github.com/vtuber-plan/olah), an independent Hub mirror, serving HubServer's repos.

Why: our HubServer both writes and serves a release, so a bug shared by its write and read sides
would go unnoticed. olah is a Hub-compatible server written by others; in *offline* mode it answers
the Hub read API from local git repositories ("local mirrors") and never contacts huggingface.co.
Pointing `datasets` at olah over the same stored git repos checks that what we published is a
repository any Hub reader can read.

What olah 0.5.4 needs (read from its source, olah/server_mirror.py, olah/mirror/repos.py, configs.py):

* Config (TOML, `olah-cli -c FILE`; here `olah.server.cli()` behind the loopback guard):
  `[basic] host, port, repos-path, mirrors-path = [..], hf-scheme, hf-netloc, hf-lfs-netloc,
  mirror-netloc, mirror-lfs-netloc` and `[accessibility] offline = true`. `--log-path` is only a
  command-line flag (default `./logs`, relative to the working directory).
* Layout: a repo is looked up at `<mirrors-path>/<datasets|models|spaces>/<org>/<name>` (no `.git`
  suffix) and opened with GitPython `Repo(path)`. Revisions (branch, tag, sha) are resolved with
  `repo.commit(rev)`, i.e. `git rev-parse rev^0`: annotated tags are peeled, so tags work.
* LFS: olah's mirror code recognises a pointer blob (120..150 bytes, the git-lfs spec text) and
  reads the real bytes from `<working_dir>/.git/lfs/objects/<oid[:2]>/<oid[2:4]>/<oid>`, the local
  store of the git-lfs client. It never talks the LFS protocol. Two consequences:
  - the mirror must be a *non-bare* clone: for a bare repo GitPython's `working_dir` is the git
    dir itself, so olah would look in `<repo.git>/.git/lfs/objects`, which git-lfs never fills. The
    HubServer's bare repos can therefore not be served as they are; we `git clone --no-checkout`
    them (olah reads git objects, not the work tree, so no checkout is needed);
  - the LFS objects must be in the clone's `.git/lfs/objects`. `git lfs fetch --all` would put them
    there, but git-lfs is not installed and HubServer does not serve LFS downloads through the
    batch API, so we copy every object that a pointer in the clone's history names from HubServer's
    LFS store (`<root>/lfs/<sha256>`), checking its sha256 — the same files in the same place
    `git lfs fetch --all` would leave.
* A mirror is a snapshot: refs and objects published after the clone are not seen until
  `mirror_repo` runs again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

TYPE_DIRS = {"dataset": "datasets", "model": "models", "space": "spaces"}
_POINTER = re.compile(rb"version https://git-lfs\.github\.com/spec/v1\noid sha256:([0-9a-f]{64})\nsize ([0-9]+)\n")
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Prepended to every Python subprocess of the read-side tests: refuse (and log to the file named by
# LOOPBACK_GUARD_LOG, one host a line) every lookup or connection that is not loopback.
GUARD = r"""
import ipaddress as _ip, os as _os, socket as _socket
def _loopback(host):
    name = host.decode() if isinstance(host, bytes) else str(host)
    try:
        return name == "localhost" or _ip.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False
def _refuse(host):
    with open(_os.environ["LOOPBACK_GUARD_LOG"], "a") as log:
        log.write(f"{host}\n")
    raise OSError(f"refused by test: {host}")
_getaddrinfo, _connect, _connect_ex = _socket.getaddrinfo, _socket.socket.connect, _socket.socket.connect_ex
def _guarded_getaddrinfo(host, *args, **kwargs):
    if host is not None and not _loopback(host):
        _refuse(host)
    return _getaddrinfo(host, *args, **kwargs)
def _guarded_connect(sock, address):
    if isinstance(address, tuple) and not _loopback(address[0]):
        _refuse(address[0])
    return _connect(sock, address)
def _guarded_connect_ex(sock, address):
    if isinstance(address, tuple) and not _loopback(address[0]):
        _refuse(address[0])
    return _connect_ex(sock, address)
_socket.getaddrinfo = _guarded_getaddrinfo
_socket.socket.connect = _guarded_connect
_socket.socket.connect_ex = _guarded_connect_ex
"""

_RUN_OLAH = (
    GUARD
    + r"""
import sys
from olah.server import cli
sys.argv = ["olah-cli", *sys.argv[1:]]
cli()
"""
)


def git(*args: str | Path, stdin: bytes | None = None) -> bytes:
    """Run git without the caller's GIT_* variables (e.g. in a hook) or user config; return stdout."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"})
    return subprocess.run(["git", *map(str, args)], input=stdin, check=True, capture_output=True, env=env).stdout


def lfs_oids(clone: Path) -> dict[str, int]:
    """sha256 -> size of every LFS object a pointer blob anywhere in the clone's history names."""
    listing = git("-C", clone, "rev-list", "--objects", "--all").decode().splitlines()
    objects = "\n".join(line.split(" ", 1)[0] for line in listing).encode() + b"\n"
    checked = git("-C", clone, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)", stdin=objects)
    small_blobs = [
        oid
        for oid, kind, size in (line.split() for line in checked.decode().splitlines())
        if kind == "blob" and int(size) < 200
    ]
    oids: dict[str, int] = {}
    for oid in small_blobs:
        match = _POINTER.fullmatch(git("-C", clone, "cat-file", "blob", oid))
        if match:
            oids[match.group(1).decode()] = int(match.group(2))
    return oids


def mirror_repo(bare_repo: Path, lfs_store: Path, mirrors: Path, repo_id: str, repo_type: str = "dataset") -> Path:
    """Make (or remake) olah's local mirror of one HubServer repo; return its path.

    `<mirrors>/<datasets>/<org>/<name>`: a non-bare clone without checkout (all branches and tags
    of the bare repo), with every LFS object its pointers name in `.git/lfs/objects/aa/bb/<oid>`.
    """
    target = mirrors / TYPE_DIRS[repo_type] / repo_id
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    git("clone", "--quiet", "--no-checkout", bare_repo, target)
    # Local branches for every branch of the source, so refs/heads/* match the Hub's branches.
    for ref in git("-C", target, "for-each-ref", "--format=%(refname:strip=3)", "refs/remotes/origin").decode().split():
        if ref != "HEAD":
            git("-C", target, "update-ref", f"refs/heads/{ref}", f"refs/remotes/origin/{ref}")
    for oid, size in lfs_oids(target).items():
        data = (lfs_store / oid).read_bytes()
        if hashlib.sha256(data).hexdigest() != oid or len(data) != size:
            raise ValueError(f"LFS object {oid} in {lfs_store} does not match its pointer")
        dest = target / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OlahServer:
    """`olah-cli` in offline mode on 127.0.0.1, serving the local mirrors under `mirrors`.

    A subprocess (context manager). `hf-netloc` points at a closed loopback port: offline olah
    never uses it, and if it tried, the attempt would fail on loopback instead of leaving the host.
    Hosts the guard refused are in `refused()`; olah's output is in `log()`.
    """

    def __init__(self, workdir: Path, mirrors: Path, env: dict[str, str] | None = None) -> None:
        self.workdir, self.mirrors = Path(workdir), Path(mirrors)
        if env is None:  # olah needs no HF_* settings; keep the ones of the test run away from it
            env = {name: value for name, value in os.environ.items() if not name.startswith(("HF_", "HUGGINGFACE_"))}
            env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
        self.env = env
        self.url = ""
        self.guard_log = self.workdir / "refused.txt"
        self.output = self.workdir / "olah.out"
        self._proc: subprocess.Popen[bytes] | None = None

    def config(self, port: int) -> str:
        netloc = f"127.0.0.1:{port}"
        return "\n".join(
            [
                "[basic]",
                'host = "127.0.0.1"',
                f"port = {port}",
                f'repos-path = "{self.workdir / "cache"}"',
                f'mirrors-path = ["{self.mirrors}"]',
                'hf-scheme = "http"',
                'hf-netloc = "127.0.0.1:9"',
                'hf-lfs-netloc = "127.0.0.1:9"',
                'mirror-scheme = "http"',
                f'mirror-netloc = "{netloc}"',
                f'mirror-lfs-netloc = "{netloc}"',
                "",
                "[accessibility]",
                "offline = true",
                "",
            ]
        )

    def __enter__(self) -> OlahServer:
        return self.start()

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.stop()
        if exc_type is not None:  # a failing test shows what olah said
            print(f"--- olah output ({self.output}) ---\n{self.log()[-5000:]}", file=sys.stderr)

    def start(self, timeout: float = 30) -> OlahServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.guard_log.touch()
        for _attempt in range(3):  # the free port may be taken between free_port() and olah's bind
            port = free_port()
            config = self.workdir / "olah.toml"
            config.write_text(self.config(port))
            with self.output.open("ab") as out:
                self._proc = subprocess.Popen(
                    [sys.executable, "-c", _RUN_OLAH, "-c", str(config), "--log-path", str(self.workdir / "logs")],
                    cwd=self.workdir,
                    env={**self.env, "LOOPBACK_GUARD_LOG": str(self.guard_log), "PYTHONUNBUFFERED": "1"},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            self.url = f"http://127.0.0.1:{port}"
            if self._wait_until_up(timeout):
                return self
            self.stop()
        raise RuntimeError(f"olah did not start:\n{self.log()[-3000:]}")

    def _wait_until_up(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                return False
            try:  # "/" renders a template that fails in olah 0.5.4; an unknown path answers a plain 404
                with _NO_PROXY.open(self.url + "/olah-probe", timeout=2):
                    return True
            except urllib.error.HTTPError:
                return True  # any HTTP answer means uvicorn is serving
            except OSError:
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        self._proc = None

    def refused(self) -> list[str]:
        return self.guard_log.read_text().split() if self.guard_log.exists() else []

    def log(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""
