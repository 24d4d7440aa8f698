"""The same build on a cluster: datatrove runs the chunk step as its tasks (locally, on Slurm or on
Ray) and then the finishing step once, so the output is byte for byte the local build's.

The raw folder is walked once, where the build is started, and each chunk's file names written to
the work folder: a task reads the lists of its own chunks instead of listing the whole corpus again.

Optional: ``pip install medqa-ds[cluster]``. The spill folder must be on storage every task sees.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep

from .pipeline.build import BuildOptions, BuildResult, chunk_task, chunk_tasks, finish
from .pipeline.chunk import ChunkTask, process_chunk

EXECUTORS = ("local", "slurm", "ray")


def _result_path(spill: Path, number: int) -> Path:
    return spill / f"result-{number:06d}.pkl"


def _list_path(spill: Path, number: int) -> Path:
    return spill / "chunks" / f"{number:06d}.list"


def list_chunks(raw_dir: Path, spill: Path, options: BuildOptions) -> int:
    """Walk ``raw_dir`` once and write each chunk's file names (pickled: a name may hold a line
    break; a container's members travel with their bytes) into ``spill/chunks``; the number of chunks."""
    (spill / "chunks").mkdir()
    count = 0
    for task in chunk_tasks(raw_dir, spill, options):
        _list_path(spill, task.number).write_bytes(pickle.dumps(task.files))
        count += 1
    (spill / "chunks" / "count").write_text(str(count))
    return count


def _chunks(raw_dir: Path, spill: Path, options: BuildOptions, numbers: Iterable[int]) -> Iterator[ChunkTask]:
    for number in numbers:
        files = pickle.loads(_list_path(spill, number).read_bytes())
        yield chunk_task(number, raw_dir, files, spill, options)


def _count(spill: Path) -> int:
    return int((spill / "chunks" / "count").read_text())


class ParseChunks(PipelineStep):
    """Steps 1–2: task ``rank`` of ``world_size`` parses every ``world_size``-th chunk."""

    name = "medqa-ds: parse chunks"
    type = "medqa-ds"

    def __init__(self, raw_dir: Path, spill: Path, options: BuildOptions) -> None:
        super().__init__()
        self.raw_dir, self.spill, self.options = raw_dir, spill, options

    def run(self, data: Any = None, rank: int = 0, world_size: int = 1):
        for task in _chunks(self.raw_dir, self.spill, self.options, range(rank, _count(self.spill), world_size)):
            result = process_chunk(task)
            path = _result_path(self.spill, task.number)
            with open(f"{path}.tmp", "wb") as f:
                pickle.dump(result, f)
            os.replace(f"{path}.tmp", path)  # whole or absent: a re-run task overwrites it
            self.stat_update("files", value=result.files)
            self.stat_update("records", value=result.records)
        yield from ()


class Finish(PipelineStep):
    """Steps 3–7, once, after every chunk is parsed."""

    name = "medqa-ds: finish"
    type = "medqa-ds"

    def __init__(self, raw_dir: Path, spill: Path, out: Path, options: BuildOptions) -> None:
        super().__init__()
        self.raw_dir, self.spill, self.out, self.options = raw_dir, spill, out, options

    def run(self, data: Any = None, rank: int = 0, world_size: int = 1):
        def results():
            for number in range(_count(self.spill)):
                with open(_result_path(self.spill, number), "rb") as f:
                    yield pickle.load(f)

        result: BuildResult = finish(results(), self.spill, self.out, self.options)
        self.stat_update("records", value=result.manifest["accounting"]["records"])
        yield from ()


def executors(
    raw_dir: Path,
    out: Path,
    spill: Path,
    options: BuildOptions,
    *,
    executor: str = "local",
    tasks: int = 2,
    workers: int = 2,
    **slurm_or_ray: Any,
):
    """The two datatrove executors (parse, then finish, which depends on it) for ``executor``."""
    logs = spill / "logs"
    parse = [ParseChunks(raw_dir, spill, options)]
    done = [Finish(raw_dir, spill, out, options)]
    if executor == "local":
        first = LocalPipelineExecutor(
            parse, tasks=tasks, workers=workers, logging_dir=str(logs / "parse"), skip_completed=False
        )
        return first, LocalPipelineExecutor(
            done, tasks=1, workers=1, logging_dir=str(logs / "finish"), depends=first, skip_completed=False
        )
    if executor == "slurm":
        from datatrove.executor import SlurmPipelineExecutor

        first = SlurmPipelineExecutor(
            parse,
            tasks=tasks,
            logging_dir=str(logs / "parse"),
            job_name="medqa-parse",
            skip_completed=False,
            **slurm_or_ray,
        )
        return first, SlurmPipelineExecutor(
            done,
            tasks=1,
            logging_dir=str(logs / "finish"),
            depends=first,
            job_name="medqa-finish",
            skip_completed=False,
            **slurm_or_ray,
        )
    if executor == "ray":
        from datatrove.executor import RayPipelineExecutor

        first = RayPipelineExecutor(
            parse, tasks=tasks, workers=workers, logging_dir=str(logs / "parse"), skip_completed=False, **slurm_or_ray
        )
        return first, RayPipelineExecutor(
            done,
            tasks=1,
            workers=1,
            logging_dir=str(logs / "finish"),
            depends=first,
            skip_completed=False,
            **slurm_or_ray,
        )
    raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {executor!r}")


def build_on_cluster(raw_dir: Path, out: Path, spill: Path, options: BuildOptions | None = None, **kwargs: Any) -> None:
    """Build ``raw_dir`` into ``out`` with datatrove (``kwargs`` go to ``executors``).

    Locally this returns when the folder is written; on Slurm it returns once the jobs are queued.
    """
    created = not spill.exists()
    spill.mkdir(parents=True, exist_ok=True)
    # a folder of this build's own inside ``spill``: ``spill`` may be a shared scratch folder, never emptied
    work = Path(tempfile.mkdtemp(prefix=f".medqa-{out.name}-", dir=spill)).resolve()
    options = options or BuildOptions()
    list_chunks(raw_dir.resolve(), work, options)
    _, last = executors(raw_dir.resolve(), out.resolve(), work, options, **kwargs)
    last.run()
    if kwargs.get("executor", "local") == "local":
        shutil.rmtree(work, ignore_errors=True)
        if created:
            shutil.rmtree(spill, ignore_errors=True)
