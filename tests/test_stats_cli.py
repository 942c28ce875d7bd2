"""`myodeck stats`: figures from a review history made by real quiz answers."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pexpect
from click.testing import CliRunner
from conftest import in_brief
from PIL import Image

from decks.cards import CardKind, derive_cards
from decks.cli import main
from decks.loader import load_facts
from quiz.scheduler import ReviewScheduler
from quiz.session import Quit, run_quiz
from quiz.stats import RETENTION_MEANING
from quiz.store import ReviewStore

START = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


class SelfRatingConsole:
    """Shows every answer and rates every card the same, then quits after `ratings` answers.

    Always Again would never end the session: a card being relearnt comes back.
    """

    def __init__(self, rating: str, ratings: int = 3) -> None:
        self.rating = rating
        self.left = ratings

    def write(self, text: object = "") -> None:
        pass

    clear = picture = write

    def retract(self) -> None:
        pass

    def key(self, allowed: str) -> str:
        if self.rating not in allowed:
            return " "
        if self.left == 0:
            raise Quit
        self.left -= 1
        return self.rating

    def line(self, prompt: str) -> str:
        raise AssertionError("only self-rated cards here")


def make_history(db: Path) -> None:
    """Three days of answers: soleus attachments always Again, gastrocnemius always Good."""
    from source_facts import bundled_facts_dir

    facts = load_facts(bundled_facts_dir())
    cards = derive_cards(facts)
    for day in range(3):
        now = START + dt.timedelta(days=day)
        for muscle, key in (("soleus", "1"), ("gastrocnemius", "3")):
            console = SelfRatingConsole(key)
            with ReviewStore(db) as store:
                run_quiz(
                    facts, *in_brief(cards), store, ReviewScheduler(), console, lambda now=now: now, random.Random(1),
                    muscles=(muscle,), kinds=(CardKind.ATTACHMENTS,), new=3,
                )  # fmt: skip


def test_stats_text_json_and_plot(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "reviews.sqlite3"
    make_history(db)
    monkeypatch.setenv("MYODECK_NOW", (START + dt.timedelta(days=3)).isoformat())
    runner = CliRunner()
    text = runner.invoke(main, ["stats", "--db", str(db)])
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[0].startswith("Due now: ")
    assert "Weakest muscles: Soleus (9/9 again)" in text.output
    assert "true retention: the share of cards due for review that you remembered" in text.output
    data = json.loads(runner.invoke(main, ["stats", "--db", str(db), "--json"]).output)
    with sqlite3.connect(db) as connection:
        assert data["reviews_30d"] == connection.execute("SELECT COUNT(*) FROM review_log").fetchone()[0] > 10
    assert data["weakest_muscles"][0] == {"id": "soleus", "name": "Soleus", "answers": 9, "again": 9}
    assert data["weakest_kinds"][0]["id"] == "attachments"
    assert len(data["forecast"]) == 30 and set(data["forecast"][0]) == {"day", "due"}
    assert len(data["daily_retention"]) == 30 and set(data["daily_retention"][0]) == {"day", "answers", "remembered"}
    assert data["leeches"] == [] and data["flagged"] == []
    plot = tmp_path / "forecast.png"
    result = runner.invoke(main, ["stats", "--db", str(db), "--plot", str(plot)])
    assert result.exit_code == 0 and plot.exists()
    with Image.open(plot) as image:
        assert image.size[0] > 300


def test_stats_wraps_its_lines_to_the_terminal_and_leaves_them_whole_in_a_pipe(tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite3"
    make_history(db)
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    env = {**os.environ, "MYODECK_NOW": (START + dt.timedelta(days=3)).isoformat(), "NO_COLOR": "1"}
    child = pexpect.spawn(exe, ["stats", "--db", str(db)], env=env, encoding="utf-8", timeout=60, dimensions=(24, 60))
    child.expect(pexpect.EOF)
    shown = child.before.replace("\r\n", "\n").rstrip("\n").split("\n")
    assert max(len(line) for line in shown) <= 60, shown
    at = shown.index("  (true retention: the share of cards due for review that")  # broken between words
    assert shown[at + 1] == "  you remembered; learning steps not counted)"
    piped = subprocess.run([exe, "stats", "--db", str(db)], env=env, capture_output=True, text=True, check=True)
    assert f"  (true retention: {RETENTION_MEANING})" in piped.stdout.splitlines()


def test_stats_on_an_empty_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "new.sqlite3")])
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        "Due now: 0   by end of today: 0   next 7 days: 0",
        "Last 30 days: 0 answers, true retention —",
    ]


def test_stats_reads_only_the_deck_index(tmp_path: Path, monkeypatch) -> None:
    """A thousand muscles' cards take most of a second to unpickle; stats needs only the index."""
    from decks.cli import load_with_cards
    from quiz.stats import collect_stats

    db = tmp_path / "reviews.sqlite3"
    make_history(db)
    monkeypatch.setenv("MYODECK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("decks.fact_cache._RACY_NS", 0)  # stored even if the checkout changed seconds ago
    whole = load_with_cards(None)  # writes the cache
    loaded = load_with_cards(None)  # reads it
    soleus = next(card for card in whole.cards if card.muscle_id == "soleus" and card.kind is CardKind.REFERRAL)
    with ReviewStore(db) as store:
        store.flag_card(soleus.key, START, "zone looks wrong")
    with ReviewStore(db, read_only=True) as store:
        figures = collect_stats(store, loaded.index, loaded.questions, START + dt.timedelta(days=3), dt.UTC)
    assert "content" not in vars(loaded)
    assert figures.weakest_muscles[0].name == "Soleus"
    [flagged] = figures.flagged
    assert (flagged.card.card_key, flagged.card.muscle) == (soleus.key, "Soleus")
    assert flagged.card.question == soleus.front.split("\n")[0]


def test_stats_loads_neither_the_fact_classes_nor_the_scheduler(tmp_path: Path) -> None:
    """`stats` reads the deck's index and counts in SQL: no fact, card or FSRS class is needed to do it
    (once the fact cache is stored: the first run reads the facts)."""
    from test_fact_cache import _settled

    from source_facts import bundled_facts_dir

    db = tmp_path / "reviews.sqlite3"
    make_history(db)
    _settled(bundled_facts_dir())
    code = (
        "import sys; from decks.cli import main\n"
        f"try: main(['stats', '--json', '--db', {str(db)!r}])\n"
        "except SystemExit as done: assert not done.code, done.code\n"
        "print(sorted({'fsrs', 'quiz.scheduler', 'decks.model', 'decks.cards'} & set(sys.modules)))"
    )
    env = {**os.environ, "MYODECK_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True) for _ in "12"]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert runs[1].stdout.splitlines()[-1] == "[]"


def test_the_text_lists_the_leeches_with_most_lapses_and_counts_the_rest(tmp_path: Path) -> None:
    """Hundreds of leeches would push everything else off the screen; `--json` keeps every one."""
    from quiz.stats import LEECHES_SHOWN, CardNote, Leech, Stats

    leeches = tuple(Leech(CardNote(f"soleus/card-{n}", "Soleus", "origin"), 30 - n) for n in range(25))
    figures = Stats(0, 0, 0, 0, None, (), (), leeches, (), (), ())
    text = figures.lines()
    listed = [line for line in text if line.startswith("  Soleus")]
    assert len(listed) == LEECHES_SHOWN == 20
    assert listed[0].endswith("· 30 lapses") and listed[-1].endswith("· 11 lapses")
    assert text[-1] == "  … and 5 more (`myodeck stats --json` lists them all)"
    assert len(figures.to_dict()["leeches"]) == 25
    assert figures.to_dict()["leeches"][0] == {
        "card": {"card_key": "soleus/card-0", "muscle": "Soleus", "question": "origin"},
        "lapses": 30,
    }


def test_the_json_text_puts_each_list_item_on_a_line_and_reads_back_as_the_figures() -> None:
    from quiz.stats import RETENTION_MEANING, CardNote, DueDay, Flagged, Leech, Stats

    leeches = tuple(Leech(CardNote(f"soleus/card-{n}", "Soleus", "origin “é”"), 30 - n) for n in range(3))
    flag = Flagged(CardNote("soleus/card-0", "Soleus", "origin"), dt.datetime(2026, 1, 2, tzinfo=dt.UTC), "typo")
    figures = Stats(1, 2, 3, 4, 0.5, (), (), leeches, (flag,), (DueDay(dt.date(2026, 1, 2), 7),), ())
    text = figures.json_text()
    assert json.loads(text) == figures.to_dict()
    lines = text.splitlines()
    assert lines[:3] == ["{", f'  "retention_meaning": {json.dumps(RETENTION_MEANING)},', '  "due_now": 1,']
    assert '  "weakest_muscles": [],' in lines
    start = lines.index('  "leeches": [')
    assert lines[start + 1] == (
        '    {"card": {"card_key": "soleus/card-0", "muscle": "Soleus", "question": "origin “é”"}, "lapses": 30},'
    )
    assert lines[start + 4] == "  ],"
    assert lines[-1] == "}"


def test_the_one_line_encoder_writes_what_the_json_module_writes() -> None:
    """It calls the json module's C encoder as `JSONEncoder` does, made once instead of once per item."""
    from quiz.stats import _one_line_encoder

    value = {"card": {"card_key": "soleus/trp1", "muscle": "Sóleus “x”\n\t\\"}, "lapses": 4, "share": 0.5, "none": None}
    documented = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    assert _one_line_encoder()(value) == documented(value)
    assert _one_line_encoder()([value, [1, True, "é"]]) == documented([value, [1, True, "é"]])
