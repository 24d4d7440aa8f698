"""Ctrl-C and SIGTERM that are never lost.

Python runs a signal handler at the next bytecode of the main thread, wherever that is: inside an
at-fork hook (``logging``'s, each time a worker is forked) or a finaliser, the KeyboardInterrupt
it raises is printed as "Exception ignored" and dropped, and a build interrupted while its
workers start would run on and publish. So the handler also records the signal, and the places
that must not go on after one (each chunk's result, publishing the output) ask ``check()``.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any

_received: list[str] = []


def _interrupt(signum: int, frame: FrameType | None) -> None:
    _received.append(signal.Signals(signum).name)
    raise KeyboardInterrupt(_received[-1])


def _unraisable(unraisable: Any) -> None:
    """A dropped KeyboardInterrupt of ours is not worth a traceback: ``check()`` raises it again."""
    if not (isinstance(unraisable.exc_value, KeyboardInterrupt) and _received):
        sys.__unraisablehook__(unraisable)


def install() -> None:
    """Handle SIGTERM like Ctrl-C, and Ctrl-C unless it is ignored (a job started in the background
    by a shell ignores it, and keeps doing so)."""
    signal.signal(signal.SIGTERM, _interrupt)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)
    sys.unraisablehook = _unraisable


def check() -> None:
    """Raise KeyboardInterrupt if a signal arrived, even one whose exception was dropped."""
    if _received:
        raise KeyboardInterrupt(_received[-1])
