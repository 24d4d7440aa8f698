"""Build step: the ``prompt_completion`` config, TRL's prompt-completion format, from the chat rows.

A row is ``{"id", "source", "prompt": [messages up to the last user turn], "completion": [the last
assistant turn]}``: the same conversation as the record's ``chat`` row, cut before its last answer,
so both configs have the same ids in the same splits. A trainer then learns only the completion.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pyarrow as pa

from . import chat

CONFIG = "prompt_completion"
FOLDER = "prompt_completion"

DESCRIPTIONS = {
    "prompt": "The conversation up to and including its last user turn (user first, alternating).",
    "prompt[].role": "'user' (the patient) or 'assistant' (the doctor).",
    "prompt[].content": "The turn's text, as in the chat config.",
    "completion": "The last assistant turn, as a list of one message.",
    "completion[].role": "Always 'assistant'.",
    "completion[].content": "The doctor's last whole answer (its clean text).",
}


def field_docs() -> dict[str, tuple[str, str]]:
    """Every field of a row with its JSON type and description (``id``/``source`` as the chat rows)."""
    docs = chat.field_docs()
    out = {"id": docs["id"], "source": docs["source"]}
    out.update({k: ("array" if "." not in k else "string", v) for k, v in DESCRIPTIONS.items()})
    return out


@cache
def features():  # -> datasets.Features
    """The ``datasets.Features`` of a row: ``id``/``source`` as the chat rows, then prompt and completion."""
    from datasets import Features

    rows = chat.arrow_schema()
    messages = rows.field("messages").type
    return Features.from_arrow_schema(
        pa.schema(
            [rows.field("id"), rows.field("source"), pa.field("prompt", messages), pa.field("completion", messages)]
        )
    )


@cache
def arrow_schema() -> pa.Schema:
    """The Arrow schema prompt-completion shards are written with."""
    return features().arrow_schema


def row(chat_row: dict[str, Any]) -> dict[str, Any]:
    """The prompt-completion row of one chat row."""
    msgs = chat_row["messages"]
    return {"id": chat_row["id"], "source": chat_row["source"], "prompt": msgs[:-1], "completion": msgs[-1:]}


def table(chat_table: pa.Table) -> pa.Table:
    """The prompt-completion rows of a table of chat rows (rows without messages stay empty)."""
    rows = [
        row(r) if r["messages"] else {"id": r["id"], "source": r["source"], "prompt": None, "completion": None}
        for r in chat_table.to_pylist()
    ]
    return pa.Table.from_pylist(rows, schema=arrow_schema())


def problems(pc_row: dict[str, Any], chat_row: dict[str, Any] | None = None) -> list[str]:
    """Every way a row breaks the format: the prompt ends with a user turn, the completion is one
    assistant message, and together they are a valid chat row (the chat row itself, when given)."""
    prompt, completion = pc_row.get("prompt") or [], pc_row.get("completion") or []
    found = []
    if len(completion) != 1 or completion[0].get("role") != "assistant":
        found.append("completion is not one assistant message")
    if not prompt or prompt[-1].get("role") != "user":
        found.append("prompt does not end with a user turn")
    found += chat.problems({"id": pc_row.get("id"), "source": pc_row.get("source"), "messages": prompt + completion})
    if chat_row is not None and chat_row.get("messages") != prompt + completion:
        found.append("prompt + completion differ from the chat row")
    return found
