"""The read-facts cache: a hit gives what a full read gives, any change is a miss, damage is never an error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from decks import fact_cache
from decks.card_kind import CardHead, CardKind
from decks.cards import derive_cards
from decks.errors import FactsInvalid
from decks.loader import load_facts
from decks.outline import MuscleOutline
from source_facts import bundled_facts_dir


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled leg facts, taken as settled (not changed in the last seconds) though just made."""
    target = tmp_path / "facts"
    shutil.copytree(bundled_facts_dir() / "leg", target)
    monkeypatch.setattr(fact_cache, "_RACY_NS", 0)
    return target


def _no_full_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(directory: Path) -> None:
        raise AssertionError(f"read {directory} again")

    monkeypatch.setattr("decks.loader.load_facts", refuse)


def test_a_hit_gives_what_a_full_read_gives_without_reading(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fact_cache.load(folder, tmp_path / "cache")
    assert list(tmp_path.joinpath("cache").glob("facts-*.pickle"))
    _no_full_read(monkeypatch)
    second = fact_cache.load(folder, tmp_path / "cache")
    assert second == first
    assert list(second.cards) == derive_cards(first.facts)


def test_the_hit_equals_a_fresh_read(folder: Path, tmp_path: Path) -> None:
    fact_cache.load(folder, tmp_path / "cache")
    cached = fact_cache.load(folder, tmp_path / "cache")
    fresh = load_facts(folder)
    assert cached.facts == fresh
    assert list(cached.cards) == derive_cards(fresh)


def test_a_hit_reads_no_fact_file(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A thousand fact files are known by their status on a hit: stat-ed, never read."""
    first = fact_cache.load(folder, tmp_path / "cache")
    real_open = os.open

    def no_fact_file(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert not str(path).endswith(".yaml"), f"read {path}"
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_fact_file)
    hit = fact_cache.load(folder, tmp_path / "cache")
    assert hit.index == first.index


def test_facts_read_right_after_a_change_are_not_stored(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed in the last seconds could change again and keep its times: nothing is stored
    until every source has been still for a few seconds; then the next command stores the facts."""
    monkeypatch.setattr(fact_cache, "_RACY_NS", 5 * 10**9)  # the copies were made just now
    fresh = fact_cache.load(folder, tmp_path / "cache")
    assert not list(tmp_path.glob("cache/facts-*.pickle"))
    later = time.time_ns() + 6 * 10**9
    monkeypatch.setattr(fact_cache.time, "time_ns", lambda: later)  # six seconds on
    assert fact_cache.load(folder, tmp_path / "cache") == fresh
    assert len(list(tmp_path.glob("cache/facts-*.pickle"))) == 1
    _no_full_read(monkeypatch)
    assert fact_cache.load(folder, tmp_path / "cache") == fresh


def test_an_edit_that_puts_size_and_modification_time_back_is_seen(folder: Path, tmp_path: Path) -> None:
    """Its change time moves: no program can set it back."""
    fact_cache.load(folder, tmp_path / "cache")
    path = folder / "soleus.yaml"
    before = path.stat()
    path.write_text(path.read_text().replace("name: Soleus", "name: Soleux"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert "Soleux" in {m.name for m in fact_cache.load(folder, tmp_path / "cache").facts.muscles}


def test_a_new_or_removed_file_is_seen(folder: Path, tmp_path: Path) -> None:
    count = len(fact_cache.load(folder, tmp_path / "cache").facts.muscles)
    (folder / "plantaris.yaml").unlink()
    assert len(fact_cache.load(folder, tmp_path / "cache").facts.muscles) == count - 1
    shutil.copy(bundled_facts_dir() / "leg" / "plantaris.yaml", folder / "plantaris.yaml")
    assert len(fact_cache.load(folder, tmp_path / "cache").facts.muscles) == count


def test_facts_made_invalid_are_reported_not_served_from_the_cache(folder: Path, tmp_path: Path) -> None:
    fact_cache.load(folder, tmp_path / "cache")
    path = folder / "soleus.yaml"
    path.write_text(path.read_text().replace("compartment: posterior-superficial", "compartment: nowhere"))
    with pytest.raises(FactsInvalid) as raised:
        fact_cache.load(folder, tmp_path / "cache")
    assert "soleus.yaml" in str(raised.value)


@pytest.mark.parametrize("damage", [b"", b"myodeck-facts-1:", b"\x80\x04garbage", b"not a cache at all"])
def test_a_damaged_cache_is_a_miss(folder: Path, tmp_path: Path, damage: bytes) -> None:
    fresh = fact_cache.load(folder, tmp_path / "cache")
    [file] = tmp_path.joinpath("cache").glob("facts-*.pickle")
    key = file.read_bytes().split(b"\n", 1)[0] + b"\n"
    file.write_bytes(key + damage if damage.startswith(b"\x80") else damage)
    assert fact_cache.load(folder, tmp_path / "cache") == fresh
    assert fact_cache.load(folder, tmp_path / "cache") == fresh  # and rewritten


def test_an_unwritable_cache_costs_only_speed(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    assert fact_cache.load(folder, blocker).facts == load_facts(folder)
    assert blocker.read_text() == "a file where the cache folder would be"


def _settled(directory: Path) -> None:
    """Wait until no source of `directory`'s facts changed within the cache's racy window (an edited checkout)."""
    while fact_cache._racy(fact_cache._sources(directory) or [], time.time_ns()):
        time.sleep(0.2)


def _cold_then_warm(code: str, tmp_path: Path) -> list[str]:
    """What `code` prints run twice on the bundled facts: with an empty fact cache, then with the one the
    first run stored."""
    _settled(bundled_facts_dir())
    env = {**os.environ, "MYODECK_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True) for _ in "12"]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    return [run.stdout for run in runs]


def test_a_warm_quiz_start_does_not_parse_yaml(tmp_path: Path) -> None:
    """The second run reads the pickle: neither the YAML parser nor the loader is imported, nor hashlib
    (3.5 ms), even to name the deck with a student's contrast cards added (its fingerprint)."""
    code = (
        "import sys; from decks.cli import load_with_cards; from decks.card_kind import CardHead, CardKind\n"
        "loaded = load_with_cards(None)\n"
        "contrast = CardHead('contrast/a-trp1/b-trp1', CardKind.CONTRAST, 'a', 'trp1')\n"
        "deck = loaded.index.with_heads([contrast])\n"
        "assert deck.fingerprint.startswith(loaded.index.fingerprint) and deck.keys[-1] == contrast.key\n"
        "print(len(loaded.cards), sorted({'yaml', 'decks.loader', 'hashlib'} & set(sys.modules)))"
    )
    cold, warm = (output.split(" ", 1) for output in _cold_then_warm(code, tmp_path))
    assert cold == [cold[0], "['decks.loader', 'hashlib', 'yaml']\n"]
    assert warm == [cold[0], "[]\n"]


def test_a_hit_reads_the_index_at_once_and_each_part_only_when_asked(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = fact_cache.load(folder, tmp_path / "cache")
    [file] = tmp_path.joinpath("cache").glob("facts-*.pickle")
    unpickled: list[int] = []
    real_unpickle = fact_cache._unpickle
    monkeypatch.setattr(fact_cache, "_unpickle", lambda data: unpickled.append(len(data)) or real_unpickle(data))
    cached = fact_cache.load(folder, tmp_path / "cache")
    assert not {"facts", "cards", "digests"} & set(vars(cached))  # nothing but the header unpickled yet
    assert len(unpickled) == 1
    assert cached.index == fresh.index
    assert cached.index.keys == tuple(card.key for card in fresh.cards)
    assert cached.index.muscle_names["soleus"] == "Soleus"
    heads = cached.index.heads(range(len(cached.index.keys)))
    assert heads == [card.head for card in fresh.cards]
    assert {type(head) for head in heads} == {CardHead} and {type(head.kind) for head in heads} == {CardKind}
    assert "soleus/trp1/referral" in {head.key for head in heads if head.trigger_point_id == "trp1"}
    # One card is read with its muscle's few others: a small part of the file.
    card = next(card for card in fresh.cards if card.key == "soleus/trp1/referral")
    assert cached.card(card.key) == card
    assert len(unpickled) == 2 and unpickled[1] < file.stat().st_size / 10
    assert cached.card("soleus/innervation") == next(c for c in fresh.cards if c.key == "soleus/innervation")
    assert len(unpickled) == 2  # the same run
    # Every muscle in outline, and one whole with its own part alone.
    roster = cached.roster
    assert len(unpickled) == 2  # nothing read until a muscle is asked for
    assert list(roster.muscles) == [MuscleOutline.of(m) for m in fresh.facts.muscles]
    assert roster.outline("soleus") == MuscleOutline.of(fresh.facts.muscle("soleus"))
    assert len(unpickled) == 3
    assert roster.muscle("soleus") == fresh.facts.muscle("soleus")
    assert len(unpickled) == 4 and unpickled[3] < file.stat().st_size / 10
    # The questions, which `stats` names cards by, are a part of their own: a quiz's start never reads them.
    assert cached.questions == tuple(card.front.split("\n")[0] for card in fresh.cards)
    assert len(unpickled) == 5
    # A muscle read whole by its id needs no outlines: its own part alone.
    unpickled.clear()
    assert fact_cache.load(folder, tmp_path / "cache").roster.muscle("soleus") == fresh.facts.muscle("soleus")
    assert len(unpickled) == 2  # the header, then the muscle
    # A muscle's outline before every muscle's: its own small part; the referral patterns are one more.
    unpickled.clear()
    roster = fact_cache.load(folder, tmp_path / "cache").roster
    assert roster.outline("soleus") == MuscleOutline.of(fresh.facts.muscle("soleus"))
    assert len(unpickled) == 2 and unpickled[1] < file.stat().st_size / 50
    assert roster.referral_patterns == fresh.facts.referral_patterns
    assert len(unpickled) == 3
    assert cached.facts == fresh.facts
    assert "cards" not in vars(cached)
    assert cached.cards == fresh.cards
    assert cached.digests == fresh.digests
    assert cached.card(fresh.cards[-1].key) == fresh.cards[-1]


def test_a_picture_question_from_the_cache_needs_no_whole_muscle(tmp_path: Path) -> None:
    """A referral card's question (its picture, its choices) is made from its muscle's outline and the
    referral patterns: the rest of the fact model (its classes took 6 ms to create) is not loaded."""
    code = (
        "import random, sys; from decks.cli import load_with_cards; from quiz.questions import make_question\n"
        "loaded = load_with_cards(None)\n"
        "question = make_question(loaded.card('soleus/trp1/referral'), loaded.roster, random.Random(1))\n"
        "print(len(question.choices), question.back_picture is not None,"
        " sorted({'decks.model', 'decks.kinesiology'} & set(sys.modules)))"
    )
    assert _cold_then_warm(code, tmp_path)[1] == "4 True []\n"  # the first run read the facts afresh, model and all


@pytest.mark.parametrize(
    ("topic", "screen_end", "shown"),
    [
        ("referral", "d choose", "where is its essential pain zone?"),  # the keys under the choices
        (
            "pain-map",
            "Your answer (names",
            "Name the muscles: those whose essential zone is there",
        ),  # the prompt to type at
    ],
)
def test_a_quiz_first_screen_loads_neither_fsrs_nor_the_other_commands(
    tmp_path: Path, topic: str, screen_end: str, shown: str
) -> None:
    """The first question's screen needs neither the fact model nor the scheduler's FSRS package
    (6 ms to load): fsrs loads when the answer is shown, a typed answer's graders (with fractions
    and decimal, 4 ms) once it is typed. Of the commands, only the quiz's module is loaded (the
    others' options took 2 ms to build)."""
    db = tmp_path / "reviews.sqlite3"
    heavy = {"fsrs", "decks.model", "matplotlib", "numpy", "quiz.grader", "quiz.set_grader", "fractions"}
    code = (
        "import os, sys; from decks.cli import main\n"
        "write = sys.stdout.write\n"
        "def first_screen(text):\n"
        "    write(text)\n"
        f"    if {screen_end!r} in text:  # the screen is whole\n"
        f"        heavy = {heavy!r} & set(sys.modules)\n"
        "        commands = [m for m in sys.modules if m.startswith('decks.commands.')]\n"
        "        write(repr((sorted(heavy), commands)) + '\\n')\n"
        "        sys.stdout.flush(); os._exit(0)\n"
        "sys.stdout.write = first_screen\n"
        f"main(['quiz', '--muscle', 'soleus', '--topic', {topic!r}, '--new', '1', '--db', {str(db)!r}])"
    )
    warm = _cold_then_warm(code, tmp_path)[1]
    assert shown in warm and warm.endswith("([], ['decks.commands.study'])\n"), warm


def test_a_damaged_content_behind_a_sound_index_is_read_afresh(folder: Path, tmp_path: Path) -> None:
    fresh = fact_cache.load(folder, tmp_path / "cache")
    [file] = tmp_path.joinpath("cache").glob("facts-*.pickle")
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2 + len(data) // 4] + b"garbage")  # the index is in the first half
    damaged = fact_cache.load(folder, tmp_path / "cache")
    assert damaged.index == fresh.index
    last = fresh.facts.muscles[-1].id  # the muscles lie before the cards: the last is sound
    assert damaged.roster.muscle(last) == fresh.facts.muscle(last)
    assert damaged.card(fresh.cards[0].key) == fresh.cards[0]  # from the sound start
    assert damaged.card(fresh.cards[-1].key) == fresh.cards[-1]  # from the damaged end: read afresh
    assert damaged.cards == fresh.cards
    assert damaged.digests == fresh.digests


def test_a_cache_replaced_between_index_and_content_is_not_mixed(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The content is read after the index, only when asked for; a cache file rewritten in place
    meanwhile for other sources is not used."""
    fresh = fact_cache.load(folder, tmp_path / "cache")
    cached = fact_cache.load(folder, tmp_path / "cache")
    [file] = tmp_path.joinpath("cache").glob("facts-*.pickle")
    data = file.read_bytes()
    file.write_bytes(data.replace(b"soleus.yaml", b"soleux.yaml", 1))  # another folder's cache, same layout
    reads = []
    monkeypatch.setattr(fact_cache, "_read", lambda directory: reads.append(directory) or fresh.content)
    assert cached.content == fresh.content
    assert reads == [folder]


def test_a_cache_replaced_after_its_index_was_read_still_gives_its_own_content(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache is written to a new file put in place of the old one: a command that read the old
    one's header reads the old one's parts, as they were."""
    fresh = fact_cache.load(folder, tmp_path / "cache")
    cached = fact_cache.load(folder, tmp_path / "cache")
    [file] = tmp_path.joinpath("cache").glob("facts-*.pickle")
    other = tmp_path / "other.pickle"
    other.write_bytes(b"another cache entirely")
    os.replace(other, file)
    _no_full_read(monkeypatch)
    assert cached.card(fresh.cards[-1].key) == fresh.cards[-1]
    assert cached.content == fresh.content
