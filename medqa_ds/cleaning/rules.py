"""The removal rules, as data: each is one named object saying what it removes, where, and an example.

The rules, their patterns and the loop that applies them are the compiled core's
(``rust/src/cleaning/``); this module describes them to Python (the card's table, the manifest's
counts, the tests). Rules only remove what belongs to the site or the signature, never a sentence
of medical content (``tests/test_cleaning.py`` checks every fixture and devset page for that).
Four kinds:

- ``sentence``: a whole sentence that the pattern matches from start to end is removed;
- ``closing``: the same, but only among the answer's last sentences (a formula that ends it);
- ``tail``: a line that the pattern matches from start to end is removed with every line after it
  (a signature block, and the page's parts below it);
- ``replace``: every match is replaced by ``replacement`` (the site's own placeholders).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import _core

ALL = None  # ``sources`` of a rule that applies to every source


@dataclass(frozen=True)
class Rule:
    """One removal rule. ``example`` is a text holding what it removes; ``expected`` the same text cleaned."""

    name: str
    kind: str  # "sentence", "closing", "tail" or "replace"
    removes: str  # for the card
    sources: tuple[str, ...] | None
    example: str
    expected: str
    replacement: str = ""

    def applies_to(self, source: str) -> bool:
        return self.sources is None or source in self.sources


RULES: tuple[Rule, ...] = tuple(
    Rule(
        name=name,
        kind=kind,
        removes=removes,
        sources=ALL if sources is None else tuple(sources),
        example=example,
        expected=expected,
        replacement=replacement,
    )
    for name, kind, sources, removes, example, expected, replacement in _core.cleaning_rules()
)

# Rules whose removed text is another person's turn, not the answer's: the medical-content check
# does not apply to what they remove.
OTHER_TURN = frozenset(_core.CLEANING_OTHER_TURN)


def by_name(name: str) -> Rule:
    """The rule called ``name``."""
    return next(r for r in RULES if r.name == name)


# The privacy policy's placeholder for a patient (``privacy.PATIENT``, checked by a test; not
# imported: the pipeline package imports the parser, which imports this).
PATIENT = by_name("site_placeholder").replacement
