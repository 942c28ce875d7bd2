"""Whatever a fact file holds, the loader answers with facts or with clean, one-line errors: never another exception."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_loader_errors import VALID

from decks.cards import derive_cards
from decks.errors import FactsInvalid, unprintable
from decks.loader import load_facts
from source_facts import bundled_facts_dir

BUNDLED = sorted(bundled_facts_dir().rglob("*.yaml"))
# Characters that change what YAML means, and some that YAML or a card cannot hold.
YAML_PIECES = st.sampled_from(
    ["&a ", "*a", "!!int ", "!!float ", "!!str ", "!!python/none ", "<<: ", ": ", "- ", "[", "]", "{", "}", ",",
     "#", "'", '"', "|", ">", "\n", "\n  ", "\t", "%YAML 1.1\n", "---\n", "...\n", "?", "@", "`", "\\", "\\e",
     "\\ud800", "\x1b", "\x00", "\x85", "\u2028", "\ufeff", "$x$", ".inf", ".nan", "0x1", "0b1", "1:0", "1__0.5",
     "~", "null", "yes", "2026-02-30", "é", "😀", "x" * 90]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["trp1", "leg", "anterior", "heel-back", "L4", "ts", "Demo", "demo"]),
    st.sampled_from([float("inf"), float("nan"), -0.0, 10**30, "\x1b[2J", "\ud800", "$x$", "Compression", "x" * 100]),
)
KEYS = st.sampled_from(
    ["id", "name", "group", "compartment", "updated", "attachments", "origin", "insertion", "actions", "innervation",
     "nerve", "roots", "trigger_points", "position", "region", "across", "down", "view", "referral", "essential",
     "spillover", "sources", "citation", "treatment", "technique", "notes", "medial head", "Medial Head"]
)  # fmt: skip
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=25,
)


def _assert_clean(text: str | bytes) -> None:
    """Load one file as `demo.yaml`: facts (whose cards can be made) or FactsInvalid with one-line messages."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        try:
            facts = load_facts(Path(folder))
        except FactsInvalid as invalid:
            assert invalid.errors
            for error in invalid.errors:
                line = str(error)
                assert line.startswith(str(path)) and not unprintable().search(line), line
        else:
            derive_cards(facts)


SETTINGS = settings(
    max_examples=200, deadline=1000, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    """Where a value stands in a document: every key of every mapping and every item of every list."""
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in [(*path, key), *_paths(value, (*path, key))]]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in [(*path, index), *_paths(value, (*path, index))]]
    return []


PATHS = _paths(yaml.safe_load(VALID))


@SETTINGS
@given(structure=STRUCTURES, where=st.sampled_from(PATHS))
def test_random_structures_in_a_valid_file(structure: object, where: tuple) -> None:
    """One value of a valid muscle, at any depth, replaced by any YAML structure."""
    document = yaml.safe_load(VALID)
    parent = document
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = structure
    _assert_clean(yaml.safe_dump(document, allow_unicode=True))


@SETTINGS
@given(structure=STRUCTURES)
def test_random_documents(structure: object) -> None:
    _assert_clean(yaml.safe_dump(structure, allow_unicode=True))


@SETTINGS
@given(
    source=st.sampled_from(BUNDLED),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 40), st.lists(YAML_PIECES, max_size=3).map("".join)),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_real_files(source: Path, edits: list[tuple[float, int, str]]) -> None:
    """A bundled file with a few spans cut out or replaced by YAML's special characters."""
    text = source.read_text().replace(f"id: {source.stem}\n", "id: demo\n")
    for at, cut, insert in edits:
        start = int(at * len(text))
        text = text[:start] + insert + text[start + cut :]
    _assert_clean(text)


@SETTINGS
@given(data=st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    _assert_clean(data)


def _same_tree(ours: yaml.Node, theirs: yaml.Node) -> bool:
    if (type(ours), ours.tag, ours.start_mark.line) != (type(theirs), theirs.tag, theirs.start_mark.line):
        return False
    if isinstance(ours, yaml.ScalarNode):
        return ours.value == theirs.value
    if isinstance(ours, yaml.MappingNode):
        pairs = list(zip(ours.value, theirs.value, strict=False))
        return len(ours.value) == len(theirs.value) and all(
            _same_tree(k1, k2) and _same_tree(v1, v2) for (k1, v1), (k2, v2) in pairs
        )
    return len(ours.value) == len(theirs.value) and all(map(_same_tree, ours.value, theirs.value))


def test_the_event_composer_builds_what_pyyaml_composes() -> None:
    """Same nodes, tags and lines as `yaml.compose` on every bundled file, with either parser."""
    from decks.loader import _compose_events

    for path in BUNDLED:
        text = path.read_text()
        for loader in {getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader}:
            assert _same_tree(_compose_events(text, loader), yaml.compose(text, Loader=yaml.SafeLoader)), path
