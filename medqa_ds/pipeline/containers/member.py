"""What a container gives: a member's bytes with its name, URL and capture date; and the limits
that keep a hostile container from filling memory."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, BinaryIO, Protocol, cast

# A container may expand to this many times its size on disk (plain text compresses 3-10×); past
# it, it is taken for a zip bomb.
MAX_RATIO = 200


class Stream(Protocol):
    """What a container is read from: an open file, a decompressor, an archive's member, ``Limited``.
    To a type checker io's, gzip's and zipfile's streams are not ``typing.BinaryIO``, so this names
    the methods the readers use."""

    def read(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def seekable(self) -> bool: ...


class ContainerError(Exception):
    """A container that cannot be read on: the message is the reject's reason."""


@dataclass(frozen=True)
class Member:
    """One page read out of a container, not yet decoded (the worker checks and decodes it)."""

    file: str  # container and member: shard.warc.gz#record-7, pages.tar!p.txt, x.jsonl:12
    data: bytes
    url: str | None = None
    captured: str | None = None  # ISO date-time, UTC


@dataclass
class Budget:
    """How many expanded bytes a top-level container (and all it holds) may still give."""

    left: int

    @classmethod
    def for_size(cls, size: int, max_bytes: int) -> Budget:
        return cls(MAX_RATIO * size + max_bytes)

    def spend(self, n: int, label: str) -> None:
        self.left -= n
        if self.left < 0:
            raise ContainerError(
                f"expands to more than {MAX_RATIO} times its size: a zip bomb? "
                f"(stopped in {label}; unpack it yourself if it is real)"
            )


class Limited(io.RawIOBase):
    """A decompressed stream that spends the container's budget as it is read."""

    def __init__(self, inner: Stream, budget: Budget, label: str) -> None:
        self.inner, self.budget, self.label = inner, budget, label

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(len(buffer))
        self.budget.spend(len(data), self.label)
        buffer[: len(data)] = data
        return len(data)


def decompressed(stream: Stream, name: str, budget: Budget, label: str) -> BinaryIO:
    """``stream`` decompressed by its name's last suffix (``.gz``, ``.tgz``, ``.zst``), buffered and
    counted against ``budget``."""
    low = name.lower()
    if low.endswith((".gz", ".tgz")):
        inner: Stream = gzip.GzipFile(fileobj=stream, mode="rb")
    elif low.endswith(".zst"):
        import zstandard

        # zstandard reads from any object with read(); its stub asks for IO[bytes]
        inner = zstandard.ZstdDecompressor().stream_reader(cast(IO[bytes], stream), read_across_frames=True)
    else:
        inner = stream
    return io.BufferedReader(Limited(inner, budget, label), buffer_size=1 << 16)


def read_capped(stream: Stream, max_bytes: int) -> bytes | None:
    """At most ``max_bytes`` of a member; None when it holds more."""
    data = stream.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def too_big(max_bytes: int) -> str:
    return f"member is over the {max_bytes / 1e6:.1f} MB limit for one page (raise --max-bytes if it really is a page)"


def iso_datetime(value: object) -> str | None:
    """A date or timestamp as an ISO date-time in UTC (``2024-05-01T12:00:00Z``), None if unknown.

    Numbers are Unix seconds; strings are ISO 8601 (a bare date is taken as midnight UTC).
    """
    try:
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, (int, float)):
            moment = datetime.fromtimestamp(value, tz=UTC)
        elif isinstance(value, str) and value.strip():
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        else:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        # in UTC a moment in year 1 or 9999 may leave the years a datetime holds: unknown, too
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
