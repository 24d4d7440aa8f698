"""Releases through the real huggingface_hub and datasets clients, against the loopback Hub.

Every command runs as a user would run it: ``medqa-ds`` in a subprocess whose environment points
at the server (HF_* variables are read at import time), with a guard that refuses any host but
loopback (tests/hub/netguard).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from huggingface_hub import HfApi

from medqa_ds import parse
from tests.hub.server import HubServer, client_env

from conftest import one_line_error
from pages import askadoctor_page, doctorqna_page

pytestmark = pytest.mark.slow  # releases on the loopback Hub, most of the suite's time: `pytest -m "not slow"` skips it

REPO = "medqa/demo"
TOKEN = "hf_release_test_secret_7f3a"
GUARD = Path(__file__).resolve().parent / "hub" / "netguard"
CLI = Path(sys.executable).parent / "medqa-ds"
LOAD = """
import json, sys
import datasets
out = {}
for rev in sys.argv[2:]:
    ds = datasets.load_dataset(sys.argv[1], revision=rev)
    out[rev] = {split: sorted(ds[split]["id"]) for split in ds}
print(json.dumps(out))
"""


class Hub:
    """A loopback Hub with the environment and commands a maintainer would use against it."""

    def __init__(self, server: HubServer, home: Path, refused: Path) -> None:
        self.server, self.home, self.refused = server, home, refused
        self.api = HfApi(endpoint=server.url, token=TOKEN)

    def env(self) -> dict[str, str]:
        env = client_env(self.server.url, self.home)
        env.update(HF_TOKEN=TOKEN, PYTHONPATH=str(GUARD), MEDQA_NET_REFUSED=str(self.refused))
        return env

    def cli(self, *args: str | Path, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
        """``medqa-ds ARGS`` against the server; ``env`` overrides variables (None removes one)."""
        environ = {k: v for k, v in {**self.env(), **(env or {})}.items() if v is not None}
        done = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, env=environ, timeout=300)
        assert TOKEN not in done.stdout + done.stderr, "the token leaked into output"
        return done

    def load(self, *revisions: str) -> dict[str, dict[str, list[str]]]:
        done = subprocess.run(
            [sys.executable, "-c", LOAD, REPO, *revisions], capture_output=True, text=True, env=self.env(), timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def refs(self) -> tuple[str, list[str]]:
        refs = self.api.list_repo_refs(REPO, repo_type="dataset")
        main = next(b.target_commit for b in refs.branches if b.name == "main")
        return main, sorted(t.name for t in refs.tags)


@pytest.fixture
def hub(tmp_path: Path):
    refused = tmp_path / "refused.txt"
    with HubServer(tmp_path / "hub").start() as server:
        yield Hub(server, tmp_path / "hf-home", refused)
    assert not refused.exists(), f"a non-loopback host was asked for: {refused.read_text()}"


def write_pages(raw: Path, numbers: range) -> None:
    raw.mkdir(exist_ok=True)
    for n in numbers:
        (raw / f"dq_{n:03d}.txt").write_text(doctorqna_page(n, compact=bool(n % 2)), encoding="utf-8")
        (raw / f"ad_{n:03d}.txt").write_text(askadoctor_page(n), encoding="utf-8")


def ids_of(raw: Path) -> set[str]:
    return {parse(p.read_text())["id"] for p in raw.iterdir()}


def test_v1_then_v1_1_each_tag_loads_its_own_rows(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(20))
    first = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0")
    assert first.returncode == 0, first.stderr
    assert f"released {REPO} v1.0.0" in first.stdout
    v1_ids = ids_of(raw)
    write_pages(raw, range(20, 35))
    second = hub.cli("release", raw, "--repo", REPO, "--version", "1.1.0")
    assert second.returncode == 0, second.stderr
    assert "Smallest version bump: MINOR (30 records added)" in second.stdout

    loaded = hub.load("v1.0.0", "v1.1.0")
    assert {i for ids in loaded["v1.0.0"].values() for i in ids} == v1_ids
    assert {i for ids in loaded["v1.1.0"].values() for i in ids} == ids_of(raw)
    for split, ids in loaded["v1.0.0"].items():  # no v1.0.0 record moved split
        assert set(ids) <= set(loaded["v1.1.0"][split])

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(hub.server.repo_path(REPO)), str(clone)], check=True)
    tags = subprocess.run(["git", "tag"], cwd=clone, capture_output=True, text=True, check=True).stdout.split()
    assert tags == ["v1.0.0", "v1.1.0"]
    card = (clone / "README.md").read_text()
    assert card.index("### v1.1.0") < card.index("### v1.0.0")  # changelog, newest first
    # the loading snippet and citation a user copies name this repo and tag; v1.0.0 has its commit
    assert f'load_dataset("{REPO}", revision="v1.1.0")' in card and "org/name" not in card
    assert f"url     = {{{hub.server.url}/datasets/{REPO}}}" in card and "version = {1.1.0}" in card
    v1_commit = subprocess.run(
        ["git", "rev-list", "-n", "1", "v1.0.0"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert f"### v1.0.0\n\nCommit `{v1_commit}`." in card
    manifest = json.loads((clone / "manifest.json").read_text())
    assert [e["version"] for e in manifest["changelog"]] == ["1.1.0", "1.0.0"]
    assert any(r.bearer for r in hub.server.requests)

    diff = hub.cli("diff", f"{REPO}@v1.0.0", f"{REPO}@v1.1.0")
    assert diff.returncode == 0 and "Smallest version bump: MINOR" in diff.stdout


def test_a_version_that_exists_or_breaks_the_contract_is_refused(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(12))
    assert hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0").returncode == 0
    before = hub.refs()

    again = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0")  # the same release: checked, not redone
    assert again.returncode == 0 and "already released" in again.stdout, again.stderr
    assert hub.refs() == before

    write_pages(raw, range(12, 15))
    changed = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0")
    assert changed.returncode == 2 and "tag v1.0.0 already exists" in changed.stderr
    patch = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.1")
    assert patch.returncode == 2 and "needs MINOR" in patch.stderr and "use 1.1.0" in patch.stderr

    moved = hub.cli("release", raw, "--repo", REPO, "--version", "1.1.0", "--resplit", "--salt", "other")
    assert moved.returncode == 2 and "needs MAJOR" in moved.stderr and "moved between splits" in moved.stderr

    next(raw.glob("dq_*.txt")).unlink()
    removed = hub.cli("release", raw, "--repo", REPO, "--version", "1.1.0")
    assert removed.returncode == 2 and "records removed" in removed.stderr

    older = hub.cli("release", raw, "--repo", REPO, "--version", "0.9.0")
    assert older.returncode == 2 and "not greater than the latest release 1.0.0" in older.stderr
    assert hub.refs() == before

    major = hub.cli("release", raw, "--repo", REPO, "--version", "2.0.0", "--resplit", "--salt", "other")
    assert major.returncode == 0, major.stderr
    assert hub.refs()[1] == ["v1.0.0", "v2.0.0"]


def test_dry_run_pushes_nothing(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(5))
    dry = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: would push" in dry.stdout and "manifest.json" in dry.stdout
    assert not any(r.method == "POST" for r in hub.server.requests)


def test_private_repo(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(3))
    assert hub.cli("release", raw, "--repo", REPO, "--version", "0.1.0", "--private").returncode == 0
    assert hub.api.repo_info(REPO, repo_type="dataset").private is True


@pytest.mark.parametrize(
    "failure",
    [
        {"path_regex": r"/commit/", "method": "POST", "status": 500},
        {"path_regex": r"/commit/", "method": "POST", "drop": True},
        {"path_regex": r"/info/lfs/objects/verify|/lfs/verify", "method": "POST", "status": 400},
        {"path_regex": r"/tag/", "method": "POST", "status": 500},
        {"path_regex": r"/commit/", "method": "POST", "status": 502, "after": True},  # commit landed, answer lost
    ],
)
def test_a_server_failing_mid_release_leaves_no_tag_and_the_previous_release_intact(hub, tmp_path, failure):
    raw = tmp_path / "raw"
    write_pages(raw, range(10))
    assert hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0").returncode == 0
    v1_files = sorted(hub.api.list_repo_files(REPO, repo_type="dataset", revision="v1.0.0"))
    v1_rows = hub.load("v1.0.0")
    write_pages(raw, range(10, 16))

    hub.server.fail_next(**failure)
    failed = hub.cli("release", raw, "--repo", REPO, "--version", "1.1.0")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "release: failed:" in failed.stderr and "run the release again" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    _, tags = hub.refs()
    assert tags == ["v1.0.0"]
    assert sorted(hub.api.list_repo_files(REPO, repo_type="dataset", revision="main")) == v1_files
    assert hub.load("v1.0.0") == v1_rows

    retried = hub.cli("release", raw, "--repo", REPO, "--version", "1.1.0")
    assert retried.returncode == 0, retried.stderr
    assert hub.refs()[1] == ["v1.0.0", "v1.1.0"]


def test_a_tag_whose_answer_was_lost_is_a_release(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(4))
    hub.server.fail_next(r"/tag/", method="POST", status=500, after=True)
    done = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0")
    assert done.returncode == 0, done.stderr
    assert hub.refs()[1] == ["v1.0.0"] and "released" in done.stdout


def test_a_release_without_a_token_says_how_to_log_in(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(2))
    for dry in ([], ["--dry-run"]):
        done = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0", *dry, env={"HF_TOKEN": None})
        assert "no Hugging Face token: set HF_TOKEN=hf_... or run `hf auth login`" in one_line_error(done, 2)
    assert not any(r.method == "POST" for r in hub.server.requests)


def test_a_dry_run_checks_the_token_with_the_hub(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(2))
    hub.server.fail_next(r"/api/whoami-v2", status=401)
    done = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0", "--dry-run")
    line = one_line_error(done, 2)
    assert f"the Hub at {hub.server.url} refused the token (401)" in line and "hf auth login" in line
    assert any(r.path.endswith("/whoami-v2") for r in hub.server.requests)


def test_a_repo_the_token_cannot_see_is_not_taken_for_a_first_release(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(2))
    done = hub.cli("release", raw, "--repo", "someone-else/private", "--version", "1.0.0", "--dry-run")
    line = one_line_error(done, 2)
    assert "someone-else/private is not visible to the token of 'medqa-bot'" in line and "check --repo" in line


def test_an_unreachable_hub_is_named(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(2))
    closed = "http://127.0.0.1:9"
    done = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0", "--dry-run", env={"HF_ENDPOINT": closed})
    assert f"cannot reach the Hub at {closed}" in one_line_error(done, 1)
    diff = hub.cli("diff", f"{REPO}@v1.0.0", f"{REPO}@v1.0.0", env={"HF_ENDPOINT": closed})
    assert f"cannot reach the Hub at {closed}" in one_line_error(diff, 2)


def test_diff_says_in_one_line_what_the_hub_lacks(hub):
    hub.api.create_repo(REPO, repo_type="dataset")
    missing_tag = hub.cli("diff", f"{REPO}@v9.9.9", f"{REPO}@v9.9.9")
    assert f"no revision 'v9.9.9' on {hub.server.url}" in one_line_error(missing_tag, 2)
    missing_repo = hub.cli("diff", "medqa/nothing@v1.0.0", "medqa/nothing@v1.0.0")
    assert "no dataset repo medqa/nothing" in one_line_error(missing_repo, 2)


def test_a_dry_run_keeps_the_folder_it_would_push(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(3))
    out = tmp_path / "about-to-push"
    kept = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0", "--dry-run", "--out", out)
    assert kept.returncode == 0, kept.stderr
    assert f"the folder is kept at {out}" in kept.stdout
    assert (out / "README.md").is_file() and json.loads((out / "manifest.json").read_text())["files"]
    printed = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0", "--dry-run")
    folder = Path(printed.stdout.split("the folder is kept at ", 1)[1].split(":", 1)[0])
    assert (folder / "README.md").read_text() == (out / "README.md").read_text()
    refused = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0", "--out", out)
    assert "--out applies only to --dry-run" in one_line_error(refused, 2)


def test_release_takes_the_builds_limits(hub, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(4))
    largest = max(p.stat().st_size for p in raw.iterdir())
    too_big = sum(1 for p in raw.iterdir() if p.stat().st_size == largest)
    done = hub.cli(
        "release",
        raw,
        "--repo",
        REPO,
        "--version",
        "1.0.0",
        "--dry-run",
        "--max-bytes",
        str(largest - 1),
        "--workers",
        "1",
    )
    assert done.returncode == 0, done.stderr
    assert f"First release: {8 - too_big} records" in done.stdout
    refused = hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0", "--max-bytes", "-5")
    assert "--max-bytes: -5 is not above 0" in one_line_error(refused, 2)


def test_the_version_is_checked_against_the_hub_before_the_build(hub, tmp_path, monkeypatch):
    from medqa_ds.pipeline import BuildOptions
    from medqa_ds.release import publish
    from medqa_ds.release.versioning import ContractError

    raw = tmp_path / "raw"
    write_pages(raw, range(3))
    assert hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0").returncode == 0
    built: list[Path] = []
    monkeypatch.setattr(publish, "build", lambda raw_dir, out, options: built.append(out))
    # v1.0.0 itself is a rerun (completed when its build is the tagged one), so only an older version
    # can be refused before the build
    with pytest.raises(ContractError, match="not greater than the latest"):
        publish.prepare(hub.api, raw, REPO, "0.9.0", tmp_path / "0.9.0", BuildOptions())
    assert built == []


def _server_dies(hub: Hub, path_regex: str) -> None:
    """The request matching ``path_regex`` is carried out, then the server answers nothing more."""
    hub.server.fail_next(path_regex, method="POST", drop=True, after=True, die=True)


@pytest.mark.parametrize(
    ("window", "said"),
    [
        ("tag", "whether v1.1.0 landed is unknown"),  # the server dies right after the tag lands
        ("read_back", "v1.1.0 is on the Hub (main is on it)"),  # the read-back fails
        ("commit", "whether v1.1.0 landed is unknown"),  # the server dies right after the commit
    ],
)
def test_after_a_failure_the_hub_is_read_again_and_a_rerun_completes_the_release(hub, tmp_path, window, said):
    raw = tmp_path / "raw"
    write_pages(raw, range(6))
    assert hub.cli("release", raw, "--repo", REPO, "--version", "1.0.0").returncode == 0
    write_pages(raw, range(6, 9))
    if window == "tag":
        _server_dies(hub, r"/tag/")
    elif window == "commit":
        _server_dies(hub, r"/commit/")
    else:  # every download of the new tag fails: the read-back cannot fetch it
        hub.server.fail_next(r"/resolve/v1\.1\.0/", status=400, times=10**6)
    failed = hub.cli("release", raw, "--repo", REPO, "--version", "1.1.0")
    hub.server.clear_faults()
    assert failed.returncode == 1, failed.stderr
    [line] = [x for x in failed.stderr.strip().splitlines() if "Retry" not in x and "HTTP Error" not in x]
    assert said in line and line.startswith("medqa-ds release: failed:"), failed.stderr
    assert said in failed.stderr and "run the same release again" in failed.stderr, failed.stderr
    assert "left as it was" not in failed.stderr and "no tag was made" not in failed.stderr
    main, tags = hub.refs()
    if window == "commit":
        assert tags == ["v1.0.0"]  # main is on the untagged release commit
    else:
        assert tags == ["v1.0.0", "v1.1.0"]

    rerun = hub.cli("release", raw, "--repo", REPO, "--version", "1.1.0")
    assert rerun.returncode == 0, rerun.stderr
    assert hub.refs()[1] == ["v1.0.0", "v1.1.0"]
    assert hub.refs()[0] == main  # completed on the commit that landed: no second release commit
    tagged = hub.api.list_repo_refs(REPO, repo_type="dataset").tags
    assert next(t.target_commit for t in tagged if t.name == "v1.1.0") == main
    assert "released medqa/demo v1.1.0" in rerun.stdout or "already released" in rerun.stdout
    assert len(hub.load("v1.1.0")["v1.1.0"]["train"]) > len(hub.load("v1.0.0")["v1.0.0"]["train"])
