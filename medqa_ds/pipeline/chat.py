"""Build step: the ``chat`` config, each record as the ``messages`` list chat models are trained on.

A row is ``{"id", "source", "messages": [{"role": "user"|"assistant", "content": ...}, ...]}``, the
conversational format that tokenizer chat templates and TRL's ``SFTTrainer`` take. Rules:

- the first user turn is the title and the question text (the title alone when the page has no
  question text); a record with neither gives no row; user texts are the repaired ones
  (``text_repaired``) where the parser repaired the page's artefacts, else as the page has them;
- each assistant turn is one answer's ``text_clean`` (``medqa_ds.cleaning``: no site greeting,
  signature, slogan or closing formula): a doctor's questions back stay inside it, the one-line
  summary askadoctor shows above an answer and every other page part (More Info, related links,
  headline, dates) are left out;
- an answer that is not ``complete`` (the page was cut inside it) is left out with everything
  after it; a record whose first answer was cut gives no row (``NO_ROW_CUT_ANSWER``);
- a patient's follow-up after answer k becomes the user turn after it;
- the conversation stops before an answer whose user turn is missing from the page (seed 000: the
  doctor asked for details, the patient's reply was not saved, the doctor answered again), so the
  assistant never seems to answer something it was not told. Such rows count as ``truncated``.

The same rules are what ``problems`` checks: user first, strict alternation, assistant last.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import pyarrow as pa

from .. import _core, cleaning, schema
from ..text import looks_cut

CONFIG = "chat"
FOLDER = "chat"
ROLES = ("user", "assistant")
# Lines of page layout that must never reach a message (checked by ``problems``).
CHROME = (
    "Share to:",
    "Detailed Answer:",
    "Reply Date:",
    "Ask Date:",
    "More Info",
    "Similar Q&A",
    "Related FAQ",
    "[Read More]",
    "Posted on",
    "Answered on",
    "Last reviewed on",
)


DESCRIPTIONS = {
    "messages": "The conversation, user first, then strictly alternating, assistant last.",
    "messages[].role": "'user' (the patient) or 'assistant' (the doctor).",
    "messages[].content": "The turn's text: the title and question, a doctor's answer, or a patient's follow-up.",
}


def field_docs() -> dict[str, tuple[str, str]]:
    """Every field of a chat row with its JSON type and description: ``id`` and ``source`` described
    as the record schema describes them, ``messages`` by ``DESCRIPTIONS``."""
    props = schema.load()["properties"]
    return {
        "id": ("string", props["id"]["description"]),
        "source": ("string", props["source"]["description"]),
        "messages": ("array", DESCRIPTIONS["messages"]),
        "messages[].role": ("string", DESCRIPTIONS["messages[].role"]),
        "messages[].content": ("string", DESCRIPTIONS["messages[].content"]),
    }


@cache
def features():  # -> datasets.Features (imported lazily: datasets is slow to import)
    """The ``datasets.Features`` of a chat row, the one place they are defined: ``id`` and
    ``source`` typed as the records have them, then ``messages``."""
    from datasets import Features

    records = schema.arrow_schema()
    message = pa.struct([pa.field("role", pa.string()), pa.field("content", pa.string())])
    return Features.from_arrow_schema(
        pa.schema([records.field("id"), records.field("source"), pa.field("messages", pa.list_(message))])
    )


@cache
def arrow_schema() -> pa.Schema:
    """The Arrow schema chat shards are written with (carries the ``huggingface`` features metadata)."""
    return features().arrow_schema


# A record's state in the chat view (the chunk's ``chat`` array): rows, and why there is none.
# The numbers are the core's (rust/src/chat.rs), which gives the states.
_STATES = dict(_core.CHAT_STATES)
NO_ROW = _STATES["NO_ROW"]
ROW = _STATES["ROW"]
ROW_CUT_AT_GAP = _STATES["ROW_CUT_AT_GAP"]
ROW_CUT_AT_CUT_ANSWER = _STATES["ROW_CUT_AT_CUT_ANSWER"]
NO_ROW_CUT_ANSWER = _STATES["NO_ROW_CUT_ANSWER"]
NO_ROW_EMPTY_ANSWERS = _STATES["NO_ROW_EMPTY_ANSWERS"]
WITH_ROW = (ROW, ROW_CUT_AT_GAP, ROW_CUT_AT_CUT_ANSWER)
NO_ROW_REASONS = {
    NO_ROW: "no question or no answer text",
    NO_ROW_CUT_ANSWER: "the first answer was cut by the end of the page",
    NO_ROW_EMPTY_ANSWERS: "the answers held nothing but site text or a signature",
}


def has_row(states: np.ndarray) -> np.ndarray:
    """Which records (by chat state) have a chat row."""
    return np.isin(states, WITH_ROW)


def messages(record: dict[str, Any]) -> tuple[list[dict[str, str]] | None, int]:
    """The record's messages (None when it gives no row) and its chat state (``ROW``, ``NO_ROW``…).

    Assistant turns are the answers' ``text_clean``; an answer that is not ``complete`` (the page
    was cut inside it) is left out with everything after it. The rules are the core's
    (rust/src/chat.rs), over the record converted to its value.
    """
    return _core.chat_messages(record)


def summary(written: Sequence[Any], states: np.ndarray, removed: dict[str, dict[str, int]]) -> dict[str, Any]:
    """The manifest's ``chat`` section: the shards written per split (``SplitFiles``), the counts
    from each published record's chat state, and what each cleaning rule removed by source."""
    return {
        "config": CONFIG,
        "splits": {
            s.name: {"num_examples": s.num_examples, "num_bytes": s.num_bytes, "files": s.files} for s in written
        },
        "rows": int(np.count_nonzero(has_row(states))),
        "truncated_at_missing_turn": int(np.count_nonzero(states == ROW_CUT_AT_GAP)),
        "truncated_at_cut_answer": int(np.count_nonzero(states == ROW_CUT_AT_CUT_ANSWER)),
        "records_without_row": int(np.count_nonzero(~has_row(states))),
        "records_without_row_by_reason": {
            NO_ROW_REASONS[k]: int(np.count_nonzero(states == k)) for k in NO_ROW_REASONS
        },
        "cleaning_removed": removed,
    }


def problems(row: dict[str, Any], record: dict[str, Any] | None = None) -> list[str]:
    """Every way a chat row breaks the rules (empty when it keeps them); with its ``record``, also
    that no More Info text reached it."""
    msgs = row.get("messages") or []
    found = []
    if not msgs:
        found.append("no messages")
    roles = [m.get("role") for m in msgs]
    if roles and roles[0] != "user":
        found.append(f"starts with {roles[0]!r}, not 'user'")
    if roles and roles[-1] != "assistant":
        found.append(f"ends with {roles[-1]!r}, not 'assistant'")
    if any(a == b for a, b in pairwise(roles)):
        found.append(f"roles do not alternate: {roles}")
    if set(roles) - set(ROLES):
        found.append(f"unknown roles {sorted(set(roles) - set(ROLES), key=str)}")
    for i, m in enumerate(msgs):
        content = m.get("content") or ""
        if not content.strip():
            found.append(f"message {i} is empty")
        for line in content.split("\n"):
            if any(line.strip().startswith(c) for c in CHROME):
                found.append(f"message {i} holds page chrome: {line.strip()[:60]!r}")
        if m.get("role") == "assistant":
            found += [f"message {i}: {p}" for p in text_problems(content, row.get("source") or "")]
        if record is not None and record.get("more_info") and _overlaps(record["more_info"], content):
            found.append(f"message {i} holds More Info text")
    return found


def text_problems(content: str, source: str) -> list[str]:
    """What an assistant turn must not hold: anything a cleaning rule removes (a signature, a site
    greeting, a slogan, a placeholder of the site…), or an end mid-sentence."""
    found = [
        f"holds what cleaning rule {name!r} removes: {text[:60]!r}"
        for name, text in cleaning.clean(content, source).removed[:1]
    ]
    if looks_cut(content.rsplit("\n", 1)[-1]):
        found.append(f"ends mid-sentence: {content[-40:]!r}")
    return found


def _overlaps(more_info: str, content: str) -> bool:
    """True when a line of More Info (long enough to be its own) appears in a message."""
    return any(len(line) >= 40 and line in content for line in more_info.split("\n"))
