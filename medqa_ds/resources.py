"""Files that ship beside the code: the schema and the dataset card's prose.

In a checkout they live at the top of the repository (``schema/``, ``DATASET_CARD.md``) and
``medqa_ds/_resources`` holds links to them, which maturin follows into the wheel (pyproject.toml):
an installed wheel carries copies there.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def resource(name: str) -> Path:
    """The path of a top-level resource, from the wheel's copy or else the checkout."""
    packaged = _HERE / "_resources" / name
    return packaged if packaged.exists() else _HERE.parent / name
