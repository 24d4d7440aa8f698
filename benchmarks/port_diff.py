"""Differential check of a source's parser against its code at an earlier revision (a Rust port's
first test, before the goldens): both run on the same pages and every difference is printed.

    python benchmarks/port_diff.py doctorqna --rev 273c680~1 [--pages 20000] [--mutations 30000] [--seed 0]

The old ``medqa_ds/sources/<name>.py`` is read from git at ``--rev`` and imported beside today's
package; its source class (the one whose ``name`` is ``<name>``) and today's are each asked to
``detect`` and ``parse`` the pages of a generated corpus (benchmarks/corpus.py), the source's
fixtures, the devset when it is beside the checkout, and random mutations of those fixtures (lines
dropped, doubled, split, joined, cut, upper- or lower-cased, and tricky characters put in: Python's
extra whitespace, re.IGNORECASE's extra folds, digits of other scripts, marks, layout markers).
Each text is also split into pages by both (``Source.pages``: a corpus format's consultations), the
splits compared, and each page of a text that holds several is a case of its own. Prints how
many cases differ, the first few, and both parsers' time per page the source detects.

The old parser runs on the shared modules as they were at ``--rev`` too (``text``, ``sources.common``,
``sources.followups``, in that order, each seeing the old ones before it and today's others), so a
step that moves a shared rule is compared as well, and today's modules keep no names only old
parsers import. ``--shared MODULE`` (repeatable) takes only the modules given from ``--rev``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medqa_ds import sources
from medqa_ds.errors import ParseError
from medqa_ds.sources.base import Source
from medqa_ds.text import lines_of

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

ODD = [
    *["İ", "ı", "\u212a", "ſ", "\x1c", "\x1f", "\u00a0", "\u2028", "\u3000", "\t", "\x0b", "\x85", "\u200b"],
    *["２", "٣", "\u0301", "²", "_", "Ⅻ", "～", "–", ".", ",", " ", "?", ":", "!", "ΣΑΣ"],
    *["Dr.", "Mr.", "Ask Date:", "ask date: 2016/9/7", "Reply Date:", "reply", " reply ", "More Info"],
    *["Similar Q&A", "Related FAQ", "[Read More]", "(Cardiology)", "(Ophthal", "years old", "20~29 year old"],
    *["female", "GİRL", "unKnown.", "Share to:", "https://x.org/a", "www.", "0000/01/01", "2016/02/30"],
]


def _git_show(rev: str, path: str) -> str:
    return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True).stdout


SHARED = ("text", "sources.common", "sources.followups")


def _old_package(rev: str, shared: list[str]) -> str:
    """``medqa_ds._old``: today's modules under that name, but ``shared`` (``text``,
    ``sources.common``…) as they were at ``rev``. The old files are written into a tree beside
    which today's data folders (the lexicon, resources) are linked, so paths from ``__file__`` hold."""
    if not shared:
        return "medqa_ds.sources"
    tree = Path(tempfile.mkdtemp())
    package = ROOT / "medqa_ds"
    for name, module in list(sys.modules.items()):
        if name.startswith("medqa_ds.") and name[len("medqa_ds.") :] not in shared:
            sys.modules[f"medqa_ds._old.{name[len('medqa_ds.') :]}"] = module
    for name, real in [("medqa_ds._old", package), ("medqa_ds._old.sources", package / "sources")]:
        pkg = types.ModuleType(name)
        pkg.__path__ = [str(tree / real.relative_to(package))]
        pkg.__package__ = name
        sys.modules[name] = pkg
        (tree / real.relative_to(package)).mkdir(exist_ok=True)
        for entry in real.iterdir():
            if entry.is_dir() and entry.name != "__pycache__" and not (entry / "__init__.py").exists():
                (tree / real.relative_to(package) / entry.name).symlink_to(entry)
    for dotted in shared:
        rel = Path(*dotted.split(".")).with_suffix(".py")
        path = tree / rel
        path.write_text(_git_show(rev, f"medqa_ds/{rel.as_posix()}"), encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"medqa_ds._old.{dotted}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return "medqa_ds._old.sources"


def old_source(name: str, rev: str, shared: list[str] | None = None) -> Source:
    """The source class of ``medqa_ds/sources/<name>.py`` as it was at ``rev`` (with the ``shared``
    modules as they were then too)."""
    text = _git_show(rev, f"medqa_ds/sources/{name}.py")
    package = _old_package(rev, shared or [])
    path = Path(tempfile.mkdtemp()) / f"_old_{name}.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"{package}._old_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Source) and getattr(value, "name", None) == name:
            return value()
    raise SystemExit(f"no source named {name!r} in medqa_ds/sources/{name}.py at {rev}")


def mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        lines = lines or [""]
        op, k = rng.randrange(9), rng.randrange(len(lines))
        line, cut = lines[k], rng.randint(0, len(lines[k]))
        if op == 0:
            del lines[k]
        elif op == 1:
            lines.insert(k, rng.choice(lines))
        elif op == 2:
            lines[k] = line[:cut] + rng.choice(ODD) + line[cut:]
        elif op == 3:
            lines = [*lines[:k], line[:cut]]
        elif op == 4:
            lines[k] = line.upper() if rng.random() < 0.5 else line.lower()
        elif op == 5:
            lines.insert(k, rng.choice(ODD))
        elif op == 6:
            lines[k : k + 1] = [line[:cut], line[cut:]]
        elif op == 7 and k + 1 < len(lines):
            lines[k : k + 2] = [line + rng.choice(["", " ", "Dr.", " Dr."]) + lines[k + 1]]
        elif op == 8:
            lines[k] = line[:cut] + line[cut + 1 :]
    return "\n".join(lines)


def cases(name: str, generated: Path, mutations: int, seed: int) -> Iterator[tuple[str, str]]:
    for path in sorted(generated.rglob("*.txt")):
        yield f"corpus/{path.name}", path.read_bytes().decode("utf-8", "replace")
    fixtures = [(p.name, p.read_text("utf-8")) for p in sorted((ROOT / "tests" / "fixtures" / name).glob("*.txt"))]
    devset = ROOT.parent / "shared" / "devset"
    fixtures += [(f"devset/{p.name}", p.read_text("utf-8", "replace")) for p in sorted(devset.glob("*.txt"))]
    yield from fixtures
    rng = random.Random(seed)
    for n in range(mutations):
        label, text = fixtures[n % len(fixtures)]
        yield f"mutation {n} of {label}", mutate(rng, text)


def outcome(source: Source, lines: list[str]) -> tuple[Any, ...]:
    try:
        detected: Any = source.detect(list(lines))
    except Exception as exc:
        detected = f"raised {exc!r}"
    try:
        return detected, "record", json.dumps(source.parse(list(lines)), sort_keys=True, ensure_ascii=False)
    except ParseError as exc:
        return detected, "ParseError", exc.reason, exc.line
    except Exception as exc:
        return detected, "raised", repr(exc)


def pages_of(source: Source, text: str) -> Any:
    """The pages ``source`` splits a file into, or what it raised."""
    try:
        return source.pages(text)
    except Exception as exc:
        return f"raised {exc!r}"


def per_page(source: Source, pages: list[list[str]]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for lines in pages:
            with contextlib.suppress(ParseError):
                source.parse(list(lines))
        best = min(best, time.perf_counter() - start)
    return best / max(len(pages), 1) * 1e6


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", help="a built-in source's name, e.g. doctorqna")
    p.add_argument("--rev", required=True, help="the git revision whose parser is the reference")
    p.add_argument("--pages", type=int, default=20_000, help="generated corpus pages (benchmarks/corpus.py)")
    p.add_argument("--mutations", type=int, default=30_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--shared",
        action="append",
        default=[],
        metavar="MODULE",
        help="the shared modules to take from --rev (default: text, sources.common, sources.followups); repeatable",
    )
    args = p.parse_args()
    args.shared = args.shared or list(SHARED)
    old = old_source(args.source, args.rev, args.shared)
    new = next(s for s in sources.builtin() if s.name == args.source)
    with tempfile.TemporaryDirectory() as tmp:
        corpus.generate(Path(tmp), args.pages, seed=args.seed)
        differ, total, detected = [], 0, []
        for label, text in cases(args.source, Path(tmp), args.mutations, args.seed):
            lines = lines_of(text)
            before, after = outcome(old, lines), outcome(new, lines)
            total += 1
            if before != after:
                differ.append((label, before, after))
            # A corpus format's split into pages, and each page of a file that holds several.
            split = pages_of(old, text)
            if split != pages_of(new, text):
                differ.append((f"{label}: pages", split, pages_of(new, text)))
            elif isinstance(split, list) and len(split) > 1:
                for first, page in split:
                    page_lines = lines_of(page)
                    before, after = outcome(old, page_lines), outcome(new, page_lines)
                    total += 1
                    if before != after:
                        differ.append((f"{label}: page at line {first}", before, after))
            if label.startswith("corpus/") and before[0] is True:
                detected.append(lines)
    print(f"{total} cases, {len(differ)} differ")
    for label, before, after in differ[:10]:
        print(f"== {label}\n   before {str(before)[:500]}\n   after  {str(after)[:500]}")
    print(
        f"parse, per {args.source} page of the corpus ({len(detected)}): "
        f"{per_page(old, detected):.1f} us before, {per_page(new, detected):.1f} us after"
    )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
