"""The record schema in ``schema/`` and everything derived from it.

The JSON Schema is the single source of truth: the Arrow schema, the ``datasets.Features``, the
card's ``dataset_info`` and blank records are all computed here from it, never written twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from . import _core
from .resources import resource

if TYPE_CHECKING:  # pyarrow is imported where used: `medqa-ds --version` and `--help` stay fast
    import pyarrow as pa

RECORD_SCHEMA = "medqa.schema.json"
SPECIALTY_SCHEMA = "specialties.schema.json"


def schema_dir() -> Path:
    """Where the schema documents live (``schema/`` of a checkout, or the wheel's copy)."""
    return resource("schema")


@cache
def load(name: str = RECORD_SCHEMA) -> dict[str, Any]:
    """One schema document by file name (cached; treat it as read-only)."""
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))


def schema_files() -> list[Path]:
    """Every schema document, for copying into a release beside the data."""
    return sorted(schema_dir().glob("*.json"))


@cache
def registry() -> Registry:
    """Every document in ``schema/`` by its ``$id``, so relative ``$ref``s resolve offline."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in schema_files()]
    return Registry().with_resources((doc["$id"], Resource.from_contents(doc)) for doc in docs)


@cache
def validator() -> Draft202012Validator:
    """The reference validator (jsonschema, draft 2020-12, formats checked)."""
    return Draft202012Validator(load(), registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def fast_validator() -> _core.Validator:
    """The hot-path validator: the core's (rust/src/schema.rs, the ``jsonschema`` crate that
    jsonschema-rs wraps), same draft, formats checked, every document of ``schema/`` registered by
    its ``$id``; about 40× faster than the reference.

    ``jsonschema`` stays the reference: tests check that both give the same verdict.
    """
    texts = [p.read_text(encoding="utf-8") for p in schema_files()]
    docs = [(json.loads(text)["$id"], text) for text in texts]
    return _core.Validator((schema_dir() / RECORD_SCHEMA).read_text(encoding="utf-8"), docs)


def check(record: dict[str, Any]) -> list[str]:
    """``errors(record)``, but only paying for the reference validator when the fast one objects."""
    return [] if fast_validator().is_valid(record) else errors(record) or ["rejected by the core's schema check"]


def errors(record: dict[str, Any]) -> list[str]:
    """Every way the record breaks the schema, as ``path: message`` lines (empty when valid)."""
    found = sorted(validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}" for e in found]


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local-file ``$ref`` (``specialties.schema.json``) to the schema it names."""
    ref = node.get("$ref")
    return load(ref) if ref else node


def _types(node: dict[str, Any]) -> list[str]:
    node = resolve(node)
    t = node.get("type")
    if t is None and "enum" in node:
        t = sorted({type(v).__name__ for v in node["enum"] if v is not None})
        t = ["string" if x == "str" else x for x in t]
    return [t] if isinstance(t, str) else [x for x in (t or []) if x != "null"]


_SCALARS = {"string": "string", "integer": "int64", "boolean": "bool_", "number": "float64"}  # pa.<name>()


def to_arrow_type(node: dict[str, Any]) -> pa.DataType:
    """The Arrow type for one JSON Schema node (objects become structs, arrays lists)."""
    import pyarrow as pa

    node = resolve(node)
    types = _types(node)
    if len(types) != 1:
        raise ValueError(f"schema node {node.get('description', node)!r} needs exactly one non-null type, has {types}")
    kind = types[0]
    if kind == "object":
        # nullability is the JSON Schema's job: datasets' Features keep every Arrow field nullable
        return pa.struct([pa.field(name, to_arrow_type(sub)) for name, sub in node["properties"].items()])
    if kind == "array":
        return pa.list_(to_arrow_type(node["items"]))
    return getattr(pa, _SCALARS[kind])()


@cache
def features():  # -> datasets.Features (imported lazily: datasets is slow to import)
    """The ``datasets.Features`` of a record, derived from the JSON Schema."""
    import pyarrow as pa
    from datasets import Features

    return Features.from_arrow_schema(pa.schema(to_arrow_type(load()).fields))


@cache
def arrow_schema() -> pa.Schema:
    """The Arrow schema Parquet shards are written with (carries the ``huggingface`` features metadata)."""
    return features().arrow_schema


def _empty(node: dict[str, Any]) -> Any:
    node = resolve(node)
    kind = _types(node)[0]
    if kind == "object":
        return {name: _empty(sub) for name, sub in node["properties"].items()}
    return [] if kind == "array" else None


def _maker(template: Any) -> Callable[[], Any]:
    """A function that returns a new copy of a blank template (dicts of ``None`` and empty lists).

    It evaluates the template written as a Python literal, so each call builds the nested dicts in
    C: parsers take a blank record per page, and walking the template in Python cost more.
    """
    return eval(compile(f"lambda: {template!r}", "<blank>", "eval"), {})


@cache
def _record_maker() -> Callable[[], dict[str, Any]]:
    return _maker(_empty(load()))


@cache
def _item_maker(field: str) -> Callable[[], dict[str, Any]]:
    return _maker(_empty(load()["properties"][field]["items"]))


def blank(node: dict[str, Any] | None = None) -> Any:
    """An empty value of a schema node (the whole record by default): objects with every key, null
    scalars, empty lists.

    Parsers start from ``blank()`` so every record has every field, which keeps records and their
    Arrow round trip identical.
    """
    return _record_maker()() if node is None else _empty(node)


def blank_item(field: str) -> dict[str, Any]:
    """An empty item of the record's list field ``field`` (an answer, a follow-up, a link)."""
    return _item_maker(field)()


def builtin_source_names() -> list[str]:
    """The built-in sources, in the schema's order: the one place a source is registered."""
    return list(load()["properties"]["source"]["else"]["enum"])


def source_names() -> list[str]:
    """Every ``source`` value a record can have here: the schema's built-in names, in its order, then
    the plug-in sources installed (``x_<name>``, found by ``medqa_ds.sources``)."""
    from . import sources  # late: the sources build on this module

    return [*builtin_source_names(), *(s.name for s in sources.plugins())]


def version() -> str:
    """The schema's own version (``x-schema-version``), recorded in manifests."""
    return str(load()["x-schema-version"])
