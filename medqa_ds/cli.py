"""``medqa-ds``: build and validate dataset folders from raw pages."""

from __future__ import annotations

import argparse
import errno
import json
import os
import re
import signal
import sys
from pathlib import Path

from . import __version__
from .errors import ParseError, UsageError
from .pipeline import BuildOptions, build
from .pipeline.read import DEFAULT_MAX_BYTES, decode, shown
from .pipeline.split import SplitSpec
from .pipeline.outcome import Reject

_VERSION = r"^\d+\.\d+\.\d+$"
_SHOW_REJECTS = 20


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="medqa-ds", description=__doc__)
    p.add_argument("--version", action="version", version=f"medqa-ds {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="parse raw pages into a Hugging Face dataset folder")
    b.add_argument("raw_dir", nargs="?", default="raw", type=Path, help="folder of raw pages (default: raw/)")
    b.add_argument("--out", required=True, type=Path, help="dataset folder to write (replaced whole)")
    b.add_argument("--version", dest="dataset_version", default="0.0.0", help="dataset version X.Y.Z")
    b.add_argument("--name", default="medqa", help="pretty name in the card")
    b.add_argument("--splits", default="train=0.8,validation=0.1,test=0.1",
                   help="split shares, e.g. train=0.8,validation=0.1,test=0.1 or 80/10/10")
    b.add_argument("--salt", default="medqa-ds", help="salt of the split hash (changing it moves records)")
    b.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest file taken as one page")
    b.add_argument("--previous", type=Path, default=None,
                   help="a previous build or release folder: its records keep their splits")
    b.add_argument("--workers", type=int, default=0, help="processes (default: one per core; same output for any)")
    b.add_argument("--executor", choices=("local", "slurm", "ray"), default=None,
                   help="run on datatrove (pip install medqa-ds[cluster]) instead of this process's pool")
    b.add_argument("--tasks", type=int, default=None, help="with --executor: datatrove tasks for the parse step "
                                                             "(default: 2)")
    b.add_argument("--spill-dir", type=Path, default=None,
                   help="with --executor: working folder every task can reach (default: beside --out)")
    b.add_argument("--slurm-partition", default=None, help="with --executor slurm (required): the partition")
    b.add_argument("--slurm-time", default=None, help="with --executor slurm: each job's time limit "
                                                       "(default: 4:00:00)")
    b.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: only on a terminal)")
    b.add_argument("--redact-doctors", action="store_true", help="replace doctors' names too, by [DOCTOR]")
    b.add_argument("--no-privacy", action="store_true",
                   help="skip de-identification: names and contacts stay as the pages have them (local "
                        "debugging only; the card says so and release refuses such a build)")

    v = sub.add_parser("validate", help="check a built dataset folder")
    v.add_argument("folder", type=Path)

    rel = sub.add_parser("release", help="build, check and publish a tagged release to the Hugging Face Hub")
    rel.add_argument("raw_dir", nargs="?", default="raw", type=Path, help="folder of raw pages (default: raw/)")
    rel.add_argument("--repo", required=True, help="dataset repo on the Hub, org/name")
    rel.add_argument("--version", dest="dataset_version", required=True, help="release version X.Y.Z")
    rel.add_argument("--name", default="medqa", help="pretty name in the card")
    rel.add_argument("--private", action="store_true", help="create the repo private (first release)")
    rel.add_argument("--dry-run", action="store_true", help="build, check and print what would be pushed")
    rel.add_argument("--splits", default="train=0.8,validation=0.1,test=0.1", help="split shares for new records")
    rel.add_argument("--salt", default="medqa-ds", help="salt of the split hash")
    rel.add_argument("--resplit", action="store_true",
                     help="place every record afresh instead of keeping the previous release's splits (MAJOR)")
    rel.add_argument("--redact-doctors", action="store_true", help="replace doctors' names too, by [DOCTOR]")

    d = sub.add_parser("diff", help="what changed between two builds, and the smallest version bump")
    d.add_argument("old", help="a built folder, or org/name@revision on the Hub")
    d.add_argument("new", help="a built folder, or org/name@revision on the Hub")

    r = sub.add_parser("parse", help="print one page's record as JSON (for debugging a page)")
    r.add_argument("file", type=Path)

    sub.add_parser("sources", help="list the sources found: built-in and plug-in (entry point group medqa_ds.sources)")
    return p


def _splits(args: argparse.Namespace) -> SplitSpec:
    try:
        return SplitSpec.parse(args.splits, args.salt)
    except ValueError as exc:
        raise UsageError(f"--splits {args.splits!r}: {exc}") from None


def _build(args: argparse.Namespace) -> int:
    if not re.match(_VERSION, args.dataset_version):
        raise UsageError(f"--version {args.dataset_version!r} is not X.Y.Z (for example 1.0.0)")
    if not args.raw_dir.is_dir():
        raise UsageError(f"raw folder {args.raw_dir} does not exist: put raw pages there or name another folder")
    splits = _splits(args)
    pins = {}
    if args.previous is not None:
        from .folder import assignments

        try:
            pins = assignments(args.previous)
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(f"--previous {args.previous}: not a readable build folder ({exc}); "
                             "name a folder written by medqa-ds build") from None
    options = BuildOptions(name=args.name, version=args.dataset_version, splits=splits,
                           max_bytes=args.max_bytes, progress=args.progress, pins=pins, workers=args.workers,
                           privacy=not args.no_privacy, redact_doctors=args.redact_doctors)
    from . import sources

    sources.plugins()  # found here, before any worker starts: a broken plug-in is reported once
    _check_cluster_flags(args)
    if args.executor is not None:
        return _build_on_cluster(args, options)
    result = build(args.raw_dir, args.out, options)
    for reject in result.rejects[:_SHOW_REJECTS]:
        print(f"rejected {shown(str(reject))}", file=sys.stderr)  # a file name may hold escape codes
    if len(result.rejects) > _SHOW_REJECTS:
        print(f"... and {len(result.rejects) - _SHOW_REJECTS} more in {args.out / 'rejects.jsonl'}", file=sys.stderr)
    print(result.summary())
    if not result.manifest["accounting"]["balanced"]:  # a bug, never expected
        raise UsageError("the accounting does not add up (pages seen != records + rejects): please report this")
    return 0


def _check_cluster_flags(args: argparse.Namespace) -> None:
    """Refuse the cluster options where they would do nothing, and Slurm without its partition."""
    if args.executor is None:
        given = [flag for flag, value in (("--tasks", args.tasks), ("--spill-dir", args.spill_dir),
                                          ("--slurm-partition", args.slurm_partition),
                                          ("--slurm-time", args.slurm_time)) if value is not None]
        if given:
            raise UsageError(f"{given[0]} applies only to a datatrove build: add --executor local|slurm|ray, "
                             f"or drop {given[0]}")
    elif args.executor == "slurm" and not args.slurm_partition:
        raise UsageError("--executor slurm needs --slurm-partition NAME (sinfo lists them)")
    elif args.executor != "slurm" and (args.slurm_partition or args.slurm_time):
        raise UsageError(f"--slurm-partition and --slurm-time apply only to --executor slurm, not {args.executor}")


def _build_on_cluster(args: argparse.Namespace, options: BuildOptions) -> int:
    try:
        from .cluster import build_on_cluster
    except ImportError:
        raise UsageError("--executor needs datatrove: pip install 'medqa-ds[cluster]'") from None
    slurm = {"partition": args.slurm_partition, "time": args.slurm_time or "4:00:00"}
    spill = args.spill_dir or args.out.resolve().parent / f".{args.out.name}.cluster-spill"
    tasks = args.tasks or 2
    build_on_cluster(args.raw_dir, args.out, spill, options, executor=args.executor, tasks=tasks,
                     workers=args.workers or 2, **(slurm if args.executor == "slurm" else {}))
    if args.executor == "local":
        from .verify import verify

        problems = verify(args.out)
        print(f"built {args.out} with datatrove ({tasks} tasks)" + (f"; {problems[0]}" if problems else ""))
        return 1 if problems else 0
    print(f"submitted to {args.executor}: the folder appears at {args.out} when the finish job ends")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .verify import verify

    problems = verify(args.folder)
    for problem in problems:
        print(f"{args.folder}: {problem}", file=sys.stderr)
    if problems:
        print(f"invalid: {len(problems)} problem(s); rebuild with `medqa-ds build` and validate again", file=sys.stderr)
        return 1
    print(f"{args.folder}: valid")
    return 0


def _parse(args: argparse.Namespace) -> int:
    from .parse import parse_all

    try:
        page = decode(args.file.name, args.file.read_bytes())
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    if isinstance(page, Reject):
        raise UsageError(f"{args.file}: {page.reason}")
    try:
        results = parse_all(page.text, filename=args.file.name)
    except ParseError as exc:
        raise UsageError(f"{args.file}: {exc.reason}") from None
    if len(results) == 1:  # one page: its record, or the reason it has none
        if isinstance(results[0], ParseError):
            raise UsageError(f"{args.file}: {results[0].reason}")
        print(json.dumps(results[0], indent=2, ensure_ascii=False))
        return 0
    # a file of several pages (a corpus format): every page, a record or a reject as in rejects.jsonl
    out = [r if isinstance(r, dict) else Reject(args.file.name, r.reason, r.line).to_json() for r in results]
    for reject in (r for r in results if isinstance(r, ParseError)):
        print(f"rejected {args.file}:{reject.line}: {reject.reason}", file=sys.stderr)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0 if any(isinstance(r, dict) for r in results) else 2


def _sources(args: argparse.Namespace) -> int:
    from . import sources

    rows = [("name", "version", "kind", "module")]
    rows += [(f.source.name, str(f.source.version), f.origin, f.module) for f in sources.found()]
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _release(args: argparse.Namespace) -> int:
    from .release.publish import ReleaseError, release

    if not args.raw_dir.is_dir():
        raise UsageError(f"raw folder {args.raw_dir} does not exist: put raw pages there or name another folder")
    if not re.match(r"^[\w.-]+/[\w.-]+$", args.repo):
        raise UsageError(f"--repo {args.repo!r} is not org/name")
    options = BuildOptions(name=args.name, splits=_splits(args), redact_doctors=args.redact_doctors)
    try:
        release(args.raw_dir, args.repo, args.dataset_version, private=args.private, dry_run=args.dry_run,
                resplit=args.resplit, options=options)
    except ReleaseError as exc:
        print(f"medqa-ds release: failed: {exc}", file=sys.stderr)
        return 1
    return 0


def _side(spec: str, work: Path) -> Path:
    """A diff side: a local built folder, or ``org/name@revision`` fetched from the Hub."""
    if Path(spec).is_dir():
        return Path(spec)
    repo, _, revision = spec.partition("@")
    if not re.match(r"^[\w.-]+/[\w.-]+$", repo):
        raise UsageError(f"{spec!r} is neither a folder nor org/name@revision")
    from huggingface_hub import HfApi

    from .release import hub

    return hub.download(HfApi(), repo, revision or "main", work / repo.replace("/", "__"))


def _diff(args: argparse.Namespace) -> int:
    import tempfile

    from .release.diff import diff_folders

    with tempfile.TemporaryDirectory(prefix="medqa-diff-") as tmp:
        old, new = _side(args.old, Path(tmp) / "old"), _side(args.new, Path(tmp) / "new")
        print(diff_folders(old, new).report())
    return 0


def _quiet_when_not_a_terminal() -> None:
    """Progress bars of huggingface_hub and datasets only on a terminal: in CI logs they are noise."""
    if not sys.stderr.isatty():
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
        import datasets

        datasets.disable_progress_bars()


def _lean_arrow_memory() -> None:
    """Arrow's default allocator (mimalloc) keeps memory it has freed: a build, which reads and
    writes a chunk at a time, held 35–60 MB more in its main process with it (measured at 10^4 and
    10^5 pages) for the same speed and bytes. The system allocator gives it back. Workers inherit
    the choice; an ``ARROW_DEFAULT_MEMORY_POOL`` set by the user wins."""
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())


def main(argv: list[str] | None = None) -> int:
    """Run the command line; errors end in one line saying what to do, and a non-zero exit."""
    args = _parser().parse_args(argv)
    if args.command in ("release", "diff"):
        _quiet_when_not_a_terminal()
    if args.command in ("build", "release"):
        _lean_arrow_memory()
    handler = {"build": _build, "validate": _validate, "parse": _parse, "release": _release,
               "diff": _diff, "sources": _sources}[args.command]
    signal.signal(signal.SIGTERM, _interrupt)  # ends like Ctrl-C: staging and spill removed on the way out
    try:
        return handler(args)
    except UsageError as exc:
        print(f"medqa-ds {args.command}: error: {shown(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"medqa-ds {args.command}: interrupted: {_UNCHANGED[args.command]}", file=sys.stderr)
        return 130
    except OSError as exc:  # a full disk, a file removed or changed under the build: said in one line
        print(f"medqa-ds {args.command}: error: {_os_error(exc)}; {_UNCHANGED[args.command]}", file=sys.stderr)
        return 1


# What an interrupted or failed command left, for its one line.
_UNCHANGED = {"build": "the previous output is as it was (nothing half-written was left)",
              "release": "see the Hub's state above, then run the release again",
              "validate": "run it again", "parse": "run it again", "diff": "run it again", "sources": "run it again"}


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _os_error(exc: OSError) -> str:
    """An OS error as the user can act on it: what happened, to which file, what to do."""
    where = f" ({shown(os.fspath(exc.filename))})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"no space left on the device{where}: free some space and run it again"
    if exc.errno in (errno.ENOENT, errno.ENOTEMPTY, errno.EEXIST):
        return (f"{exc.strerror}{where}: a file changed while the command ran (another process writing "
                "the same folders?)")
    return f"{exc.strerror or exc}{where}"


if __name__ == "__main__":
    sys.exit(main())
