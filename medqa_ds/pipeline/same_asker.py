"""The second near-duplicate signal: the same asker asking the same doctor again within a week.

A question asked again is not always worded alike: doctorqna's pages are machine translations, and
an asker who re-posts a question the next day gets a translation that shares almost no word
3-grams with the first (MinHash Jaccard 0.05, far below ``neardup.THRESHOLD``), yet it is the same
person's same problem, and a model that saw one in training would be tested on the other. So records
of one source whose asker (name as parsed, before de-identification, with the age bucket and sex
where the source gives them) and first answering doctor are equal, asked within ``WINDOW_DAYS`` of
each other, join one near-duplicate group.

Only a 64-bit hash of that identity and the question's day number are kept per record (in the index
arrays): the name itself is never spilled or published. A record without an asker name, a first
doctor or a question date has no key and never joins by this signal; nor does a name that is the
site's word for "anonymous" (``Niming`` on doctorqna, one asker in six in the devset): the many
people sharing it with a prolific doctor would chain years of questions into one group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _core

WINDOW_DAYS = 7
NO_DAY = _core.ASKER_NO_DAY  # the day of a record without a key (-1)
# Names that say the asker chose not to give one (compared case-folded): not an identity.
ANONYMOUS = frozenset(_core.ASKER_ANONYMOUS)


def key(record: dict[str, Any]) -> tuple[int, int]:
    """(identity hash, question day) of a parsed record; (0, ``NO_DAY``) when it has none."""
    return _core.asker_key(record)  # rust/src/derive/asker.rs


def keys(records: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """The records' identity hashes (uint64) and question days (int32, ``NO_DAY`` without a key)."""
    pairs = [key(r) for r in records]
    return (
        np.array([h for h, _ in pairs], dtype=np.uint64).reshape(len(pairs)),
        np.array([d for _, d in pairs], dtype=np.int32).reshape(len(pairs)),
    )


def pairs(identity: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Row pairs (rows × 2) to join: rows sorted by identity then day, each with the next one when both
    have the identity and are at most ``WINDOW_DAYS`` apart. Joining neighbours gives exactly the groups
    of "within the window of another": a sort, not a comparison of every pair."""
    rows = np.flatnonzero(day != NO_DAY)
    order = rows[np.lexsort((rows, day[rows], identity[rows]))]
    ids, days = identity[order], day[order].astype(np.int64)
    near = np.flatnonzero((ids[1:] == ids[:-1]) & (days[1:] - days[:-1] <= WINDOW_DAYS))
    return np.stack([order[near], order[near + 1]], axis=1).astype(np.int64).reshape(-1, 2)
