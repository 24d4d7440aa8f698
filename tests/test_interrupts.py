"""A Ctrl-C or SIGTERM whose KeyboardInterrupt Python drops (raised inside an at-fork hook or a
finaliser, as happens when it lands while a build forks its workers) still ends the build."""

from __future__ import annotations

import gc
import signal
import sys

import pytest

from medqa_ds import interrupts
from medqa_ds.pipeline.staging import staged


@pytest.fixture
def installed(monkeypatch):
    monkeypatch.setattr(interrupts, "_received", [])
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    old = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    interrupts.install()
    yield
    signal.signal(signal.SIGTERM, old[0])
    signal.signal(signal.SIGINT, old[1])


class _Finaliser:
    def __del__(self) -> None:
        interrupts._interrupt(signal.SIGTERM, None)  # as if the signal landed here


def _drop_one() -> None:
    _Finaliser()
    gc.collect()


def test_a_dropped_interrupt_is_raised_again_and_not_printed(installed, capfd):
    interrupts.check()  # nothing received: nothing raised
    _drop_one()  # Python drops the exception raised in __del__
    assert capfd.readouterr().err == ""
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"):
        interrupts.check()


def test_a_dropped_interrupt_publishes_nothing(installed, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt), staged(out) as tmp:
        (tmp / "manifest.json").write_text("{}")
        _drop_one()
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_other_unraisable_exceptions_are_still_shown(installed, capfd):
    class Broken:
        def __del__(self) -> None:
            raise ValueError("a finaliser's own bug")

    Broken()
    gc.collect()
    assert "a finaliser's own bug" in capfd.readouterr().err
