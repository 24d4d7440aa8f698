"""Step 6: the dataset card (README.md): the prose of DATASET_CARD.md, YAML metadata and the numbers.

Metadata is produced by the libraries that read it (``datasets``' DatasetInfo for ``dataset_info``,
``huggingface_hub``'s DatasetCardData for the YAML), and the field list comes from the schema.
"""

from __future__ import annotations

from typing import Any

from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from huggingface_hub import DatasetCardData

from .. import schema
from ..resources import resource

CONFIG = "default"
_SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
          (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` bucket for ``n`` rows."""
    return next((label for limit, label in _SIZES if n < limit), "n>100M")


def card_data(manifest: dict[str, Any]) -> DatasetCardData:
    """The card's YAML: configs and dataset_info for the splits that have rows, plus Hub metadata."""
    present = {name: meta for name, meta in manifest["splits"].items() if meta["num_examples"]}
    data = DatasetCardData(
        pretty_name=manifest["dataset"]["name"],
        license="other",
        license_name="source-site-terms",
        license_link="README.md#license-and-terms-of-use",
        language=["en"],
        task_categories=["question-answering", "text-generation"],
        tags=["medical", "doctor-answers", "question-answering", "health"],
        size_categories=[size_category(manifest["accounting"]["records"])],
        configs=[{"config_name": CONFIG,
                  "data_files": [{"split": name, "path": f"data/{name}-*"} for name in present],
                  "default": True}],
    )
    split_dict = SplitDict()
    for name, meta in present.items():
        split_dict.add(SplitInfo(name=name, num_bytes=meta["num_bytes"], num_examples=meta["num_examples"]))
    info = DatasetInfo(features=schema.features(), splits=split_dict, config_name=CONFIG)
    DatasetInfosDict({CONFIG: info}).to_dataset_card_data(data)
    return data


def _table(title: str, counts: dict[str, dict[str, int]]) -> str:
    splits = list(counts)
    keys = sorted({k for c in counts.values() for k in c}, key=lambda k: (k == "(none)", k))
    rows = [f"| {title} | " + " | ".join(splits) + " | total |",
            "|---|" + "---:|" * (len(splits) + 1)]
    for key in keys:
        cells = [counts[s].get(key, 0) for s in splits]
        rows.append(f"| {key} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    return "\n".join(rows)


def counts_markdown(manifest: dict[str, Any]) -> str:
    """Records per split, tables by source and by specialty, and the rejects."""
    by_split = manifest["counts"]["by_split"]
    total = ", ".join(f"{name} {meta['num_examples']}" for name, meta in manifest["splits"].items())
    acc = manifest["accounting"]
    return "\n\n".join([
        f"Records per split: {total}.",
        _table("source", {s: c["source"] for s, c in by_split.items()}),
        _table("specialty", {s: c["specialty"] for s, c in by_split.items()}),
        f"Raw files read: {acc['files_seen']}; records: {acc['records']}; rejected (no record, reasons in "
        f"`rejects.jsonl`): {acc['rejects']}.",
    ])


def changelog_markdown(manifest: dict[str, Any]) -> str:
    """The release notes, newest first (a plain build has none yet)."""
    entries = manifest.get("changelog") or []
    if not entries:
        return "No release yet: this folder was built locally."
    return "\n\n".join(f"### v{e['version']}\n\n{e['notes']}" for e in entries)


def fields_markdown() -> str:
    """One line per field, with its type and description, straight from the JSON Schema."""
    lines = ["| field | type | description |", "|---|---|---|"]

    def walk(node: dict[str, Any], prefix: str) -> None:
        node = schema.resolve(node)
        for name, sub in node.get("properties", {}).items():
            sub_r = schema.resolve(sub)
            path = f"{prefix}{name}"
            kind = sub_r.get("type", "string")
            kind = " or ".join(kind) if isinstance(kind, list) else kind
            desc = (sub.get("description") or sub_r.get("description") or "").replace("|", "\\|")
            lines.append(f"| `{path}` | {kind} | {desc} |")
            if "object" in kind.split(" or "):
                walk(sub_r, f"{path}.")
            elif sub_r.get("items"):
                walk(sub_r["items"], f"{path}[].")

    walk(schema.load(), "")
    return "\n".join(lines)


def render(manifest: dict[str, Any]) -> str:
    """The whole README.md, from the manifest alone."""
    prose = resource("DATASET_CARD.md").read_text(encoding="utf-8")
    replacements = {
        "<!-- medqa:version -->": manifest["dataset"]["version"],
        "<!-- medqa:counts -->": counts_markdown(manifest),
        "<!-- medqa:fields -->": fields_markdown(),
        "<!-- medqa:changelog -->": changelog_markdown(manifest),
    }
    for marker, text in replacements.items():
        prose = prose.replace(marker, text)
    return f"---\n{card_data(manifest).to_yaml()}\n---\n\n{prose.lstrip()}"
