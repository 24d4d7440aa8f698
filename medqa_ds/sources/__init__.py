"""The sources medqa_ds can parse, one module per site family, and detection between them.

Built-in sources live in this package. Third-party sources are found through the Python entry point
group ``medqa_ds.sources``: each entry point names a ``Source`` subclass whose ``name`` starts with
``x_`` (the schema reserves every other name for built-ins). A plug-in that cannot be loaded, or
breaks the rules, is left out with one warning saying which and why; a build goes on without it.
One whose ``detect`` raises on a page does not claim that page.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import re
from dataclasses import dataclass
from functools import cache, partial
from importlib.metadata import EntryPoint, entry_points

from .. import _core, schema
from ..errors import ParseError
from . import compiled
from .askadoctor import AskADoctor
from .askadoctor_free import AskADoctorFree
from .askthedoctor import AskTheDoctor
from .base import Source
from .doctorqna import DoctorQnA
from .icliniq import ICliniq
from .meddialog import MedDialog

__all__ = [
    "GROUP",
    "PLUGIN_NAME",
    "AskADoctor",
    "AskADoctorFree",
    "AskTheDoctor",
    "DoctorQnA",
    "Found",
    "ICliniq",
    "MedDialog",
    "Source",
    "available",
    "builtin",
    "by_name",
    "detect",
    "found",
    "plugins",
    "rediscover",
]

GROUP = "medqa_ds.sources"
PLUGIN_NAME = re.compile(r"^x_[a-z][a-z0-9_]*$")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """A source and where it came from, for ``medqa-ds sources``."""

    source: Source
    origin: str  # "built-in", or "plug-in <distribution> <version>"

    @property
    def module(self) -> str:
        return type(self.source).__module__


def builtin() -> list[Source]:
    """The built-in sources, in the order of the schema's ``source`` names: the schema is where a source
    is registered, and each name is the module ``medqa_ds.sources.<name>`` holding its ``Source``."""
    return [cls() for cls in _builtin_classes()]


@cache
def _builtin_classes() -> tuple[type[Source], ...]:
    found = []
    for name in schema.builtin_source_names():
        module = importlib.import_module(f"{__name__}.{name}")
        classes = [
            c
            for c in vars(module).values()
            if isinstance(c, type) and issubclass(c, Source) and getattr(c, "name", None) == name
        ]
        if len(classes) != 1:
            raise RuntimeError(
                f"medqa_ds.sources.{name} must define one Source subclass named {name!r}, found {len(classes)}"
            )
        found.append(classes[0])
    return tuple(found)


def _entry_points() -> list[EntryPoint]:
    return sorted(entry_points(group=GROUP), key=lambda ep: (ep.name, ep.value))


def _refuse(ep: EntryPoint, why: str) -> None:
    """Warn about a plug-in left out, from the main process only: build workers find the same plug-ins,
    and one warning is enough."""
    if multiprocessing.parent_process() is not None:
        return
    dist = f" (package {ep.dist.name} {ep.dist.version})" if ep.dist else ""
    log.warning("medqa-ds: plug-in source %r%s left out: %s; fix or uninstall the plug-in", ep.value, dist, why)


@cache
def _plugins() -> tuple[Found, ...]:
    """Every plug-in that loads and keeps the rules; the others are warned about, once per process."""
    taken = {s.name for s in builtin()}
    loaded: list[Found] = []
    for ep in _entry_points():
        try:
            cls = ep.load()
            if not (isinstance(cls, type) and issubclass(cls, Source)):
                raise TypeError(f"{ep.value} is not a subclass of medqa_ds.sources.Source")
            source = cls()
            name = getattr(source, "name", None)
        except Exception as exc:
            _refuse(ep, f"it does not load ({type(exc).__name__}: {exc})")
            continue
        if not isinstance(name, str) or not PLUGIN_NAME.match(name):
            _refuse(
                ep,
                f"its name {name!r} does not start with 'x_' (for example 'x_{_slug(name)}'): "
                "other names belong to the built-in sources",
            )
        elif name in taken:
            _refuse(ep, f"another plug-in is already called {name!r}")
        else:
            taken.add(name)
            dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist else ep.value
            loaded.append(Found(source, f"plug-in {dist}"))
    return tuple(loaded)


def _slug(name: object) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", str(name).lower()).strip("_") or "name"


def rediscover() -> None:
    """Forget the plug-ins found so far (after installing one in a running process, and in tests)."""
    _plugins.cache_clear()
    _warned.clear()


def plugins() -> list[Source]:
    """The plug-in sources that loaded, by name."""
    return [f.source for f in _plugins()]


def found() -> list[Found]:
    """Every source: the built-ins, then the plug-ins."""
    return [*(Found(s, "built-in") for s in builtin()), *_plugins()]


_warned: set[str] = set()  # plug-ins whose detect raised, already reported in this process


def available() -> list[Source]:
    """The sources detection chooses between."""
    return [*builtin(), *plugins()]


def by_name(name: str) -> Source:
    """The source called ``name``; raises ``KeyError`` listing the known names."""
    for source in available():
        if source.name == name:
            return source
    raise KeyError(f"unknown source {name!r}; known: {', '.join(s.name for s in available())}")


def _claims(source: Source, lines: list[str], fragment: bool) -> bool:
    """A plug-in's ``detect`` (or ``recognises_fragment``); one that raises does not claim the page.

    Only that page: leaving the plug-in out for the rest of the run would make a page's source
    depend on which pages a worker happened to see before it, and the output on the workers.
    """
    try:
        return source.recognises_fragment(lines) if fragment else source.detect(lines)
    except Exception as exc:
        if source.name not in _warned:
            _warned.add(source.name)
            log.warning(
                "medqa-ds: plug-in source %r claims no page its detection fails on (%s: %s); fix or "
                "uninstall the plug-in",
                source.name,
                type(exc).__name__,
                exc,
            )
        return False


def detect(lines: list[str]) -> Source:
    """The one source whose layout the page has, else the one that recognises it as a fragment.

    Never guesses: no match and more than one match are both ``ParseError``s that say so. The
    decision is the compiled core's (rust/src/parse.rs): a source's markers (one of which its whole
    pages hold, lower-cased) rule it out cheaply, one pass over the page finding every candidate's;
    the built-ins are asked there, the plug-ins through their own methods.
    """
    plugged = plugins()
    asks = [
        (s.name, list(s.markers), partial(_claims, s, fragment=False), partial(_claims, s, fragment=True))
        for s in plugged
    ]
    try:
        k = compiled.parser().detect(lines, asks)
    except _core.PageError as exc:
        raise ParseError(exc.args[0]) from None
    return [*builtin(), *plugged][k]
