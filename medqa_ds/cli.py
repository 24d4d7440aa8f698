"""``medqa-ds``: build and validate dataset folders from raw pages."""

from __future__ import annotations

import argparse
import errno
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__, interrupts
from .errors import ParseError, UsageError, shown

if TYPE_CHECKING:  # the pipeline (pyarrow, datasets) is imported where a command needs it: --help stays fast
    from .pipeline import BuildOptions
    from .pipeline.split import SplitSpec

_VERSION = r"^\d+\.\d+\.\d+$"
_SHOW_REJECTS = 20
_MAX_BYTES = 5_000_000  # pipeline.read.DEFAULT_MAX_BYTES (tests check they agree), here for --help
_SPLITS = "train=0.8,validation=0.1,test=0.1"
_REPO = re.compile(r"^[\w.-]+/[\w.-]+$")


def _positive(text: str) -> int:
    """An argparse type: a whole number above 0 (a limit of 0 or below would reject every page)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not above 0: give a positive number")
    return value


def _workers(text: str) -> int:
    """An argparse type: 0 (one worker per core) or a positive number of processes."""
    try:
        return 0 if text.strip() == "0" else _positive(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text!r}: give 0 (one per core) or a positive number") from None


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake said in one line (the usage block is what --help is for)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="medqa-ds", description=__doc__)
    p.add_argument("--version", action="version", version=f"medqa-ds {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="parse raw pages into a Hugging Face dataset folder")
    b.add_argument("raw_dir", nargs="?", default="raw", type=Path, help="folder of raw pages (default: raw/)")
    b.add_argument("--out", required=True, type=Path, help="dataset folder to write (replaced whole)")
    b.add_argument("--version", dest="dataset_version", default="0.0.0", help="dataset version X.Y.Z")
    b.add_argument("--name", default="medqa", help="pretty name in the card")
    b.add_argument("--splits", default=_SPLITS, help="split shares, e.g. train=0.8,validation=0.1,test=0.1 or 80/10/10")
    b.add_argument("--salt", default="medqa-ds", help="salt of the split hash (changing it moves records)")
    _add_build_limits(b)
    b.add_argument(
        "--previous", type=Path, default=None, help="a previous build or release folder: its records keep their splits"
    )
    b.add_argument(
        "--executor",
        choices=("local", "slurm", "ray"),
        default=None,
        help="run on datatrove (pip install medqa-ds[cluster]) instead of this process's pool",
    )
    b.add_argument(
        "--tasks", type=_positive, default=None, help="with --executor: datatrove tasks for the parse step (default: 2)"
    )
    b.add_argument(
        "--spill-dir",
        type=Path,
        default=None,
        help="with --executor: working folder every task can reach (default: beside --out)",
    )
    b.add_argument("--slurm-partition", default=None, help="with --executor slurm (required): the partition")
    b.add_argument("--slurm-time", default=None, help="with --executor slurm: each job's time limit (default: 4:00:00)")
    b.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: only on a terminal)",
    )
    b.add_argument(
        "--timings",
        action="store_true",
        help="also print the wall time of each stage of a local build (chunks, decide, write, rest)",
    )
    b.add_argument("--redact-doctors", action="store_true", help="replace doctors' names too, by [DOCTOR]")
    b.add_argument("--takedowns", type=Path, default=None, help="takedown list (default: RAW_DIR/takedowns.txt)")
    b.add_argument(
        "--no-privacy",
        action="store_true",
        help="skip de-identification: names and contacts stay as the pages have them (local "
        "debugging only; the card says so and release refuses such a build)",
    )

    v = sub.add_parser("validate", help="check a built dataset folder")
    v.add_argument("folder", type=Path)

    rel = sub.add_parser("release", help="build, check and publish a tagged release to the Hugging Face Hub")
    rel.add_argument("raw_dir", nargs="?", default="raw", type=Path, help="folder of raw pages (default: raw/)")
    rel.add_argument("--repo", required=True, help="dataset repo on the Hub, org/name")
    rel.add_argument("--version", dest="dataset_version", required=True, help="release version X.Y.Z")
    rel.add_argument("--name", default="medqa", help="pretty name in the card")
    rel.add_argument("--private", action="store_true", help="create the repo private (first release)")
    rel.add_argument(
        "--dry-run",
        action="store_true",
        help="check the token and the version, build, check and print what would be pushed",
    )
    rel.add_argument(
        "--out",
        type=Path,
        default=None,
        help="with --dry-run: keep the folder that would be pushed here (default: a temporary folder, printed)",
    )
    rel.add_argument("--splits", default=_SPLITS, help="split shares for new records")
    rel.add_argument("--salt", default="medqa-ds", help="salt of the split hash")
    rel.add_argument(
        "--resplit",
        action="store_true",
        help="place every record afresh instead of keeping the previous release's splits (MAJOR)",
    )
    rel.add_argument("--redact-doctors", action="store_true", help="replace doctors' names too, by [DOCTOR]")
    _add_build_limits(rel)
    rel.add_argument("--takedowns", type=Path, default=None, help="takedown list (default: RAW_DIR/takedowns.txt)")

    t = sub.add_parser("takedown", help="add a page to the takedown list; say which records of the last build match")
    t.add_argument("key", help="a record id, a page URL, or the sha256 of the page's text")
    t.add_argument("--reason", default=None, help="why (kept in the list, never published)")
    t.add_argument("--raw", dest="raw_dir", default="raw", type=Path, help="raw folder (default: raw/)")
    t.add_argument("--takedowns", type=Path, default=None, help="takedown list (default: RAW_DIR/takedowns.txt)")
    t.add_argument("--out", type=Path, default=Path("dist/medqa"), help="the last build (default: dist/medqa)")

    d = sub.add_parser("diff", help="what changed between two builds, and the smallest version bump")
    d.add_argument("old", help="a built folder, or org/name@revision on the Hub (e.g. org/name@v1.0.0)")
    d.add_argument("new", help="a built folder, or org/name@revision on the Hub (e.g. org/name@main)")

    r = sub.add_parser(
        "parse",
        help="print one page's record as JSON, as parsed: NOT de-identified (add "
        "--deidentify to see what would be published)",
        description="Print one page's record as JSON. The record is the faithful parse: names "
        "and contact details are as the page has them. --deidentify applies the "
        "build's privacy step, as a published record has it.",
    )
    r.add_argument("file", type=Path)
    r.add_argument(
        "--deidentify", action="store_true", help="de-identify the record as a build does (what would be published)"
    )
    r.add_argument("--redact-doctors", action="store_true", help="with --deidentify: doctors' names too")

    sub.add_parser("sources", help="list the sources found: built-in and plug-in (entry point group medqa_ds.sources)")
    return p


def _add_build_limits(p: argparse.ArgumentParser) -> None:
    """The limits ``build`` and ``release`` share (a MedDialog corpus file needs --max-bytes above its size)."""
    p.add_argument(
        "--max-bytes",
        type=_positive,
        default=_MAX_BYTES,
        help=f"largest file taken as one page, in bytes (default: {_MAX_BYTES})",
    )
    p.add_argument(
        "--workers", type=_workers, default=0, help="processes (default 0: one per core; same output for any)"
    )


def _splits(args: argparse.Namespace) -> SplitSpec:
    from .pipeline.split import SplitSpec

    try:
        return SplitSpec.parse(args.splits, args.salt)
    except ValueError as exc:
        raise UsageError(f"--splits {args.splits!r}: {exc}") from None


def _raw_folder(raw_dir: Path) -> None:
    """The raw folder must be a folder: say what it is instead."""
    if raw_dir.is_file():
        raise UsageError(
            f"{raw_dir} is a file, not a folder of raw pages: name the folder that holds it (e.g. {raw_dir.parent})"
        )
    if not raw_dir.is_dir():
        raise UsageError(f"raw folder {raw_dir} does not exist: put raw pages there or name another folder")


def _out_outside(raw_dir: Path, out: Path, flag: str = "--out") -> None:
    """An output folder inside the raw folder would be read as pages by the next build."""
    raw, target = raw_dir.resolve(), out.resolve()
    if target == raw or target.is_relative_to(raw):
        raise UsageError(
            f"{flag} {out} is inside the raw folder {raw_dir}: the next build would read its own "
            f"output as pages; write it elsewhere (e.g. {raw_dir.resolve().parent / 'dist'})"
        )


def _build(args: argparse.Namespace) -> int:
    if not re.match(_VERSION, args.dataset_version):
        raise UsageError(f"--version {args.dataset_version!r} is not X.Y.Z (for example 1.0.0)")
    _raw_folder(args.raw_dir)
    _out_outside(args.raw_dir, args.out)
    splits = _splits(args)
    pins = {}
    if args.previous is not None:
        from .folder import assignments

        try:
            pins = assignments(args.previous)
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(
                f"--previous {args.previous}: not a readable build folder ({exc}); "
                "name a folder written by medqa-ds build"
            ) from None
    from .pipeline import BuildOptions, build

    options = BuildOptions(
        name=args.name,
        version=args.dataset_version,
        splits=splits,
        max_bytes=args.max_bytes,
        progress=args.progress,
        pins=pins,
        workers=args.workers,
        privacy=not args.no_privacy,
        redact_doctors=args.redact_doctors,
        takedowns=args.takedowns,
    )
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
    if args.timings:
        print(_timings(result.stages, result.manifest["accounting"]["pages_seen"]))
    if not result.manifest["accounting"]["balanced"]:  # a bug, never expected
        raise UsageError("the accounting does not add up (pages seen != records + rejects): please report this")
    _some_records(result.manifest["accounting"], args.out)
    return 0


def _timings(stages: dict[str, float], pages: int) -> str:
    """``stages: chunks 17.900 s (179.0 µs a page), …``: one line, for benchmarks to read."""
    per = max(pages, 1)
    return "stages: " + ", ".join(f"{k} {s:.3f} s ({s / per * 1e6:.1f} µs a page)" for k, s in stages.items())


def _some_records(accounting: dict, out: Path) -> None:
    """A build with no record cannot be loaded (``load_dataset`` needs a data file): fail, saying why."""
    if not accounting["records"]:
        raise UsageError(
            f"no record: every page was rejected ({accounting['pages_seen']}; reasons in "
            f"{out / 'rejects.jsonl'}), so {out} cannot be loaded; add pages of a known source "
            "(`medqa-ds sources`)"
        )


def _check_cluster_flags(args: argparse.Namespace) -> None:
    """Refuse the cluster options where they would do nothing, and Slurm without its partition."""
    if args.executor is None:
        given = [
            flag
            for flag, value in (
                ("--tasks", args.tasks),
                ("--spill-dir", args.spill_dir),
                ("--slurm-partition", args.slurm_partition),
                ("--slurm-time", args.slurm_time),
            )
            if value is not None
        ]
        if given:
            raise UsageError(
                f"{given[0]} applies only to a datatrove build: add --executor local|slurm|ray, or drop {given[0]}"
            )
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
    build_on_cluster(
        args.raw_dir,
        args.out,
        spill,
        options,
        executor=args.executor,
        tasks=tasks,
        workers=args.workers or 2,
        **(slurm if args.executor == "slurm" else {}),
    )
    if args.executor == "local":
        from . import folder
        from .pipeline import BuildResult
        from .verify import verify

        manifest = folder.manifest(args.out)
        print(f"{BuildResult(args.out.resolve(), manifest, []).summary()} (datatrove, {tasks} tasks)")
        _some_records(manifest["accounting"], args.out)
        problems = verify(args.out)
        for problem in problems[:1]:
            print(f"{args.out}: {problem}", file=sys.stderr)
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
    from .pipeline.outcome import Reject
    from .pipeline.read import decode

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
    if args.deidentify:
        from .pipeline.privacy import Policy, deidentify

        policy = Policy(redact_doctors=args.redact_doctors)
        results = [deidentify(r, policy).record if isinstance(r, dict) else r for r in results]
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
    _raw_folder(args.raw_dir)
    if not _REPO.match(args.repo):
        raise UsageError(f"--repo {args.repo!r} is not org/name")
    if args.out is not None:
        if not args.dry_run:
            raise UsageError(
                "--out applies only to --dry-run (a release builds in a temporary folder): add --dry-run, or drop --out"
            )
        _out_outside(args.raw_dir, args.out)
    from .pipeline import BuildOptions
    from .release.publish import ReleaseError, release

    options = BuildOptions(
        name=args.name,
        splits=_splits(args),
        redact_doctors=args.redact_doctors,
        max_bytes=args.max_bytes,
        workers=args.workers,
        takedowns=args.takedowns,
    )
    try:
        release(
            args.raw_dir,
            args.repo,
            args.dataset_version,
            private=args.private,
            dry_run=args.dry_run,
            resplit=args.resplit,
            options=options,
            keep=args.out,
        )
    except ReleaseError as exc:
        print(f"medqa-ds release: failed: {exc}", file=sys.stderr)
        return 1
    return 0


def _takedown(args: argparse.Namespace) -> int:
    from .pipeline import takedowns

    path = takedowns.default_path(args.raw_dir, args.takedowns)
    if args.takedowns is None and not args.raw_dir.is_dir():
        raise UsageError(f"raw folder {args.raw_dir} does not exist: name it with --raw, or the list with --takedowns")
    takedowns.append(path, args.key, args.reason)
    print(f"added to {path}; the next build and every later release drop it")
    if not (args.out / "manifest.json").is_file():
        print(f"no build at {args.out} to check it against (name one with --out)")
        return 0
    found = takedowns.matching(args.out, takedowns.of_keys([args.key]))
    print(
        f"matches {len(found)} record(s) of the last build ({args.out})"
        + "".join(f"\n  {rid} ({split})" for rid, split in found)
    )
    return 0


def _side(spec: str, work: Path) -> Path:
    """A diff side: a local built folder, or ``org/name@revision`` fetched from the Hub.

    A Hub side always carries ``@revision``, so a mistyped local path is never taken for a repo."""
    path = Path(spec)
    if path.exists():
        if not (path / "manifest.json").is_file():
            raise UsageError(
                f"{spec} is not a medqa-ds build (no manifest.json): name a folder written by "
                "medqa-ds build, or org/name@revision on the Hub"
            )
        return path
    repo, at, revision = spec.partition("@")
    if not at:
        hint = f"; if you meant the Hub repo, write {spec}@main or {spec}@v1.0.0" if _REPO.match(spec) else ""
        raise UsageError(f"{spec}: no such folder{hint}")
    if not _REPO.match(repo) or not revision:
        raise UsageError(f"{spec!r} is neither a folder nor org/name@revision (e.g. org/name@v1.0.0)")
    from huggingface_hub import HfApi

    from .release import hub

    api = HfApi()
    try:
        return hub.download(api, repo, revision, work / repo.replace("/", "__"))
    except Exception as exc:  # the Hub's answer, said in one line
        raise UsageError(hub.explain(exc, api, repo, revision)) from None


def _diff(args: argparse.Namespace) -> int:
    import tempfile

    from .release.diff import diff_folders

    with tempfile.TemporaryDirectory(prefix="medqa-diff-") as tmp:
        old, new = _side(args.old, Path(tmp) / "old"), _side(args.new, Path(tmp) / "new")
        try:
            report = diff_folders(old, new).report()
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(
                f"cannot compare {args.old} and {args.new}: a side is not a readable build "
                f"({type(exc).__name__}: {exc}); rebuild it with medqa-ds build"
            ) from None
        print(report)
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
    handler = {
        "build": _build,
        "validate": _validate,
        "parse": _parse,
        "release": _release,
        "diff": _diff,
        "sources": _sources,
        "takedown": _takedown,
    }[args.command]
    interrupts.install()  # SIGTERM ends like Ctrl-C: staging and spill removed on the way out
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
_UNCHANGED = {
    "build": "the previous output is as it was (nothing half-written was left)",
    "release": "see the Hub's state above, then run the release again",
    "validate": "run it again",
    "parse": "run it again",
    "diff": "run it again",
    "sources": "run it again",
}


def _os_error(exc: OSError) -> str:
    """An OS error as the user can act on it: what happened, to which file, what to do."""
    where = f" ({shown(os.fspath(exc.filename))})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"no space left on the device{where}: free some space and run it again"
    if exc.errno in (errno.ENOENT, errno.ENOTEMPTY, errno.EEXIST):
        return (
            f"{exc.strerror}{where}: a file changed while the command ran (another process writing the same folders?)"
        )
    return f"{exc.strerror or exc}{where}"


if __name__ == "__main__":
    sys.exit(main())
