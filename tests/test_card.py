"""The dataset card: Hub-valid YAML for both configs, every section a careful user needs, the chart."""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from huggingface_hub import DatasetCard, DatasetCardData

from medqa_ds import cleaning, schema
from medqa_ds.pipeline import BuildOptions, build, card, chart, chat
from medqa_ds.pipeline.split import SplitSpec

# Keys of a dataset card's YAML that the Hub documents (huggingface_hub's DatasetCardData and the
# Hub's dataset card spec); anything else would be silently ignored, or refused, by the Hub.
HUB_KEYS = {
    "annotations_creators",
    "language_creators",
    "language",
    "license",
    "license_name",
    "license_link",
    "multilinguality",
    "size_categories",
    "source_datasets",
    "task_categories",
    "task_ids",
    "paperswithcode_id",
    "pretty_name",
    "train_eval_index",
    "config_names",
    "configs",
    "dataset_info",
    "tags",
    "viewer",
}
TASKS = {"question-answering", "text-generation", "text-classification", "summarization", "translation"}
# The Hub's documented enumerations (hub-docs datasetcard.md and huggingface.js' task list): what the
# Hub's filters know. A value outside them is shown as nothing, or refused by the Hub's YAML check.
HUB_TASK_CATEGORIES = {
    "text-classification",
    "token-classification",
    "table-question-answering",
    "question-answering",
    "zero-shot-classification",
    "translation",
    "summarization",
    "feature-extraction",
    "text-generation",
    "fill-mask",
    "sentence-similarity",
    "text-to-speech",
    "automatic-speech-recognition",
    "text-to-image",
    "image-classification",
    "object-detection",
    "image-segmentation",
    "visual-question-answering",
    "document-question-answering",
    "image-text-to-text",
    "text-retrieval",
    "tabular-classification",
    "tabular-regression",
    "reinforcement-learning",
    "robotics",
    "time-series-forecasting",
    "other",
}
HUB_SIZE_CATEGORIES = [
    "n<1K",
    "1K<n<10K",
    "10K<n<100K",
    "100K<n<1M",
    "1M<n<10M",
    "10M<n<100M",
    "100M<n<1B",
    "1B<n<10B",
    "10B<n<100B",
    "100B<n<1T",
    "n>1T",
]
HUB_LICENSES = {
    "apache-2.0",
    "mit",
    "cc-by-4.0",
    "cc-by-sa-4.0",
    "cc-by-nc-4.0",
    "cc-by-nc-sa-4.0",
    "cc0-1.0",
    "odc-by",
    "openrail",
    "unknown",
    "other",
}
HUB_CREATORS = {"crowdsourced", "found", "expert-generated", "machine-generated", "no-annotation", "other"}
SECTIONS = [
    "Loading",
    "Sources and how the pages were collected",
    "Counts",
    "Configs",
    "Privacy",
    "Known limitations and biases",
    "Versions",
    "Takedowns",
    "Changelog",
    "How records are made",
    "License and terms of use",
    "Citation",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from pages import askadoctor_page, doctorqna_page

    raw = tmp_path_factory.mktemp("card") / "raw"
    raw.mkdir()
    for i in range(40):
        (raw / f"dq_{i:03d}.txt").write_text(doctorqna_page(i), encoding="utf-8")
        (raw / f"ad_{i:03d}.txt").write_text(askadoctor_page(i), encoding="utf-8")
    out = raw.parent / "out"
    build(raw, out, BuildOptions(version="1.2.0", workers=1))
    return out


def _front_matter(text: str) -> str:
    m = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert m, "the card starts with a YAML block"
    return m.group(1)


def test_yaml_is_plain_and_uses_only_keys_the_hub_knows(built):
    text = (built / "README.md").read_text()
    front = _front_matter(text)
    assert "!!python" not in front and "!<" not in front
    data = yaml.safe_load(front)
    assert set(data) <= HUB_KEYS, set(data) - HUB_KEYS
    assert set(data["task_categories"]) <= TASKS and data["language"] == ["en"]
    assert data["license"] == "other" and data["license_name"] and data["license_link"]
    assert re.fullmatch(r"[a-z0-9-]+", data["license_name"])
    assert data["size_categories"] == ["n<1K"]
    loaded = DatasetCard.load(built / "README.md").data
    assert isinstance(loaded, DatasetCardData) and loaded.pretty_name == "medqa"


def test_both_configs_are_declared_with_their_features_and_counts(built, load):
    data = DatasetCard.load(built / "README.md").data.to_dict()
    manifest = json.loads((built / "manifest.json").read_text())
    assert [c["config_name"] for c in data["configs"]] == ["default", "chat", "prompt_completion"]
    assert data["configs"][0]["default"] is True and "default" not in data["configs"][1]
    assert data["configs"][1]["data_files"] == [
        {"split": s, "path": f"chat/{s}-*"} for s in ("train", "validation", "test")
    ]
    from datasets import Features

    for name, features, section in (
        ("default", schema.features(), manifest),
        ("chat", chat.features(), manifest["chat"]),
    ):
        info = card.config_info(data, name)
        assert Features._from_yaml_list(info["features"]) == features
        counts = {s["name"]: s["num_examples"] for s in info["splits"]}
        assert counts == {k: v["num_examples"] for k, v in section["splits"].items()}
        ds = load(built, name)
        assert {k: len(v) for k, v in ds.items()} == counts


def test_a_single_config_card_is_read_too():
    data = {"dataset_info": {"features": [], "splits": []}}
    assert card.config_info(data) == data["dataset_info"] and card.config_info(data, "chat") == {}


def test_the_card_has_every_section_in_order_and_no_marker_left(built):
    text = (built / "README.md").read_text()
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == SECTIONS
    assert "<!-- medqa:" not in text
    assert re.findall(r"^### (.+)$", text, re.MULTILINE)[:2] == [
        "`default`: the full records",
        "`chat`: conversations for chat models",
    ]


@pytest.mark.parametrize(
    "needle",
    [
        "More Info is machine-written",
        "Translations are machine-made",
        "The asker's sex on doctorqna is unreliable",
        "**Gaps.**",
        "`medqa-deid` version 3",
        "doctors' names kept",
        "not a random sample",
        "How records are made",
        "@misc{medqa_ds",
        "Version 1.2.0",
        "**PATCH**",
        "**MINOR**",
        "**MAJOR**",
        "No release yet",
        "Records per split: train",
        "Chat rows per split: train",
        "Check the source sites' terms",
    ],
)
def test_the_card_says_what_a_careful_user_needs(built, needle):
    assert needle in (built / "README.md").read_text()


def test_the_field_table_has_one_line_per_schema_field_and_escapes_html(built):
    text = (built / "README.md").read_text()
    rules = {r.name for r in cleaning.RULES}  # the chat section's table of cleaning rules
    rows = [r for r in re.findall(r"^\| `([a-z0-9_.\[\]]+)` \| ", text, re.MULTILINE) if r not in rules]
    chat_rows = list(chat.field_docs())
    fields = rows[: len(rows) - len(chat_rows)]

    def leaves(node: dict, prefix: str) -> list[str]:
        out = []
        for name, sub in schema.resolve(node).get("properties", {}).items():
            sub = schema.resolve(sub)
            out.append(prefix + name)
            if sub.get("properties"):
                out += leaves(sub, f"{prefix}{name}.")
            elif sub.get("items"):
                out += leaves(sub["items"], f"{prefix}{name}[].")
        return out

    assert fields == leaves(schema.load(), "")
    assert rows[len(fields) :] == chat_rows
    assert "'&lt;headline&gt; - &lt;Specialty&gt;'" in text
    assert re.search(r"^\| `question.asker.name` \|.*always null", text, re.MULTILINE)
    assert not re.search(r"^\| `[^`]+` \| [^|]+ \|  \|$", text, re.MULTILINE), "a field without a description"


def test_the_chart_is_in_the_folder_linked_and_drawn_from_the_counts(built):
    text = (built / "README.md").read_text()
    assert f"![{chart.ALT}]({chart.PATH})" in text
    manifest = json.loads((built / "manifest.json").read_text())
    assert chart.PATH in manifest["files"]
    svg = (built / chart.PATH).read_text()
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for key in ("source", "specialty"):
        for name, n in manifest["counts"][key].items():
            assert labels[labels.index(name) + 1] == str(n)
    assert svg == chart.svg(manifest)
    changed = copy.deepcopy(manifest)
    changed["counts"]["source"]["askadoctor"] += 1
    assert chart.svg(changed) != svg


def test_the_privacy_table_counts_each_kind(built):
    text = (built / "README.md").read_text()
    manifest = json.loads((built / "manifest.json").read_text())
    for kind, n in manifest["privacy"]["replaced"].items():
        assert re.search(rf"^\| `\[{kind}\]` \| .+ \| {n} \|$", text, re.MULTILINE), kind
    assert (
        f"Asker name fields emptied (`question.asker.name` is null in every record): "
        f"{manifest['privacy']['asker_names_dropped']}." in text
    )


def test_the_card_is_rendered_from_the_manifest_alone(built):
    manifest = json.loads((built / "manifest.json").read_text())
    assert card.render(manifest) == (built / "README.md").read_text()
    manifest["changelog"] = [{"version": "1.2.0", "notes": "First release: 80 records."}]
    assert "### v1.2.0\n\nFirst release: 80 records." in card.render(manifest)


def test_the_citation_is_written_once(built):
    manifest = json.loads((built / "manifest.json").read_text())
    entry = card.citation(manifest)
    assert entry.startswith("@misc{medqa_ds,") and entry.endswith("}") and "version = {1.2.0}" in entry
    # the card shows it once, and croissant.json cites the same entry
    assert (built / "README.md").read_text().count(entry) == 1
    assert json.loads((built / "croissant.json").read_text())["citeAs"] == entry


def test_every_card_key_and_value_is_one_the_hub_documents(built):
    data = yaml.safe_load(_front_matter((built / "README.md").read_text()))
    assert DatasetCardData(**data).to_dict() == data  # huggingface_hub keeps every key as it is
    assert set(data["task_categories"]) <= HUB_TASK_CATEGORIES
    assert data["size_categories"] == ["n<1K"] and set(data["size_categories"]) <= set(HUB_SIZE_CATEGORIES)
    assert data["license"] in HUB_LICENSES
    assert set(data["annotations_creators"]) | set(data["language_creators"]) <= HUB_CREATORS
    # license: other links to LICENSE, LICENSE.md (a file of the repo) or a URL; nothing else
    link = data["license_link"]
    assert link in ("LICENSE", "LICENSE.md") or re.match(r"https?://", link)
    assert (built / link).read_text().startswith("# License and terms of use")
    manifest = json.loads((built / "manifest.json").read_text())
    assert link in manifest["files"]
    for name in ("default", "chat"):  # the size keys
        info = card.config_info(data, name)
        section = manifest if name == "default" else manifest["chat"]
        parquet = [f for split in section["splits"].values() for f in split["files"]]
        assert info["download_size"] == sum((built / f).stat().st_size for f in parquet)
        assert info["dataset_size"] == sum(split["num_bytes"] for split in section["splits"].values())


def test_size_categories_are_the_hubs_buckets():
    assert [card.size_category(n) for n in (0, 999, 1_000, 10**6, 10**8, 10**9 + 1, 10**12)] == [
        "n<1K",
        "n<1K",
        "1K<n<10K",
        "1M<n<10M",
        "100M<n<1B",
        "1B<n<10B",
        "n>1T",
    ]
    assert {card.size_category(10**k) for k in range(13)} <= set(HUB_SIZE_CATEGORIES)


def test_the_card_states_the_shares_and_salt_used(tmp_path, write_raw):
    out = tmp_path / "out"
    build(write_raw(6), out, BuildOptions(splits=SplitSpec.parse("50/25/25", "pepper"), workers=1))
    text = (out / "README.md").read_text()
    assert "Shares used: `train` 0.5, `validation` 0.25, `test` 0.25; salt `pepper`" in text
    assert "80/10/10" not in text


def test_none_in_the_specialty_table_is_explained(built):
    manifest = json.loads((built / "manifest.json").read_text())
    assert card._NONE not in card.counts_markdown(manifest)
    manifest["counts"]["by_split"]["train"]["specialty"]["(none)"] = 3
    text = card.counts_markdown(manifest)
    assert "| (none) | 3 |" in text and card._NONE in text


def test_an_evaluation_split_of_one_source_is_warned_about(built):
    manifest = json.loads((built / "manifest.json").read_text())
    assert "**Warning:**" not in card.counts_markdown(manifest)
    manifest["counts"]["by_split"]["test"]["source"] = {"askadoctor": 4, "doctorqna": 0}
    text = card.counts_markdown(manifest)
    assert "every `test` record comes from `askadoctor`" in text and "every `validation`" not in text


def test_a_released_card_names_its_repo_tag_and_earlier_commits(built):
    manifest = json.loads((built / "manifest.json").read_text())
    assert 'load_dataset("path/to/this/folder")' in card.render(manifest)
    manifest["release"] = {"repo": "acme/medqa", "tag": "v1.2.0", "endpoint": "https://huggingface.co"}
    manifest["changelog"] = [
        {"version": "1.2.0", "notes": "More pages."},
        {"version": "1.1.0", "notes": "First release.", "commit": "ab" * 20},
    ]
    text = card.render(manifest)
    assert 'load_dataset("acme/medqa", revision="v1.2.0")' in text and 'load_dataset("acme/medqa", "chat")' in text
    assert "org/name" not in text
    assert f"### v1.1.0\n\nCommit `{'ab' * 20}`." in text
    assert "url     = {https://huggingface.co/datasets/acme/medqa}" in card.citation(manifest)
