"""How long `myodeck build` takes on the bundled facts, against what genanki alone needs.

    python bench/bench_build.py

Prints figures, asserts nothing. Targets: a cold build (no diagram cache) under
12 s on two cores; a warm build within 1.5x of the floor, the time genanki alone
takes to write the same notes and media, both in one process and as whole processes
(`myodeck build` against a bare Python process that imports genanki and writes them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import genanki

from decks import anki_package, fact_cache
from decks.anki_package import build_package
from decks.cards import derive_cards
from decks.diagrams.batch import DiagramCache
from decks.loader import load_facts
from source_facts import bundled_facts_dir

RUNS = 5

# The whole-process floor: a Python process that imports genanki and writes the same notes and media.
FLOOR_SCRIPT = """
import json, sys
import genanki
spec = json.load(open(sys.argv[1]))
model = genanki.Model(spec["model_id"], spec["model_name"], fields=spec["fields"], templates=spec["templates"],
                      css=spec["css"])
decks = {}
for deck_id, name, notes in spec["decks"]:
    deck = decks[deck_id] = genanki.Deck(deck_id, name)
    for fields, tags, guid in notes:
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags, guid=guid))
genanki.Package(list(decks.values()), spec["media"]).write_to_file(sys.argv[2], timestamp=0)
"""


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    facts = load_facts(bundled_facts_dir())
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        cache = DiagramCache(work / "cache")
        out = work / "myodeck.apkg"

        def build() -> None:  # as `myodeck build` does: facts and cards from the fact cache when unchanged
            loaded = fact_cache.load(bundled_facts_dir(), work / "facts")
            build_package(loaded.facts, out, cache=cache, loaded=loaded)

        cold = best_of(1, build)
        warm = best_of(RUNS, build)

        cards = derive_cards(facts)
        pictures = anki_package._draw_pictures(facts, cards, cache, None)
        media_dir = work / "media"
        media_dir.mkdir()
        for name, png in pictures.values():
            (media_dir / name).write_bytes(png)
        media_files = sorted(str(path) for path in media_dir.iterdir())

        def genanki_alone() -> None:
            decks = anki_package._decks(facts, cards, pictures)
            genanki.Package(decks, media_files).write_to_file(str(work / "genanki.apkg"), timestamp=0)

        floor = best_of(RUNS, genanki_alone)

        model = anki_package.note_type()
        floor_spec = work / "floor.json"
        floor_spec.write_text(
            json.dumps(
                {
                    "model_id": model.model_id,
                    "model_name": model.name,
                    "fields": [{"name": field["name"]} for field in anki_package.FIELDS],
                    "templates": model.templates,
                    "css": model.css,
                    "decks": [
                        [d.deck_id, d.name, [[n.fields, n.tags, n.guid] for n in d.notes]]
                        for d in anki_package._decks(facts, cards, pictures)
                    ],
                    "media": media_files,
                }
            )
        )
        floor_command = [sys.executable, "-c", FLOOR_SCRIPT, str(floor_spec), str(work / "floor.apkg")]
        floor_process = best_of(RUNS, lambda: subprocess.run(floor_command, check=True, capture_output=True))

        command = [sys.executable, "-m", "decks", "build", "-o", str(work / "cli.apkg")]
        env = {**os.environ, "MYODECK_CACHE": str(work / "cli-cache")}
        cli_cold = best_of(1, lambda: subprocess.run(command, env=env, check=True, capture_output=True))
        cli_warm = best_of(RUNS, lambda: subprocess.run(command, env=env, check=True, capture_output=True))

    print(f"bundled facts: {len(facts.muscles)} muscles, {len(cards)} cards, {len(media_files)} pictures")
    print(f"cores: {os.cpu_count()}")
    print(f"cold build (empty diagram cache):  {cold:6.2f} s   (target < 12 s)")
    print(f"warm build (best of {RUNS}):           {warm:6.3f} s")
    print(f"floor: genanki alone (best of {RUNS}): {floor:6.3f} s")
    print(f"warm / floor:                      {warm / floor:6.2f}x  (target <= 1.5x)")
    print(f"`myodeck build` cold, whole process: {cli_cold:6.2f} s")
    print(f"`myodeck build` warm, whole process: {cli_warm:6.2f} s (best of {RUNS})")
    print(f"floor: a process writing them with genanki alone: {floor_process:6.2f} s (best of {RUNS})")
    print(f"warm whole process / floor:        {cli_warm / floor_process:6.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
