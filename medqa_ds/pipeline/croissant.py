"""``croissant.json``: the MLCommons Croissant (1.1) description of the Parquet files.

Written from the manifest and the folder's files; the fields come from the ``datasets.Features``
(derived from the JSON Schema, and ``chat.features()`` for the chat view) and their descriptions
from the schema, so nothing is written twice. Every Parquet file is a ``FileObject`` with its
sha256; each config is a ``FileSet`` and a ``RecordSet`` whose ``split`` field comes from the file
name. Checked offline with ``mlcroissant`` in the tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import schema
from . import card, chat, prompt_completion
from .manifest import sha256_file

NAME = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET = "application/x-parquet"
LICENSE = "other: the page texts belong to their sites and authors; research use only, see LICENSE.md"
# Croissant's Responsible AI vocabulary (RAI 1.0): the fields that apply to pages collected from the web
# and de-identified. Short statements; the card's sections (named) say the rest.
RAI = {
    "rai:dataCollection": (
        "Public doctor-answer web pages saved as plain text (the text a browser shows), one "
        "file per page, and the English MedDialog corpus files; each parsed into one record "
        "per page. See README.md, Sources and how the pages were collected."
    ),
    "rai:dataCollectionType": ["Web Scraping", "Secondary Data Analysis"],
    "rai:dataCollectionRawData": (
        "The saved pages themselves (raw/ of the build), not published; every page "
        "that gave no record is listed with its reason in rejects.jsonl."
    ),
    "rai:dataPreprocessingProtocol": [
        "Each page is parsed by its site's layout; records are validated against schema/medqa.schema.json.",
        "Exact duplicates are dropped and near-duplicates (MinHash, Jaccard 0.5; or the same asker asking "
        "the same doctor again within 7 days) kept in one split.",
        "Every text field is de-identified (policy medqa-deid) before anything is written.",
    ],
    "rai:personalSensitiveInformation": [
        "Health: questions describe the askers' symptoms, conditions and treatments.",
        "Names, e-mails, phone numbers, addresses, national and medical record numbers and personal links "
        "are replaced by placeholders ([PATIENT], [EMAIL], [PHONE], [ADDRESS], [ID], [MRN], [URL]); the "
        "asker name field is emptied. Doctors' names are kept unless built with --redact-doctors.",
        "Age buckets and sex are kept; a description can still identify someone without a name. See "
        "README.md, Privacy.",
    ],
    "rai:dataBiases": [
        "The pages are not a random sample of the sites: sources, specialties and years are far from "
        "balanced (README.md, Counts).",
        "doctorqna texts are machine translations from Chinese and show Taiwan's health system; its "
        "askers' sex field is unreliable.",
        "Doctors come from the sites' own pools and countries.",
    ],
    "rai:dataLimitations": [
        "Answers are advice given to one person at one time, not medical guidance for anyone else.",
        "doctorqna's More Info is machine-written by the site, kept apart from the answers.",
        "Records with complete: false end where the saved page ended.",
    ],
    "rai:dataUseCases": ["Research on medical question answering and dialogue; not medical advice."],
}
_DATA_TYPES = {"string": "sc:Text", "int64": "sc:Integer", "bool": "sc:Boolean", "float64": "sc:Float"}
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "equivalentProperty": "cr:equivalentProperty",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _schema_descriptions() -> dict[str, str]:
    """``question.asker.name`` → its description, for every field of the JSON Schema."""
    out: dict[str, str] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        node = schema.resolve(node)
        for name, sub in node.get("properties", {}).items():
            resolved = schema.resolve(sub)
            out[prefix + name] = sub.get("description") or resolved.get("description") or ""
            items = resolved.get("items")
            walk(schema.resolve(items) if items else resolved, f"{prefix}{name}.")

    walk(schema.load(), "")
    return out


def _fields(
    features: Any,
    record_set: str,
    file_set: str,
    docs: dict[str, str],
    column: str | None = None,
    path: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Croissant fields for ``datasets.Features``: structs as ``subField``, lists as ``isArray``;
    a nested field reads its top-level column and a ``jsonPath`` into it."""
    from datasets import LargeList, List, Sequence

    out = []
    for name, feature in features.items():
        here = (*path, name)
        top = column or name
        node: dict[str, Any] = {"@type": "cr:Field", "@id": f"{record_set}/{'/'.join(here)}", "name": name}
        if docs.get(".".join(here)):
            node["description"] = docs[".".join(here)]
        array = isinstance(feature, (List, LargeList, Sequence))
        if array:
            feature = feature.feature
        if isinstance(feature, dict):
            node["subField"] = _fields(feature, record_set, file_set, docs, top, here)
        else:
            node["dataType"] = _DATA_TYPES[feature.dtype]
            node["source"] = {"fileSet": {"@id": file_set}, "extract": {"column": top}}
            if column is not None:
                node["source"]["transform"] = {"jsonPath": ".".join(here[1:])}
        if array:
            node["isArray"] = True
            node["arrayShape"] = "-1"
        out.append(node)
    return out


def _record_set(config: str, folder: str, features: Any, docs: dict[str, str], description: str) -> dict[str, Any]:
    file_set = f"{config}-parquet"
    split = {
        "@type": "cr:Field",
        "@id": f"{config}/split",
        "name": "split",
        "dataType": "sc:Text",
        "description": "The split (train, validation or test), from the Parquet file's name.",
        "source": {
            "fileSet": {"@id": file_set},
            "extract": {"fileProperty": "fullpath"},
            "transform": {"regex": rf"^(?:.*/)?{folder}/(train|validation|test)-\d+-of-\d+\.parquet$"},
        },
    }
    return {
        "@type": "cr:RecordSet",
        "@id": config,
        "name": config,
        "description": description,
        "key": {"@id": f"{config}/id"},
        "field": [split, *_fields(features, config, file_set, docs)],
    }


def metadata(folder: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """The Croissant JSON-LD of a built folder (its Parquet files must be written)."""
    found = card.configs(manifest)
    files = sorted(
        f
        for meta in (
            manifest["splits"],
            manifest.get("chat", {}).get("splits", {}),
            manifest.get("prompt_completion", {}).get("splits", {}),
        )
        for s in meta.values()
        for f in s["files"]
    )
    distribution: list[dict[str, Any]] = [
        {
            "@type": "cr:FileObject",
            "@id": f,
            "name": f,
            "contentUrl": f,
            "encodingFormat": PARQUET,
            "sha256": sha256_file(folder / f),
        }
        for f in files
    ]
    distribution += [
        {
            "@type": "cr:FileSet",
            "@id": f"{name}-parquet",
            "name": f"{name}-parquet",
            "description": f"The Parquet shards of the {name} config.",
            "encodingFormat": PARQUET,
            "includes": f"{c['folder']}/*.parquet",
        }
        for name, c in found.items()
    ]
    record_sets = [
        _record_set(
            card.CONFIG,
            "data",
            schema.features(),
            _schema_descriptions(),
            "The full records: one doctor-answer page each.",
        )
    ]
    if chat.CONFIG in found:
        docs = {k.replace("[]", ""): v for k, (_, v) in chat.field_docs().items()}
        record_sets.append(
            _record_set(
                chat.CONFIG,
                chat.FOLDER,
                chat.features(),
                docs,
                "The conversations: user and assistant messages for chat models.",
            )
        )
    if prompt_completion.CONFIG in found:
        docs = {k.replace("[]", ""): v for k, (_, v) in prompt_completion.field_docs().items()}
        record_sets.append(
            _record_set(
                prompt_completion.CONFIG,
                prompt_completion.FOLDER,
                prompt_completion.features(),
                docs,
                "The conversations as prompt (up to the last user turn) and completion.",
            )
        )
    dataset = manifest["dataset"]
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": dataset["name"],
        "description": (
            "Questions patients asked on doctor-answer websites and the answers doctors gave, "
            "parsed into validated records, de-identified, with a chat view. See README.md."
        ),
        "version": dataset["version"],
        "license": LICENSE,
        "url": "README.md",
        "citeAs": card.citation(manifest),
        "keywords": ["medical", "question answering", "doctor answers", "chat"],
        "isLiveDataset": False,
        **RAI,
        "distribution": distribution,
        "recordSet": record_sets,
    }


def write(folder: Path, manifest: dict[str, Any]) -> None:
    """Write ``croissant.json`` into a built folder (before it is sealed: the manifest lists it)."""
    (folder / NAME).write_text(
        json.dumps(metadata(folder, manifest), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
