"""The dataset card (README.md): the prose of DATASET_CARD.md, YAML metadata and the numbers.

Metadata is produced by the libraries that read it (``datasets``' DatasetInfo for ``dataset_info``,
``huggingface_hub``'s DatasetCardData for the YAML), the field lists come from the schema and the
chat Features, and every number from the manifest, so a release can re-render the card (its
changelog) from the manifest alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from huggingface_hub import DatasetCardData

from .. import cleaning, schema
from ..resources import resource
from . import chart, chat, privacy, prompt_completion

CONFIG = "default"
PROSE = "DATASET_CARD.md"
LICENSE = "LICENSE.md"  # the Hub links `license: other` to LICENSE, LICENSE.md or a URL, nothing else
_LICENSE_SECTION = "## License and terms of use"
_NONE = (
    "`(none)` counts records whose page names no specialty, or one the vocabulary "
    "(`schema/specialties.schema.json`) does not know: their `specialty` is null."
)
# The Hub's documented size buckets (hub-docs datasetcard.md, `size_categories`)
_SIZES = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (10**9, "100M<n<1B"),
    (10**10, "1B<n<10B"),
    (10**11, "10B<n<100B"),
    (10**12, "100B<n<1T"),
]


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` bucket for ``n`` rows."""
    return next((label for limit, label in _SIZES if n < limit), "n>1T")


def record_sizes(folder: Path, manifest: dict[str, Any]) -> None:
    """Each split's Parquet bytes (``download_bytes``) into the manifest, for the card's size keys."""
    views = (manifest.get(view, {}).get("splits", {}) for view in ("chat", "prompt_completion"))
    for section in (manifest["splits"], *views):
        for meta in section.values():
            meta["download_bytes"] = sum((folder / f).stat().st_size for f in meta["files"])


def _present(splits: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: meta for name, meta in splits.items() if meta["num_examples"]}


def _info(config: str, features: Any, splits: dict[str, dict[str, Any]]) -> DatasetInfo:
    split_dict = SplitDict()
    for name, meta in splits.items():
        split_dict.add(SplitInfo(name=name, num_bytes=meta["num_bytes"], num_examples=meta["num_examples"]))
    sized = all("download_bytes" in meta for meta in splits.values())  # folders built before it lack it
    return DatasetInfo(
        features=features,
        splits=split_dict,
        config_name=config,
        dataset_size=sum(meta["num_bytes"] for meta in splits.values()),
        download_size=sum(meta["download_bytes"] for meta in splits.values()) if sized else None,
    )


def configs(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each config's folder, Features and splits with rows: ``default`` (the records) and ``chat``
    (left out when no record gives a chat row, as in a folder built before it existed)."""
    out = {CONFIG: {"folder": "data", "features": schema.features(), "splits": _present(manifest["splits"])}}
    chat_splits = _present(manifest.get("chat", {}).get("splits", {}))
    if chat_splits:
        out[chat.CONFIG] = {"folder": chat.FOLDER, "features": chat.features(), "splits": chat_splits}
    pc_splits = _present(manifest.get("prompt_completion", {}).get("splits", {}))
    if pc_splits:
        out[prompt_completion.CONFIG] = {
            "folder": prompt_completion.FOLDER,
            "features": prompt_completion.features(),
            "splits": pc_splits,
        }
    return out


def card_data(manifest: dict[str, Any]) -> DatasetCardData:
    """The card's YAML: configs and dataset_info for the splits that have rows, plus Hub metadata."""
    found = configs(manifest)
    data = DatasetCardData(
        pretty_name=manifest["dataset"]["name"],
        license="other",
        license_name="source-site-terms",
        license_link=LICENSE,
        language=["en"],
        language_creators=["found", "machine-generated"],  # doctorqna pages are machine translations
        annotations_creators=["no-annotation"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
        task_categories=["question-answering", "text-generation"],
        tags=["medical", "doctor-answers", "question-answering", "health", "conversational"],
        size_categories=[size_category(manifest["accounting"]["records"])],
        configs=[
            {
                "config_name": name,
                "data_files": [{"split": s, "path": f"{c['folder']}/{s}-*"} for s in c["splits"]],
                **({"default": True} if name == CONFIG else {}),
            }
            for name, c in found.items()
        ],
    )
    DatasetInfosDict({name: _info(name, c["features"], c["splits"]) for name, c in found.items()}).to_dataset_card_data(
        data
    )
    return data


def config_info(data: dict[str, Any], config: str = CONFIG) -> dict[str, Any]:
    """One config's ``dataset_info`` from a card's YAML: a mapping when the card has one config,
    a list of them (each with ``config_name``) when it has several."""
    info = data.get("dataset_info") or {}
    if isinstance(info, dict):
        return info if info.get("config_name", CONFIG) == config else {}
    return next((i for i in info if i.get("config_name") == config), {})


def _table(title: str, counts: dict[str, dict[str, int]]) -> str:
    splits = list(counts)
    keys = sorted({k for c in counts.values() for k in c}, key=lambda k: (k == "(none)", k))
    rows = [f"| {title} | " + " | ".join(splits) + " | total |", "|---|" + "---:|" * (len(splits) + 1)]
    for key in keys:
        cells = [counts[s].get(key, 0) for s in splits]
        rows.append(f"| {key} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    return "\n".join(rows)


def counts_markdown(manifest: dict[str, Any]) -> str:
    """Records and chat rows per split, tables by source and by specialty, the chart, the rejects."""
    by_split = manifest["counts"]["by_split"]
    total = ", ".join(f"{name} {meta['num_examples']}" for name, meta in manifest["splits"].items())
    chats = manifest.get("chat", {}).get("splits", {})
    chat_total = ", ".join(f"{name} {meta['num_examples']}" for name, meta in chats.items())
    acc = manifest["accounting"]
    counts = manifest["counts"]
    parts = [
        f"Records per split: {total}." + (f" Chat rows per split: {chat_total}." if chats else ""),
        _table("source", {s: c["source"] for s, c in by_split.items()}),
        _table("specialty", {s: c["specialty"] for s, c in by_split.items()}),
        *([_NONE] if any("(none)" in c["specialty"] for c in by_split.values()) else []),
        *_one_source_warnings(by_split),
        f"![{chart.ALT}]({chart.PATH})",
    ]
    if "complete" in counts:
        parts.append(
            f"Complete pages: {counts['complete']}; pages cut short when they were saved "
            f"(`complete: false`): {counts['incomplete']}."
        )
    parts.append(
        f"Raw files read: {acc['files_seen']}; records: {acc['records']}; rejected (no record, "
        f"reasons in `rejects.jsonl`): {acc['rejects']}."
    )
    return "\n\n".join(parts)


def _one_source_warnings(by_split: dict[str, dict[str, Any]]) -> list[str]:
    """A warning for each evaluation split whose records all come from one source (when the build has several)."""
    sources = {name for counts in by_split.values() for name, n in counts["source"].items() if n}
    out = []
    for split in ("validation", "test"):
        present = [name for name, n in by_split.get(split, {}).get("source", {}).items() if n]
        if len(sources) > 1 and len(present) == 1:
            out.append(
                f"> **Warning:** every `{split}` record comes from `{present[0]}`: scores on `{split}` say "
                "nothing about the other sources."
            )
    return out


def splits_markdown(manifest: dict[str, Any]) -> str:
    """The shares and salt this build used (a release keeps its previous splits)."""
    config = manifest.get("split_config") or {}
    ratios = config.get("ratios") or {}
    shares = ", ".join(f"`{name}` {share:g}" for name, share in ratios.items())
    pinned = config.get("pinned_from_previous_release", 0)
    kept = f" {_n(pinned, 'record keeps', 'records keep')} the split of the previous release." if pinned else ""
    return f"Shares used: {shares}; salt `{config.get('salt')}` (`medqa-ds build --splits ... --salt ...`)." + kept


def loading_markdown(manifest: dict[str, Any]) -> str:
    """The snippet a user copies: the real repo and tag of a release, a folder path for a local build."""
    release = manifest.get("release")
    if release:
        repo, tag = release["repo"], release["tag"]
        where = (
            f"`{repo}` is this dataset's repository on the Hub and `{tag}` this release; a tag can be "
            'moved, so pin a commit (`revision="<sha>"`, listed in the changelog for earlier releases) where '
            "it must never change."
        )
    else:
        repo, tag = "path/to/this/folder", None
        where = "This folder was built locally: load it by its path (a release on the Hub shows its repository here)."
    pin = f'records = load_dataset("{repo}", revision="{tag}")   # pin this release\n' if tag else ""
    return (
        "```python\nfrom datasets import load_dataset\n\n"
        f'records = load_dataset("{repo}")                      # the full records (config "default")\n'
        f'chat = load_dataset("{repo}", "chat")                 # conversations for chat models\n'
        f"{pin}```\n\n{where}"
    )


def hosts_markdown(manifest: dict[str, Any]) -> str:
    """The sites the records come from (the hosts of their URLs), with counts; nothing when no
    input gave URLs."""
    hosts = manifest["counts"].get("hosts") or {}
    if not hosts:
        return ""
    rows = "\n".join(f"| {host} | {n} |" for host, n in sorted(hosts.items(), key=lambda kv: (-kv[1], kv[0])))
    return (
        "Records by site (the host of the page's URL, where the crawl gave one):\n\n"
        f"| host | records |\n|---|---:|\n{rows}"
    )


def takedowns_markdown(manifest: dict[str, Any]) -> str:
    """The ids taken down so far (release tombstones), ids only."""
    ids = manifest.get("tombstones") or []
    return f"Ids taken down so far: {', '.join(f'`{i}`' for i in ids)}." if ids else "No page has been taken down."


def changelog_markdown(manifest: dict[str, Any]) -> str:
    """The release notes, newest first, each earlier release with its tag's commit (a plain build has none yet)."""
    entries = manifest.get("changelog") or []
    if not entries:
        return "No release yet: this folder was built locally."
    return "\n\n".join(
        f"### v{e['version']}\n\n" + (f"Commit `{e['commit']}`.\n\n" if e.get("commit") else "") + e["notes"]
        for e in entries
    )


def _cell(text: str) -> str:
    """Text for a Markdown table cell: no pipes or line breaks, and no "<…>" the Hub would read as HTML."""
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


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
            desc = sub.get("description") or (
                "A canonical specialty name (`schema/specialties.schema.json`)."
                if "$ref" in sub
                else sub_r.get("description") or ""
            )
            if path in privacy.EMPTIED:
                desc += f" **{privacy.EMPTIED[path]}**"
            lines.append(f"| `{path}` | {kind} | {_cell(desc)} |")
            if "object" in kind.split(" or "):
                walk(sub_r, f"{path}.")
            elif sub_r.get("items"):
                walk(sub_r["items"], f"{path}[].")

    walk(schema.load(), "")
    return "\n".join(lines)


def chat_fields_markdown() -> str:
    """One line per field of a chat row (``chat.DESCRIPTIONS``, the record's own for id and source)."""
    lines = ["| field | type | description |", "|---|---|---|"]
    for path, (kind, desc) in chat.field_docs().items():
        lines.append(f"| `{path}` | {kind} | {_cell(desc)} |")
    return "\n".join(lines)


def chat_markdown(manifest: dict[str, Any]) -> str:
    """What the chat view holds in this build."""
    section = manifest.get("chat")
    if not section:
        return "This build has no chat view."
    cut, none = section["truncated_at_missing_turn"], section["records_without_row"]
    lines = [
        f"This build has {_n(section['rows'], 'chat row')} (and as many `prompt_completion` rows, the same "
        f"ids in the same splits). {_n(cut, 'row stops', 'rows stop')} at a gap (the answers after it are in "
        f"`default` only); {_n(section.get('truncated_at_cut_answer', 0), 'row stops', 'rows stop')} before an "
        f"answer the page cut (`complete: false`), which is left out with everything after it; and "
        f"{_n(none, 'record has', 'records have')} no chat row"
        + (
            ": "
            + "; ".join(
                f"{n} because {why}" for why, n in section.get("records_without_row_by_reason", {}).items() if n
            )
            if none
            else ""
        )
        + "."
    ]
    removed = section.get("cleaning_removed")
    if removed is not None:
        lines += [
            "",
            "Assistant turns are the answers' `text_clean`. What each cleaning rule removed from the "
            "published answers in this build, by source:",
            "",
            "| rule | what it removes | applies to | removed in this build |",
            "|---|---|---|---|",
        ]
        for rule in cleaning.RULES:
            got = removed.get(rule.name, {})
            where = ", ".join(rule.sources) if rule.sources else "every source"
            counted = ", ".join(f"{src} {n}" for src, n in sorted(got.items())) or "0"
            lines.append(f"| `{rule.name}` | {_cell(rule.removes)} | {where} | {counted} |")
    return "\n".join(lines)


def _n(count: int, one: str, many: str | None = None) -> str:
    """``1 chat row``, ``2 chat rows``: a count with its noun (or phrase) agreeing."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def privacy_banner(manifest: dict[str, Any]) -> str:
    """Nothing for a de-identified build; a loud warning at the top of a build that was not."""
    if manifest.get("privacy", {}).get("enabled", False):
        return ""
    return (
        "> **WARNING: this folder was built with de-identification turned off (`--no-privacy`).** "
        "Its records hold patients' names, contact details and identifiers exactly as the pages "
        "showed them. It is for local debugging only: do not publish or share it "
        "(`medqa-ds release` refuses such a build)."
    )


def privacy_markdown(manifest: dict[str, Any]) -> str:
    """The policy this build applied and what it replaced, by kind and by field."""
    section = manifest.get("privacy") or {}
    if not section.get("enabled"):
        return "**De-identification was turned off for this build: nothing below applies and nothing was replaced.**"
    doctors = (
        "replaced by `[DOCTOR]` (built with `--redact-doctors`)"
        if section["redact_doctors"]
        else "kept (built without `--redact-doctors`)"
    )
    lines = [
        f"Policy: `{section['name']}` version {section['version']}, built on the HIPAA Safe Harbor list of "
        f"identifiers, applied to patients and the people they mention; doctors' names {doctors}.",
        "",
        "| placeholder | what it replaces | replaced in this build |",
        "|---|---|---:|",
    ]
    for kind in privacy.KINDS:
        lines.append(
            f"| `{privacy.placeholder(kind)}` | {_cell(privacy.KIND_DESCRIPTIONS[kind])} | "
            f"{section['replaced'].get(kind, 0)} |"
        )
    dropped = (
        f"Asker name fields emptied (`question.asker.name` is null in every record): "
        f"{section['asker_names_dropped']}. Records with at least one change: {section['records_changed']}."
    )
    lines += ["", dropped]
    by_field = section.get("replaced_by_field") or {}
    if by_field:
        lines += ["", "Replacements by field: " + ", ".join(f"`{k}` {v}" for k, v in by_field.items()) + "."]
    by_rule = section.get("replaced_by_rule") or {}
    if by_rule:
        lines += [
            "",
            "Each rule, and how often it replaced something in this build (a name written in parts "
            "counts once per part):",
            "",
            "| rule | placeholder | what it replaces | replaced |",
            "|---|---|---|---:|",
        ]
        lines += [
            f"| {rule.name} | `{privacy.placeholder(rule.kind)}` | {_cell(rule.what)} | {by_rule.get(rule.name, 0)} |"
            for rule in privacy.RULES
        ]
    lines += ["", "**Kept on purpose.** " + privacy.KEPT, "", "**Known limits.** " + privacy.LIMITS]
    return "\n".join(lines)


def citation(manifest: dict[str, Any] | None = None) -> str:
    """The BibTeX entry of DATASET_CARD.md's Citation section (the one place it is written), with this
    build's version and, for a release, its repository."""
    prose = resource(PROSE).read_text(encoding="utf-8")
    m = re.search(r"```bibtex\n(.*?)```", prose, re.DOTALL)
    return _cite(m.group(1).strip(), manifest) if m else ""


def _cite(entry: str, manifest: dict[str, Any] | None) -> str:
    """The entry with ``version`` and, for a release, ``url`` (the repository) before its closing brace."""
    if manifest is None or "\n}" not in entry:
        return entry
    release = manifest.get("release") or {}
    fields = [f"  version = {{{manifest['dataset']['version']}}}"]
    if release:
        fields.append(f"  url     = {{{release['endpoint']}/datasets/{release['repo']}}}")
    head = entry.rstrip().rsplit("\n}", 1)[0]
    return head + ",\n" + ",\n".join(fields) + "\n}"


def license_markdown() -> str:
    """LICENSE.md of a build: DATASET_CARD.md's License section (written once, there)."""
    prose = resource(PROSE).read_text(encoding="utf-8")
    section = prose.split(_LICENSE_SECTION, 1)[1].split("\n## ", 1)[0].strip()
    return f"# License and terms of use\n\n{section}\n"


def render(manifest: dict[str, Any]) -> str:
    """The whole README.md, from the manifest alone."""
    prose = resource(PROSE).read_text(encoding="utf-8")
    replacements = {
        "<!-- medqa:version -->": manifest["dataset"]["version"],
        "<!-- medqa:privacy-banner -->": privacy_banner(manifest),
        "<!-- medqa:loading -->": loading_markdown(manifest),
        "<!-- medqa:splits -->": splits_markdown(manifest),
        "<!-- medqa:counts -->": counts_markdown(manifest),
        "<!-- medqa:fields -->": fields_markdown(),
        "<!-- medqa:chat-fields -->": chat_fields_markdown(),
        "<!-- medqa:chat -->": chat_markdown(manifest),
        "<!-- medqa:privacy -->": privacy_markdown(manifest),
        "<!-- medqa:changelog -->": changelog_markdown(manifest),
        "<!-- medqa:hosts -->": hosts_markdown(manifest),
        "<!-- medqa:takedowns -->": takedowns_markdown(manifest),
    }
    prose = re.sub(r"```bibtex\n(.*?)```", lambda m: f"```bibtex\n{citation(manifest)}\n```", prose, flags=re.DOTALL)
    for marker, text in replacements.items():
        prose = prose.replace(marker, text)
    prose = re.sub(r"\n{3,}", "\n\n", prose)  # a marker replaced by nothing leaves no gap
    return f"---\n{card_data(manifest).to_yaml()}\n---\n\n{prose.lstrip()}"
