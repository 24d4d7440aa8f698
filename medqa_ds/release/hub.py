"""The Hub side of a release, through ``huggingface_hub``: what is published, fetching a release,
one atomic commit, the tag, and reading a release back."""

from __future__ import annotations

from pathlib import Path

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, snapshot_download
from huggingface_hub.errors import (
    HfHubHTTPError,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from .. import folder as built
from ..errors import UsageError
from .versioning import latest

LOGIN = "set HF_TOKEN=hf_... or run `hf auth login`"

REPO_TYPE = "dataset"
KEEP = {".gitattributes"}  # files the Hub owns; a release never deletes them


def whoami(api: HfApi) -> dict:
    """Who the token is (``whoami``); ``UsageError`` saying how to log in when there is no token or
    the Hub refuses it, so a dry run fails where the release would."""
    if not api.token:
        from huggingface_hub import get_token

        if not get_token():
            raise UsageError(f"no Hugging Face token: {LOGIN}")
    try:
        return api.whoami()
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (401, 403):
            raise UsageError(
                f"the Hub at {api.endpoint} refused the token ({status}): {LOGIN} with a valid token"
            ) from None
        raise


def namespaces(user: dict) -> set[str]:
    """The namespaces a ``whoami`` answer may write to: the user's own and its organisations'."""
    return {user.get("name", ""), *(org.get("name", "") for org in user.get("orgs") or [])} - {""}


def exists(api: HfApi, repo: str, user: dict | None = None) -> bool:
    """True when the dataset repo exists. A repo the Hub does not show (404, or 401 for one the
    token cannot see) is taken as new only in a namespace the token's ``user`` belongs to: elsewhere
    it may be someone's private repo, and a "first release" would skip its version contract."""
    try:
        api.repo_info(repo, repo_type=REPO_TYPE)
    except RepositoryNotFoundError:
        namespace = repo.split("/", 1)[0]
        if user is not None and namespace not in namespaces(user):
            raise UsageError(
                f"{repo} is not visible to the token of {user.get('name')!r}, which is not a member "
                f"of {namespace!r}: check --repo, or {LOGIN} with a token that may write to "
                f"{namespace}"
            ) from None
        return False
    return True


def explain(exc: BaseException, api: HfApi, repo: str, revision: str | None = None) -> str:
    """One line for a failed Hub call: what it means and what to do (never a traceback)."""
    where = f"{repo}@{revision}" if revision else repo
    if isinstance(exc, RevisionNotFoundError):
        return f"{where}: no revision {revision!r} on {api.endpoint}: name a tag (vX.Y.Z) or branch the repo has"
    if isinstance(exc, RepositoryNotFoundError):
        return (
            f"{where}: no dataset repo {repo} on {api.endpoint} (or the token cannot see it): check the name, "
            f"or {LOGIN}"
        )
    if isinstance(exc, HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "?"
        if status in (401, 403):
            return f"{where}: the Hub refused access ({status}): {LOGIN}"
        return f"{where}: the Hub at {api.endpoint} answered {status}: try again later"
    if isinstance(exc, LocalEntryNotFoundError) or _is_connection_error(exc):
        return f"{where}: cannot reach the Hub at {api.endpoint}: check the network (or HF_ENDPOINT) and try again"
    return f"{where}: {type(exc).__name__}: {(str(exc).strip().splitlines() or [''])[0]}"


def _is_connection_error(exc: BaseException) -> bool:
    """A network failure, whichever HTTP library raised it (its type name or its cause says so)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionError | TimeoutError) or any(
            word in type(seen).__name__ for word in ("Connect", "Timeout", "Network")
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def tags(api: HfApi, repo: str) -> list[str]:
    """The repo's tag names."""
    return [t.name for t in api.list_repo_refs(repo, repo_type=REPO_TYPE).tags]


def tag_commits(api: HfApi, repo: str) -> dict[str, str]:
    """Each tag's commit (tags can be moved; a commit cannot)."""
    return {t.name: t.target_commit for t in api.list_repo_refs(repo, repo_type=REPO_TYPE).tags}


def latest_release(api: HfApi, repo: str) -> str | None:
    """The highest released version (from ``vX.Y.Z`` tags), or None before the first release."""
    return latest(tags(api, repo))


def download(api: HfApi, repo: str, revision: str, into: Path) -> Path:
    """A release's files in a local folder (the same layout as a build)."""
    return Path(
        snapshot_download(
            repo, repo_type=REPO_TYPE, revision=revision, local_dir=into, endpoint=api.endpoint, token=api.token
        )
    )  # its .cache/ is hidden: ignored


def head(api: HfApi, repo: str) -> str:
    """The commit ``main`` points at now: the parent of the release commit."""
    sha = api.repo_info(repo, repo_type=REPO_TYPE, revision="main").sha
    assert sha is not None  # the Hub names the commit of a revision it was asked for
    return sha


def operations(api: HfApi, repo: str, revision: str, folder: Path) -> list:
    """Add every file of ``folder``; delete what ``revision`` has that the folder does not."""
    files = built.files(folder)
    present = set(api.list_repo_files(repo, repo_type=REPO_TYPE, revision=revision))
    adds = [CommitOperationAdd(path_in_repo=f, path_or_fileobj=str(folder / f)) for f in files]
    deletes = [CommitOperationDelete(path_in_repo=f) for f in sorted(present - set(files) - KEEP)]
    return adds + deletes
