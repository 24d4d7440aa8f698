"""Detection between every built-in source: each fixture is claimed by its own source only, and a page
two sources claim is a reject naming both."""

from __future__ import annotations

from pathlib import Path

import pytest

import medqa_ds
from medqa_ds import schema, sources
from medqa_ds.text import lines_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILTIN = schema.builtin_source_names()  # the schema is where a source is registered, once
PAGES = sorted((d.name, p) for d in FIXTURES.iterdir() if d.name in BUILTIN for p in d.glob("*.txt"))


def test_the_builtin_sources_are_the_schemas_names_in_its_order():
    assert [s.name for s in sources.builtin()] == BUILTIN
    assert schema.source_names()[: len(BUILTIN)] == BUILTIN
    assert sorted(d.name for d in FIXTURES.iterdir() if d.name in BUILTIN) == sorted(BUILTIN)  # each has fixtures


def test_every_source_module_is_registered_in_the_schema():
    """A module of sources/ defining a Source its schema entry forgot would never be detected."""
    import importlib
    import pkgutil

    defined = set()
    for info in pkgutil.iter_modules(sources.__path__):
        module = importlib.import_module(f"medqa_ds.sources.{info.name}")
        defined |= {
            c.name
            for c in vars(module).values()
            if isinstance(c, type)
            and issubclass(c, sources.Source)
            and c.__module__ == module.__name__
            and isinstance(getattr(c, "name", None), str)
        }
    assert defined == set(BUILTIN)


@pytest.mark.parametrize("owner, path", PAGES, ids=[f"{o}/{p.name}" for o, p in PAGES])
def test_each_fixture_is_claimed_by_its_own_source_only(owner, path):
    lines = lines_of(path.read_text(encoding="utf-8"))
    claims = [s.name for s in sources.builtin() if s.detect(lines)]
    assert claims in ([owner], []), claims
    if not claims:  # a fragment: only its own source recognises it
        assert [s.name for s in sources.builtin() if s.recognises_fragment(lines)] == [owner]
    assert sources.detect(lines).name == owner


def test_a_page_two_sources_claim_is_a_reject_naming_both():
    text = (
        "Knee Pain When Climbing Stairs\nMy knee hurts on the stairs.\nProbably the kneecap\nDetailed Answer:\n"
        "Hello,\nRest it.\nOrthopaedic Surgeon Dr. Lena Morales's  Response\nHello,\nRest it for two weeks."
    )
    with pytest.raises(medqa_ds.ParseError, match=r"^ambiguous page: looks like askadoctor and askadoctor_free$"):
        medqa_ds.parse(text)
