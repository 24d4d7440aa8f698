"""Benchmark the build: pages/s and peak memory at several corpus sizes, against the baseline a user
would write, and against the machine's limits (just reading the files, just writing the Parquet).

    python benchmarks/run.py --pages 10000 100000 1000000 [--workers 2] [--baseline-pages 20000]
                             [--jsonl-shards 20] [--pre-port 9099f34]

Each build runs with --timings: the wall time of each stage (chunks, decide, write, rest) is printed
beside it, in µs a page.

With --jsonl-shards N, each size is also built from the same pages packed into N zstd-compressed
JSONL shards (one page a line, with a URL), in the same run, and the two builds' ids compared.

With --pre-port REV, the sizes of --pre-port-pages (10^5) are also built by the package as it was
at REV (9099f34: the last commit whose build was all Python, before the Rust core), exported from
git and installed with its own locks into a venv of its own under --corpus-dir (made once), in the
same run; the speed ratio is printed.

Corpora are generated once (benchmarks/corpus.py, seed 0) under --corpus-dir and reused.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
PY = sys.executable
CLI = str(Path(sys.executable).parent / "medqa-ds")


def _pss(process: psutil.Process) -> int:
    """Proportional set size: shared pages split between the processes that share them, so the
    workers forked from the main process are not counted twice."""
    return process.memory_full_info().pss


def measure(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd``; wall seconds, peak memory (PSS) of its whole process tree (MB), and stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):  # a process may end while it is read
            peak = max(peak, _pss(ps) + sum(_pss(c) for c in ps.children(recursive=True)))
        time.sleep(0.1)
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return time.perf_counter() - start, peak / 1e6, out


def corpus(root: Path, pages: int) -> Path:
    path = root / f"corpus-{pages}"
    if not (path / ".complete").exists():
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([PY, str(HERE / "corpus.py"), str(path), "--pages", str(pages)], check=True)
        (path / ".complete").touch()
    return path


def jsonl_shards(root: Path, raw: Path, pages: int, shards: int) -> Path:
    """The corpus ``raw`` as ``shards`` .jsonl.zst files, in the loose files' sorted order (made once)."""
    import zstandard

    path = root / f"shards-{pages}-{shards}"
    if (path / ".complete").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    files = sorted(p for p in raw.rglob("*.txt"))
    per = -(-len(files) // shards)
    for k in range(shards):
        with (
            open(path / f"shard-{k:03d}.jsonl.zst", "wb") as f,
            zstandard.ZstdCompressor(level=3).stream_writer(f) as out,
        ):
            for file in files[k * per : (k + 1) * per]:
                text = file.read_bytes().decode("utf-8", "surrogateescape")
                row = {"text": text, "url": f"https://bench.example/{file.stem}", "date": "2025-01-01T00:00:00Z"}
                out.write((json.dumps(row) + "\n").encode("utf-8", "surrogatepass"))
    (path / ".complete").touch()
    return path


def pre_port_cli(root: Path, rev: str) -> str:
    """The ``medqa-ds`` of the package at ``rev``, in a venv of its own (made once)."""
    home = root / f"pre-port-{rev}"
    cli = home / "venv" / "bin" / "medqa-ds"
    if (home / ".complete").exists():
        return str(cli)
    shutil.rmtree(home, ignore_errors=True)
    (home / "src").mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(home / "src")], input=archive.stdout, check=True)
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
    pip = [str(home / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(home / "src" / "requirements.lock")], check=True)
    subprocess.run([*pip, "--no-deps", str(home / "src")], check=True)
    (home / ".complete").touch()
    return str(cli)


def _ids(out: str) -> list[str]:
    import pyarrow.parquet as pq

    return sorted(
        i for f in sorted(Path(out).glob("data/*.parquet")) for i in pq.read_table(f, columns=["id"])["id"].to_pylist()
    )


def _stages(stdout: str, total: float) -> str:
    """The build's ``--timings`` line (µs a page by stage), and what the whole process took besides
    (start-up: imports; exit)."""
    line = next((x for x in stdout.splitlines() if x.startswith("stages: ")), "stages: (none printed)")
    timed = sum(float(s) for s in re.findall(r" ([\d.]+) s \(", line))
    return f"          by stage: {line.removeprefix('stages: ')}; start-up and exit {total - timed:.1f} s"


READ_ONLY = (
    "import sys, os\nn=b=0\nfor d, _, fs in os.walk(sys.argv[1]):\n for f in fs:\n"
    "  if not f.startswith('.'):\n   b += len(open(os.path.join(d, f), 'rb').read()); n += 1\nprint(n, b)"
)
WRITE_ONLY = """
import sys, time, pyarrow.parquet as pq, pathlib
files = sorted(pathlib.Path(sys.argv[1]).glob('data/*.parquet'))
tables = [pq.read_table(f) for f in files]
start = time.perf_counter()
for i, t in enumerate(tables):
    pq.write_table(t, f"{sys.argv[2]}/{i}.parquet", compression='zstd')
print(sum(t.num_rows for t in tables), time.perf_counter() - start, sum(f.stat().st_size for f in files))
"""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--baseline-pages", type=int, default=20_000, help="the baseline holds all in memory: keep it small")
    p.add_argument(
        "--jsonl-shards",
        type=int,
        default=0,
        help="also build the same pages from this many .jsonl.zst shards (0: not)",
    )
    p.add_argument(
        "--pre-port",
        metavar="REV",
        help="also build each size with the package at REV (e.g. 9099f34, the last all-Python build)",
    )
    p.add_argument(
        "--pre-port-pages",
        type=int,
        nargs="+",
        default=[100_000],
        help="the sizes the --pre-port build runs at (it takes ~1 ms a page)",
    )
    p.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "medqa-bench")
    args = p.parse_args()
    old_cli = pre_port_cli(args.corpus_dir, args.pre_port) if args.pre_port else None
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )
    print(f"{'pages':>9} {'build s':>8} {'pages/s':>9} {'peak MB':>8} {'read pages/s':>13} {'read MB/s':>10}")
    results = {}
    for n in args.pages:
        raw = corpus(args.corpus_dir, n)
        read_s, _, out = measure([PY, "-c", READ_ONLY, str(raw)])
        files, size = map(int, out.split())
        with tempfile.TemporaryDirectory() as tmp:
            build_s, peak, built = measure(
                [
                    CLI,
                    "build",
                    str(raw),
                    "--out",
                    f"{tmp}/out",
                    "--workers",
                    str(args.workers),
                    "--no-progress",
                    "--timings",
                ]
            )
            results[n] = (build_s, f"{tmp}/out")
            manifest = json.loads(Path(f"{tmp}/out/manifest.json").read_text())
            crashes = manifest["accounting"]["rejects_by_reason"].get("parser bug", 0)
            print(
                f"{n:>9} {build_s:>8.1f} {n / build_s:>9.0f} {peak:>8.0f} {files / read_s:>13.0f} "
                f"{size / 1e6 / read_s:>10.0f}   records {manifest['accounting']['records']}, "
                f"rejects {manifest['accounting']['rejects']}, parser crashes {crashes}",
                flush=True,
            )
            print(_stages(built, build_s), flush=True)
            if args.jsonl_shards:
                shards = jsonl_shards(args.corpus_dir, raw, n, args.jsonl_shards)
                sh_read, _, _ = measure([PY, "-c", READ_ONLY, str(shards)])
                shard_s, shard_peak, shard_out = measure(
                    [
                        CLI,
                        "build",
                        str(shards),
                        "--out",
                        f"{tmp}/shards",
                        "--workers",
                        str(args.workers),
                        "--no-progress",
                        "--timings",
                    ]
                )
                acc = json.loads(Path(f"{tmp}/shards/manifest.json").read_text())["accounting"]
                same = _ids(f"{tmp}/out") == _ids(f"{tmp}/shards")
                print(
                    f"{n:>9} {shard_s:>8.1f} {n / shard_s:>9.0f} {shard_peak:>8.0f} {n / sh_read:>13.0f} "
                    f"{'':>10}   from {args.jsonl_shards} .jsonl.zst shards: records {acc['records']}, "
                    f"rejects {acc['rejects']}, same ids as the loose files: {same}",
                    flush=True,
                )
                print(_stages(shard_out, shard_s), flush=True)
            if old_cli and n in args.pre_port_pages:
                old_s, old_peak, _ = measure(
                    [old_cli, "build", str(raw), "--out", f"{tmp}/old", "--workers", str(args.workers), "--no-progress"]
                )
                print(
                    f"{n:>9} {old_s:>8.1f} {n / old_s:>9.0f} {old_peak:>8.0f} {'':>13} {'':>10}   "
                    f"the package at {args.pre_port} (all Python): this build is {old_s / build_s:.1f}x as fast",
                    flush=True,
                )
                shutil.rmtree(f"{tmp}/old")
            if n == max(args.pages):
                os.makedirs(f"{tmp}/w")
                rows, write_s, pq_bytes = measure([PY, "-c", WRITE_ONLY, f"{tmp}/out", f"{tmp}/w"])[2].split()
                print(
                    f"write only: {int(rows) / float(write_s):.0f} rows/s, "
                    f"{int(pq_bytes) / 1e6 / float(write_s):.0f} MB/s of zstd Parquet ({rows} rows)"
                )
    base_n = min(args.baseline_pages, max(args.pages))
    raw = corpus(args.corpus_dir, max(args.pages))
    with tempfile.TemporaryDirectory() as tmp:
        base_s, base_peak, _ = measure(
            [PY, str(HERE / "baseline.py"), str(raw), f"{tmp}/b.parquet", "--limit", str(base_n)]
        )
    base_rate = base_n / base_s
    best = max(args.pages)
    rate = best / results[best][0]
    print(
        f"baseline (parse + jsonschema + Dataset.from_list + to_parquet): {base_rate:.0f} pages/s "
        f"on {base_n} pages, peak {base_peak:.0f} MB"
    )
    print(f"medqa_ds build at {best} pages: {rate:.0f} pages/s = {rate / base_rate:.1f}x the baseline")


if __name__ == "__main__":
    main()
