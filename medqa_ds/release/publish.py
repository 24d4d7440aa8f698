"""``release``: build, check, commit, tag, read back. A failed release leaves the Hub as it was, or
says what is true on it; the same release run again completes what an interrupted one began."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from huggingface_hub import HfApi, get_token

from .. import folder as built
from ..errors import UsageError
from ..pipeline import BuildOptions, build, card, croissant
from ..pipeline.manifest import seal
from ..verify import verify
from . import hub
from .diff import diff_folders
from .versioning import ContractError, check_version, latest, tag_of


class ReleaseError(Exception):
    """The release did not happen; the message says what state the Hub is in and what to do."""


@dataclass(frozen=True)
class Plan:
    """A release ready to push: the checked folder, its tag, the previous version and the notes."""

    folder: Path
    repo: str
    tag: str
    previous: str | None
    notes: str
    new_repo: bool
    landed: bool = False  # the tag is already on the Hub with exactly these files (a rerun completes it)


def _notes(previous: str | None, folder: Path, prev_folder: Path | None) -> tuple[str, str | None, str, list[str]]:
    """Release notes, the bump the change needs (None for a first release), why, and the ids
    taken down since the previous release."""
    manifest = built.manifest(folder)
    if prev_folder is None:
        per_split = ", ".join(f"{k} {v['num_examples']}" for k, v in manifest["splits"].items())
        return f"First release: {manifest['accounting']['records']} records ({per_split}).", None, "", []
    diff = diff_folders(prev_folder, folder)
    return f"Changes since v{previous}:\n\n{diff.report()}", diff.bump(), diff.why(), diff.taken_down


def annotate(
    folder: Path,
    version: str,
    notes: str,
    previous_changelog: list[dict],
    release: dict[str, str] | None = None,
    commits: dict[str, str] | None = None,
    tombstones: list[str] | None = None,
) -> None:
    """Put the release notes (newest first) and the ids taken down in this or any earlier release
    (``tombstones``, ids only) into the manifest and the card, and reseal the checksums.

    ``release`` (repo, tag, endpoint) puts the real repository and tag in the card's loading snippet
    and citation; ``commits`` (tag -> commit) gives each earlier release its commit, since tags can move."""
    manifest = built.manifest(folder)
    commits = commits or {}
    earlier = [
        {**e, **({"commit": commits[tag_of(e["version"])]} if tag_of(e["version"]) in commits else {})}
        for e in previous_changelog
    ]
    manifest["changelog"] = [{"version": version, "notes": notes}, *earlier]
    manifest["tombstones"] = sorted(set(tombstones or []))
    if release:
        manifest["release"] = release
    (folder / "README.md").write_text(card.render(manifest), encoding="utf-8")
    croissant.write(folder, manifest)  # its citation names the release too
    seal(folder, manifest)


def prepare(
    api: HfApi, raw_dir: Path, repo: str, version: str, work: Path, options: BuildOptions, resplit: bool = False
) -> Plan:
    """Steps 1–2: check the token and the version against the Hub, then build (keeping the previous
    release's splits unless ``resplit``), validate, diff, check the bump the change needs, and write the
    release notes. Nothing on the Hub changes; a version the Hub refuses fails before the build."""
    if not options.privacy:
        raise UsageError(
            "a release must be de-identified: build it without --no-privacy (privacy=False is for local debugging only)"
        )
    tag = tag_of(version)
    user = hub.whoami(api)
    new_repo = not hub.exists(api, repo, user)
    tags = [] if new_repo else hub.tags(api, repo)
    previous = latest([t for t in tags if t != tag])  # a rerun is compared with the release before its own
    check_version(previous, version, None)  # greater than the latest, before spending a build on it
    prev_folder = hub.download(api, repo, tag_of(previous), work / "previous") if previous else None
    pins = built.assignments(prev_folder) if prev_folder and not resplit else {}
    folder = work / "release"
    build(raw_dir, folder, BuildOptions(**{**options.__dict__, "version": version, "pins": pins}))
    notes, required, why, taken_down = _notes(previous, folder, prev_folder)
    check_version(previous, version, required, why)
    before = built.manifest(prev_folder) if prev_folder else {}
    annotate(
        folder,
        version,
        notes,
        before.get("changelog", []),
        {"repo": repo, "tag": tag, "endpoint": api.endpoint},
        {} if new_repo else hub.tag_commits(api, repo),
        [*before.get("tombstones", []), *taken_down],
    )
    problems = verify(folder)
    if problems:
        raise ReleaseError(f"the built release is invalid ({problems[0]}); nothing was pushed")
    landed = tag in tags
    if landed and _manifest_at(api, repo, tag, work / "tagged") != built.manifest(folder):
        raise ContractError(
            f"tag {tag} already exists on {repo} with other files: releases are immutable, choose a new version"
        )
    return Plan(folder, repo, tag, previous, notes, new_repo, landed)


def _manifest_at(api: HfApi, repo: str, revision: str, into: Path) -> dict | None:
    """The manifest of ``repo`` at ``revision`` (None when it has none)."""
    import json

    from huggingface_hub.errors import EntryNotFoundError

    try:
        path = api.hf_hub_download(repo, "manifest.json", repo_type=hub.REPO_TYPE, revision=revision, local_dir=into)
    except EntryNotFoundError:
        return None
    return json.loads(Path(path).read_text(encoding="utf-8"))


def push(api: HfApi, plan: Plan, private: bool) -> None:
    """Step 3: one commit with every file (on the current head), then the tag.

    If anything fails, the Hub is checked: a tag that did land (only its answer was lost) is a
    release; a commit that landed without its tag is undone, so ``main`` never shows an untagged
    state to ``load_dataset(repo)``.
    """
    if plan.new_repo:
        api.create_repo(plan.repo, repo_type=hub.REPO_TYPE, private=private, exist_ok=True)
    parent = hub.head(api, plan.repo)
    try:
        with tempfile.TemporaryDirectory() as tmp:  # main on this very release, untagged: an earlier run's commit
            ours = not plan.new_repo and _manifest_at(api, plan.repo, parent, Path(tmp)) == built.manifest(plan.folder)
        if ours:
            commit = parent
        else:
            ops = hub.operations(api, plan.repo, parent, plan.folder)
            commit = api.create_commit(
                plan.repo,
                ops,
                commit_message=f"Release {plan.tag}",
                commit_description=plan.notes,
                repo_type=hub.REPO_TYPE,
                parent_commit=parent,
            ).oid
        api.create_tag(
            plan.repo, tag=plan.tag, revision=commit, repo_type=hub.REPO_TYPE, tag_message=f"Release {plan.tag}"
        )
    except Exception as exc:
        if _tagged(api, plan):
            return
        restored = _restore_main(api, plan, parent)
        raise ReleaseError(f"{_first_line(exc)}; {restored or state(api, plan, parent)}") from exc


def _tagged(api: HfApi, plan: Plan) -> bool:
    try:
        return plan.tag in hub.tags(api, plan.repo)
    except Exception:
        return False


def _restore_main(api: HfApi, plan: Plan, parent: str) -> str | None:
    """Put ``main``'s files back as they were at ``parent`` if a commit landed; what was done, or None
    when the Hub could not be put right (``state`` then says what is true)."""
    try:
        now = hub.head(api, plan.repo)
        if now == parent:
            return f"no tag was made and {plan.repo} is as it was; run the release again"
        with tempfile.TemporaryDirectory() as tmp:
            before = hub.download(api, plan.repo, parent, Path(tmp)) if plan.previous else Path(tmp)
            api.create_commit(
                plan.repo,
                hub.operations(api, plan.repo, now, before),
                commit_message=f"Revert failed release {plan.tag}",
                repo_type=hub.REPO_TYPE,
                parent_commit=now,
            )
        return "no tag was made and main was restored to the previous release's files; run the release again"
    except Exception:
        return None


def state(api: HfApi, plan: Plan, parent: str | None) -> str:
    """What is true on the Hub now, read afresh after a failure, and what to do: the tail of the
    one line a failed release ends with. ``parent``: where ``main`` was before the push (None if
    the push never started)."""
    again = f"run the same release again: it completes {plan.tag} instead of starting over"
    try:
        refs = api.list_repo_refs(plan.repo, repo_type=hub.REPO_TYPE)
    except Exception as exc:
        return (
            f"the Hub could not be read afterwards ({_first_line(exc)}), so whether {plan.tag} landed is "
            f"unknown; {again}"
        )
    tag = next((t.target_commit for t in refs.tags if t.name == plan.tag), None)
    main = next((b.target_commit for b in refs.branches if b.name == "main"), None)
    if tag is not None:
        where = "main is on it" if main == tag else f"main is at {(main or 'nothing')[:12]}"
        return f"{plan.tag} is on the Hub ({where}) but was not checked; {again}"
    if main == parent or parent is None:
        return f"no tag was made and {plan.repo} is as it was; run the release again"
    return f"no tag was made and main is on an untagged commit {(main or '')[:12]}; {again}"


def read_back(api: HfApi, plan: Plan, work: Path) -> None:
    """Step 4: fetch the tag, check every checksum against the manifest, load it with ``datasets``."""
    published = hub.download(api, plan.repo, plan.tag, work / "published")
    problems = verify(published)
    if built.manifest(published)["files"] != built.manifest(plan.folder)["files"]:
        problems.append("the published files differ from the ones built")
    import datasets

    datasets.config.HF_UPDATE_DOWNLOAD_COUNTS = False  # a check is not a download
    datasets.config.USE_PARQUET_EXPORT = False
    manifest = built.manifest(plan.folder)
    for config, splits in (
        ("default", manifest["splits"]),
        ("chat", manifest.get("chat", {}).get("splits", {})),
        ("prompt_completion", manifest.get("prompt_completion", {}).get("splits", {})),
    ):
        want = {k: v["num_examples"] for k, v in splits.items() if v["num_examples"]}
        if not want:
            continue
        loaded = datasets.load_dataset(plan.repo, config, revision=plan.tag, cache_dir=str(work / "hf-datasets"))
        got = {k: len(v) for k, v in loaded.items()}
        if got != want:
            problems.append(
                f"load_dataset({plan.repo!r}, {config!r}, revision={plan.tag!r}) gave {got} rows, the manifest {want}"
            )
    if problems:
        raise ReleaseError(f"{plan.repo}@{plan.tag} was pushed but does not read back right: {problems[0]}")


def release(
    raw_dir: Path,
    repo: str,
    version: str,
    *,
    private: bool = False,
    dry_run: bool = False,
    resplit: bool = False,
    options: BuildOptions | None = None,
    log: Callable[[str], None] = print,
    keep: Path | None = None,
) -> Plan:
    """Build ``raw_dir`` and publish it as ``repo`` at tag ``v<version>``, checked before and after.

    A dry run keeps the folder it would push (in ``keep``, or a new temporary folder) and says where,
    so the card and files can be read first."""
    api = HfApi()
    token = get_token()
    plan: Plan | None = None
    with tempfile.TemporaryDirectory(prefix="medqa-release-") as tmp, scrubbed_logs(token):
        work = Path(tmp)
        try:
            plan = prepare(api, raw_dir, repo, version, work, options or BuildOptions(), resplit)
            log(plan.notes)
            if dry_run:
                files = built.files(plan.folder)
                log(f"dry run: would push {len(files)} files to {repo} and tag {plan.tag}:\n  " + "\n  ".join(files))
                kept = _keep(plan.folder, keep)
                log(f"dry run: the folder is kept at {kept}: read its README.md before releasing")
                return replace(plan, folder=kept)
            if not plan.landed:
                push(api, plan, private)
            read_back(api, plan, work)
        except UsageError as exc:
            raise type(exc)(_scrub(str(exc), token)) from None
        except ReleaseError as exc:
            raise ReleaseError(_scrub(str(exc), token)) from None
        except (Exception, KeyboardInterrupt) as exc:  # network, HTTP, a server failing, Ctrl-C mid-release
            what = "interrupted" if isinstance(exc, KeyboardInterrupt) else hub.explain(exc, api, repo)
            now = state(api, plan, None) if plan else f"{repo} was left as it was, run the release again"
            raise ReleaseError(_scrub(f"{what}; {now}", token)) from None
    done = "already released; checked" if plan.landed else "released"
    log(
        f"{done} {repo} {plan.tag}: {api.endpoint}/datasets/{repo}/tree/{plan.tag} — "
        f"load_dataset({repo!r}, revision={plan.tag!r})"
    )
    return plan


def _keep(folder: Path, into: Path | None) -> Path:
    """Move a dry run's folder out of the temporary work folder (into ``into``, replaced, or a new one)."""
    if into is None:
        into = Path(tempfile.mkdtemp(prefix="medqa-dry-run-")) / folder.name
    elif into.exists():
        if not (into / "manifest.json").is_file() and any(into.iterdir()):
            raise UsageError(f"--out {into} exists and is not a medqa-ds build: name a new or empty folder")
        shutil.rmtree(into)
    into.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(folder), into)
    return into


def _first_line(exc: BaseException) -> str:
    """``Type: first line of the message``: HTTP errors carry several lines; a failure is said in one."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": .")


def _scrub(text: str, token: str | None) -> str:
    """Never let a token reach output, logs or errors."""
    return text.replace(token, "[token]") if token else text


@contextmanager
def scrubbed_logs(token: str | None) -> Iterator[None]:
    """Every log record of every library (huggingface_hub's retry warnings, urllib3, datasets) and
    every ``warnings`` message has the token replaced before any handler sees it: records are
    scrubbed where they are made, and warnings are routed through logging to be made records."""
    if not token:
        yield
        return
    make = logging.getLogRecordFactory()

    def scrubbed(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        record.msg, record.args = _scrub(record.getMessage(), token), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _scrub(logging.Formatter().formatException(record.exc_info), token)
            record.exc_info = None
        return record

    logging.setLogRecordFactory(scrubbed)
    logging.captureWarnings(True)
    try:
        yield
    finally:
        logging.captureWarnings(False)
        logging.setLogRecordFactory(make)
