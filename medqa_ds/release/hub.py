"""The Hub side of a release, through ``huggingface_hub``: what is published, fetching a release,
one atomic commit, the tag, and reading a release back."""

from __future__ import annotations

from pathlib import Path

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, snapshot_download
from huggingface_hub.errors import RepositoryNotFoundError

from .. import folder as built
from .versioning import latest

REPO_TYPE = "dataset"
KEEP = {".gitattributes"}  # files the Hub owns; a release never deletes them


def exists(api: HfApi, repo: str) -> bool:
    """True when the dataset repo exists (and the token may read it)."""
    try:
        api.repo_info(repo, repo_type=REPO_TYPE)
    except RepositoryNotFoundError:
        return False
    return True


def tags(api: HfApi, repo: str) -> list[str]:
    """The repo's tag names."""
    return [t.name for t in api.list_repo_refs(repo, repo_type=REPO_TYPE).tags]


def latest_release(api: HfApi, repo: str) -> str | None:
    """The highest released version (from ``vX.Y.Z`` tags), or None before the first release."""
    return latest(tags(api, repo))


def download(api: HfApi, repo: str, revision: str, into: Path) -> Path:
    """A release's files in a local folder (the same layout as a build)."""
    return Path(snapshot_download(repo, repo_type=REPO_TYPE, revision=revision, local_dir=into,
                                  endpoint=api.endpoint, token=api.token))  # its .cache/ is hidden: ignored


def head(api: HfApi, repo: str) -> str:
    """The commit ``main`` points at now: the parent of the release commit."""
    return api.repo_info(repo, repo_type=REPO_TYPE, revision="main").sha


def operations(api: HfApi, repo: str, revision: str, folder: Path) -> list:
    """Add every file of ``folder``; delete what ``revision`` has that the folder does not."""
    files = built.files(folder)
    present = set(api.list_repo_files(repo, repo_type=REPO_TYPE, revision=revision))
    adds = [CommitOperationAdd(path_in_repo=f, path_or_fileobj=str(folder / f)) for f in files]
    deletes = [CommitOperationDelete(path_in_repo=f) for f in sorted(present - set(files) - KEEP)]
    return adds + deletes
