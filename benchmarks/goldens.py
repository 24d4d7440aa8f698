"""Parity goldens: digests of what today's Python pipeline makes of every page the project knows.

    python benchmarks/goldens.py --write     # (re)capture tests/goldens/*.json.gz
    python benchmarks/goldens.py             # compare with the stored goldens, print what differs
    python benchmarks/goldens.py --show NAME # print one input's objects (what the digests are of)

Porting the hot path to Rust goes one step at a time; each step must leave every output byte for
byte as it was. These goldens pin today's outputs so tests/test_goldens.py can check that after
every step, on real pages, invented fixtures and a large generated corpus alike. Only digests are
stored: the devset's text never enters the repository.

Per input page (the file name given to the pipeline is the path relative to its folder, as a build
of that folder names it) there is one digest per outcome of each stage, in outcome order:

- ``parsed``: what a worker's read and parse give (``read.decode``, then ``parse_page``): each
  record as parsed (faithful, schema-checked), or ``{"reject": Reject.to_json()}``;
- for each record, what ``chunk.prepare`` (the unit of work's steps after parsing) with
  ``privacy.Policy()`` gives (a record whose
  preparation raises is, as in ``process_chunk``, a reject in every one of these four stages):
  ``published`` the de-identified record; ``chat`` its chat row (``id``, ``source``, ``messages``)
  with its chat ``state``; ``signature`` the MinHash signature as a list of ints; ``counts`` the
  replacements by kind and field and the pieces each cleaning rule removed (the spilled
  ``counts`` and ``cleaning`` arrays). The prompt_completion rows are not made there (the build
  derives them from the chat rows): the build golden pins them.

The build golden builds tests/fixtures with the CLI and digests the manifest (one digest per
top-level key, minus what varies with the toolchain: see ``manifest_view``) and every row of
every Parquet file.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from medqa_ds.pipeline.chunk import CLEANING_COLUMNS, COUNT_COLUMNS, prepare
from medqa_ds.pipeline.outcome import Reject
from medqa_ds.pipeline.parse_pages import parse_page
from medqa_ds.pipeline.privacy import Policy
from medqa_ds.pipeline.read import decode

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = ROOT / "tests" / "goldens"
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "raw"
DEVSET = ROOT.parent / "shared" / "devset"
CORPUS_PAGES = 20_000  # generated pages pinned, seed CORPUS_SEED
CORPUS_FAST = 2_000  # the first pages, checked on every test run
CORPUS_SEED = 0
DIGEST_CHARS = 16
SHOWN_CHARS = 6000  # of a new object, in a difference's message
PAGE_STAGES = ("parsed", "published", "chat", "signature", "counts")

# What a golden file holds: {input name: {stage: [digest of each outcome...]}}.
Goldens = dict[str, dict[str, list[str]]]
# The objects those digests are of, kept to show what differs.
Objects = dict[str, dict[str, list[Any]]]
# An input: (its name in the goldens, the file name given to the pipeline, its bytes).
Input = tuple[str, str, bytes]


def canonical(obj: Any) -> bytes:
    """The one byte form of a JSON value the digests are taken of."""
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate still digests (parse rejects them)


def digest(obj: Any) -> str:
    """The first ``DIGEST_CHARS`` hex digits of the sha256 of ``canonical(obj)``."""
    return hashlib.sha256(canonical(obj)).hexdigest()[:DIGEST_CHARS]


def page_objects(file: str, data: bytes) -> dict[str, list[Any]]:
    """Every stage's outcomes for one file, as a worker makes them (see the module docstring)."""
    page = decode(file, data)
    outcomes = [page] if isinstance(page, Reject) else parse_page(page)
    stages: dict[str, list[Any]] = {stage: [] for stage in PAGE_STAGES}
    for outcome in outcomes:
        if isinstance(outcome, Reject):
            stages["parsed"].append({"reject": outcome.to_json()})
            continue
        stages["parsed"].append(copy.deepcopy(outcome))  # before prepare could touch it
        try:
            done = prepare(outcome, Policy())
        except Exception as exc:  # what process_chunk makes of it
            line = outcome["provenance"]["line"]
            reason = f"pipeline bug ({type(exc).__name__}: {exc}); please report it with this file"
            bug = {"reject": Reject(file, reason, line if line > 1 else None).to_json()}
            for stage in PAGE_STAGES[1:]:
                stages[stage].append(bug)
            continue
        stages["published"].append(done.published)
        row = {"id": done.published["id"], "source": done.published["source"], "messages": done.messages}
        stages["chat"].append({**row, "state": done.state})
        stages["signature"].append([int(v) for v in done.signature])
        stages["counts"].append(
            {"replaced": dict(zip(COUNT_COLUMNS, done.counts)), "removed": dict(zip(CLEANING_COLUMNS, done.removed))}
        )
    return stages


def digests_of(objects: dict[str, list[Any]]) -> dict[str, list[str]]:
    """The digest of each object, stage by stage."""
    return {stage: [digest(o) for o in items] for stage, items in objects.items()}


def folder_inputs(folder: Path, pattern: str, prefix: str) -> Iterator[Input]:
    """The files of ``folder`` matching ``pattern``, in sorted order, named ``prefix/relative``."""
    for path in sorted(folder.glob(pattern)):
        rel = path.relative_to(folder).as_posix()
        yield f"{prefix}/{rel}", rel, path.read_bytes()


def _corpus_module() -> Any:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_inputs(pages: int, check_determinism: bool = False) -> Iterator[Input]:
    """The first ``pages`` pages ``benchmarks/corpus.py`` generates with seed ``CORPUS_SEED`` (a prefix
    of a larger run is the same pages: the generator draws page by page), named ``corpus/NNNNN/N.txt``.

    With ``check_determinism`` the corpus is generated twice and must come out byte for byte the same.
    """
    generate = _corpus_module().generate
    with tempfile.TemporaryDirectory(prefix="goldens-corpus-") as tmp:
        out = Path(tmp) / "a"
        generate(out, pages, CORPUS_SEED)
        files = sorted(p for p in out.rglob("*.txt"))
        if check_determinism:
            again = Path(tmp) / "b"
            generate(again, pages, CORPUS_SEED)
            other = sorted(p for p in again.rglob("*.txt"))
            assert [p.relative_to(again) for p in other] == [p.relative_to(out) for p in files]
            for a, b in zip(files, other):
                assert a.read_bytes() == b.read_bytes(), f"corpus.generate is not deterministic: {a.relative_to(out)}"
        for path in files:
            rel = path.relative_to(out).as_posix()
            yield f"corpus/{rel}", rel, path.read_bytes()


def compute(inputs: Iterator[Input], stored: Goldens | None = None) -> tuple[Goldens, Objects]:
    """The digests of every input; and, for each input whose digests differ from ``stored`` (when
    given), its objects, to show what changed."""
    goldens: Goldens = {}
    objects: Objects = {}
    for name, file, data in inputs:
        stages = page_objects(file, data)
        goldens[name] = digests_of(stages)
        if stored is not None and stored.get(name) != goldens[name]:
            objects[name] = stages
    return goldens, objects


# Build golden ----------------------------------------------------------------------------------

# Manifest fields dropped before digesting, because they follow the toolchain rather than the data:
# - "library": the versions of medqa-ds, datasets, pyarrow, jsonschema, huggingface-hub;
# - "num_bytes" and "download_bytes" of every split (records, chat, prompt_completion): the Parquet
#   writer's encoded sizes (row groups' total_byte_size, the files' sizes), which change with pyarrow;
# - in "files", the sha256 and size of the Parquet files (their rows are digested apart, below) and
#   of README.md and croissant.json, which embed those sizes and checksums. Every other file keeps
#   its checksum (rejects.jsonl, LICENSE.md, the schemas, the chart) and every name is kept.
# The manifest holds no timestamp, duration or absolute path (a build of the same pages is byte for
# byte the same, whatever the folder or the time), so nothing else is dropped.
BUILD_INPUT = "tests/fixtures"  # the build golden's one input
_SIZE_KEYS = ("num_bytes", "download_bytes")
_WRITER_FILES = ("README.md", "croissant.json")


def manifest_view(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest minus the fields listed above."""
    view = copy.deepcopy(manifest)
    view.pop("library", None)
    for splits in (view.get("splits", {}), *(view.get(c, {}).get("splits", {}) for c in ("chat", "prompt_completion"))):
        for meta in splits.values():
            for key in _SIZE_KEYS:
                meta.pop(key, None)
    view["files"] = {
        name: None if name.endswith(".parquet") or name in _WRITER_FILES else meta["sha256"]
        for name, meta in view.get("files", {}).items()
    }
    return view


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=600)


def build_objects(raw: Path = FIXTURES, run: Callable[[list[str]], Any] = _run) -> dict[str, list[Any]]:
    """Build ``raw`` with the CLI (one worker) into a temporary folder: the manifest's top-level
    entries (``[key, value]``, sorted by key, from ``manifest_view``) and each Parquet file's rows.

    ``run`` runs the command (the tests pass theirs, behind the loopback guard)."""
    import pyarrow.parquet as pq

    cli = Path(sys.executable).parent / "medqa-ds"
    with tempfile.TemporaryDirectory(prefix="goldens-build-") as tmp:
        out = Path(tmp) / "out"
        done = run([str(cli), "build", str(raw), "--out", str(out), "--workers", "1", "--no-progress"])
        assert done.returncode == 0, done.stdout + done.stderr
        manifest = manifest_view(json.loads((out / "manifest.json").read_text(encoding="utf-8")))
        stages: dict[str, list[Any]] = {"manifest.json": [[k, manifest[k]] for k in sorted(manifest)]}
        for path in sorted(out.rglob("*.parquet")):
            stages[path.relative_to(out).as_posix()] = pq.read_table(path).to_pylist()
    return stages


# The golden files and what goes in each --------------------------------------------------------


def groups() -> dict[str, Callable[[], Iterator[Input]]]:
    """Each page golden file's inputs (the devset only where it is beside the repo)."""
    found: dict[str, Callable[[], Iterator[Input]]] = {
        "fixtures": lambda: folder_inputs(FIXTURES, "*/*.txt", "fixtures"),
        "seeds": lambda: folder_inputs(SEEDS, "*.txt", "raw"),
        "corpus": lambda: corpus_inputs(CORPUS_PAGES, check_determinism=True),
    }
    if DEVSET.is_dir():
        found["devset"] = lambda: folder_inputs(DEVSET, "*.txt", "devset")
    return found


def golden_path(group: str) -> Path:
    return GOLDENS / f"{group}.json.gz"


def load(group: str) -> Goldens:
    """A stored golden file."""
    with gzip.open(golden_path(group), "rt", encoding="utf-8") as f:
        data: Goldens = json.load(f)
    return data


def store(group: str, goldens: Goldens) -> Path:
    """Write a golden file: sorted, one input per line, gzip without a timestamp (the same goldens
    give the same bytes, so a re-capture that changes nothing changes no file)."""
    lines = [json.dumps(name, ensure_ascii=False) + ":" + canonical(goldens[name]).decode() for name in sorted(goldens)]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    path = golden_path(group)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    return path


def differences(stored: Goldens, now: Goldens, objects: Objects | None = None, limit: int = 5) -> list[str]:
    """What differs, one message per difference naming the input, the stage and the index, with the
    new object where ``objects`` holds it; at most ``limit`` messages, then a count of the rest."""
    found: list[str] = []
    for name in sorted(stored.keys() | now.keys()):
        if name not in now:
            found.append(f"{name}: in the goldens but not among the inputs")
            continue
        if name not in stored:
            found.append(f"{name}: a new input, not in the goldens (re-capture)")
            continue
        for stage in sorted(stored[name].keys() | now[name].keys()):
            old, new = stored[name].get(stage, []), now[name].get(stage, [])
            for i in range(max(len(old), len(new))):
                if i < len(old) and i < len(new) and old[i] == new[i]:
                    continue
                was = old[i] if i < len(old) else "(none)"
                is_now = new[i] if i < len(new) else "(none)"
                message = f"{name} stage {stage!r} index {i}: stored {was}, now {is_now}"
                obj = (objects or {}).get(name, {}).get(stage)
                if obj is not None and i < len(obj):
                    shown = json.dumps(obj[i], sort_keys=True, ensure_ascii=False, indent=1)
                    if len(shown) > SHOWN_CHARS:
                        shown = (
                            shown[:SHOWN_CHARS]
                            + f"\n... (cut; `python benchmarks/goldens.py --show {name}` prints it all)"
                        )
                    message += f"\nnew object:\n{shown}"
                found.append(message)
    if len(found) > limit:
        found = found[:limit] + [f"... and {len(found) - limit} more differences"]
    return found


def compute_build(stored: Goldens | None = None, run: Callable[[list[str]], Any] = _run) -> tuple[Goldens, Objects]:
    """The build golden (one input, ``tests/fixtures``), as ``compute`` gives a page golden."""
    objects = build_objects(run=run)
    goldens = {BUILD_INPUT: digests_of(objects)}
    return goldens, (
        {BUILD_INPUT: objects} if stored is not None and stored.get(BUILD_INPUT) != goldens[BUILD_INPUT] else {}
    )


def show(name: str) -> dict[str, list[Any]]:
    """The objects of the input ``name`` (a page's stages, or the build's files)."""
    if name == BUILD_INPUT:
        return build_objects()
    group = name.split("/", 1)[0]
    group = {"raw": "seeds"}.get(group, group)
    if group == "corpus":  # generate only as far as the page
        number = int(Path(name).stem)
        inputs: Iterator[Input] = corpus_inputs(number + 1)
    elif group in groups():
        inputs = groups()[group]()
    else:
        raise SystemExit(f"no input {name}: names start with fixtures/, raw/, corpus/, devset/ or are {BUILD_INPUT}")
    for found, file, data in inputs:
        if found == name:
            return page_objects(file, data)
    raise SystemExit(f"no input {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="re-capture the goldens (else compare and report)")
    parser.add_argument("--show", metavar="NAME", help="print the objects of one input, e.g. corpus/00000/00000007.txt")
    args = parser.parse_args()
    if args.show:
        print(json.dumps(show(args.show), sort_keys=True, ensure_ascii=False, indent=1))
        return
    if args.write and not DEVSET.is_dir():
        print(f"no devset at {DEVSET}: {golden_path('devset').relative_to(ROOT)} left as it was")
    failed = False
    for group in [*groups(), "build"]:
        stored = None if args.write or not golden_path(group).exists() else load(group)
        if group == "build":
            goldens, objects = compute_build(stored)
        else:
            goldens, objects = compute(groups()[group](), stored)
        if args.write:
            path = store(group, goldens)
            print(f"{path.relative_to(ROOT)}: {len(goldens)} inputs, {path.stat().st_size:,} bytes")
            continue
        found = ["no golden file: run with --write"] if stored is None else differences(stored, goldens, objects)
        failed |= bool(found)
        print(f"{group}: " + ("same" if not found else "\n".join(found)), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
