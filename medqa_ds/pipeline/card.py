"""Step 6: the dataset card (README.md): the prose of DATASET_CARD.md, YAML metadata and the numbers.

Metadata is produced by the libraries that read it (``datasets``' DatasetInfo for ``dataset_info``,
``huggingface_hub``'s DatasetCardData for the YAML), and the field list comes from the schema.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from huggingface_hub import DatasetCardData

from .. import schema
from ..resources import resource
from .write import SplitFiles

CONFIG = "default"
_SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
          (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` bucket for ``n`` rows."""
    return next((label for limit, label in _SIZES if n < limit), "n>100M")


def card_data(name: str, splits: Sequence[SplitFiles]) -> DatasetCardData:
    """The card's YAML: configs and dataset_info for the splits that have rows, plus Hub metadata."""
    present = [s for s in splits if s.num_examples]
    data = DatasetCardData(
        pretty_name=name,
        license="other",
        license_name="source-site-terms",
        license_link="README.md#license-and-terms-of-use",
        language=["en"],
        task_categories=["question-answering", "text-generation"],
        tags=["medical", "doctor-answers", "question-answering", "health"],
        size_categories=[size_category(sum(s.num_examples for s in splits))],
        configs=[{"config_name": CONFIG,
                  "data_files": [{"split": s.name, "path": f"data/{s.name}-*"} for s in present],
                  "default": True}],
    )
    split_dict = SplitDict()
    for s in present:
        split_dict.add(SplitInfo(name=s.name, num_bytes=s.num_bytes, num_examples=s.num_examples))
    info = DatasetInfo(features=schema.features(), splits=split_dict, config_name=CONFIG)
    DatasetInfosDict({CONFIG: info}).to_dataset_card_data(data)
    return data


def _table(title: str, counts: dict[str, Counter], splits: Sequence[str]) -> str:
    keys = sorted({k for c in counts.values() for k in c}, key=lambda k: (k == "(none)", k))
    rows = [f"| {title} | " + " | ".join(splits) + " | total |",
            "|---|" + "---:|" * (len(splits) + 1)]
    for key in keys:
        cells = [counts[s][key] for s in splits]
        rows.append(f"| {key} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    return "\n".join(rows)


def counts_markdown(records_by_split: dict[str, Sequence[dict[str, Any]]]) -> str:
    """Tables of records per split, by source and by specialty."""
    splits = list(records_by_split)
    by_source = {s: Counter(r["source"] for r in rs) for s, rs in records_by_split.items()}
    by_spec = {s: Counter(r["specialty"] or "(none)" for r in rs) for s, rs in records_by_split.items()}
    total = ", ".join(f"{s} {len(rs)}" for s, rs in records_by_split.items())
    return "\n\n".join([f"Records per split — {total}.", _table("source", by_source, splits),
                        _table("specialty", by_spec, splits)])


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
            if kind == "object" or "object" in kind.split(" or "):
                walk(sub_r, f"{path}.")
            elif sub_r.get("items"):
                walk(sub_r["items"], f"{path}[].")

    walk(schema.load(), "")
    return "\n".join(lines)


def render(name: str, version: str, splits: Sequence[SplitFiles],
           records_by_split: dict[str, Sequence[dict[str, Any]]], rejects: int) -> str:
    """The whole README.md."""
    prose = resource("DATASET_CARD.md").read_text(encoding="utf-8")
    replacements = {
        "<!-- medqa:version -->": version,
        "<!-- medqa:counts -->": counts_markdown(records_by_split)
        + f"\n\nRaw files rejected (no record; reasons in `rejects.jsonl`): {rejects}.",
        "<!-- medqa:fields -->": fields_markdown(),
    }
    for marker, text in replacements.items():
        prose = prose.replace(marker, text)
    return f"---\n{card_data(name, splits).to_yaml()}\n---\n\n{prose.lstrip()}"
