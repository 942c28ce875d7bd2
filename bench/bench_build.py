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
import statistics
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
from decks.occlusion import occlusion_notes
from source_facts import bundled_facts_dir

RUNS = 5
PROCESS_PAIRS = 11
_SETTLE_SECONDS = 6

# The whole-process floor: a Python process that imports genanki and writes the same notes and media.
FLOOR_SCRIPT = """
import json, sys
import genanki
spec = json.load(open(sys.argv[1]))
models = {
    m["model_id"]: genanki.Model(m["model_id"], m["model_name"], fields=m["fields"], templates=m["templates"],
                                 css=m["css"], model_type=m["model_type"])
    for m in spec["models"]
}
decks = {}
for deck_id, name, notes in spec["decks"]:
    deck = decks[deck_id] = genanki.Deck(deck_id, name)
    for model_id, fields, tags, guid in notes:
        deck.add_note(genanki.Note(model=models[model_id], fields=fields, tags=tags, guid=guid))
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
            build_package(loaded.facts, out, cache=cache, loaded=loaded, occlusion=True)

        cold = best_of(1, build)
        warm = best_of(RUNS, build)

        cards = derive_cards(facts)
        notes = occlusion_notes(facts)
        pictures, occlusion_pictures = anki_package._draw_pictures(facts, cards, [n.spec for n in notes], cache, None)
        occlusions = list(zip(notes, occlusion_pictures, strict=True))
        media_dir = work / "media"
        media_dir.mkdir()
        for name, png in [*pictures.values(), *occlusion_pictures]:
            (media_dir / name).write_bytes(png)
        media_files = sorted(str(path) for path in media_dir.iterdir())

        def genanki_alone() -> None:
            decks = anki_package._decks(facts, cards, pictures, occlusions)
            genanki.Package(decks, media_files).write_to_file(str(work / "genanki.apkg"), timestamp=0)

        floor = best_of(RUNS, genanki_alone)

        models = [anki_package.note_type(), anki_package.image_occlusion_note_type()]
        floor_spec = work / "floor.json"
        floor_spec.write_text(
            json.dumps(
                {
                    "models": [
                        {
                            "model_id": model.model_id,
                            "model_name": model.name,
                            "fields": [{"name": field["name"]} for field in model.fields],
                            "templates": model.templates,
                            "css": model.css,
                            "model_type": model.model_type,
                        }
                        for model in models
                    ],
                    "decks": [
                        [d.deck_id, d.name, [[n.model.model_id, n.fields, n.tags, n.guid] for n in d.notes]]
                        for d in anki_package._decks(facts, cards, pictures, occlusions)
                    ],
                    "media": media_files,
                }
            )
        )
        floor_command = [sys.executable, "-c", FLOOR_SCRIPT, str(floor_spec), str(work / "floor.apkg")]
        command = [sys.executable, "-m", "decks", "build", "-o", str(work / "cli.apkg")]
        # Bytecode cached as on a user's machine (this workplace sets PYTHONDONTWRITEBYTECODE).
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "MYODECK_CACHE")}
        # The user cache folder moved here, and found as a user's is (by the XDG rule).
        env.update(HOME=str(work / "home"), XDG_CACHE_HOME=str(work / "cli-cache"))
        cli_cold = best_of(1, lambda: subprocess.run(command, env=env, check=True, capture_output=True))
        time.sleep(_SETTLE_SECONDS)  # the fact cache is stored only once myodeck's files are 5 s old
        for warm_up in (command, floor_command):
            subprocess.run(warm_up, env=env, check=True, capture_output=True)
        # Alternated, so a machine whose speed drifts slows both alike.
        cli_warm, floor_process = [], []
        for _ in range(PROCESS_PAIRS):
            cli_warm.append(best_of(1, lambda: subprocess.run(command, env=env, check=True, capture_output=True)))
            floor_process.append(
                best_of(1, lambda: subprocess.run(floor_command, env=env, check=True, capture_output=True))
            )

    print(
        f"bundled facts: {len(facts.muscles)} muscles, {len(cards)} cards and {len(notes)} occlusion notes, "
        f"{len(media_files)} pictures"
    )
    print(f"cores: {os.cpu_count()}")
    print(f"cold build (empty diagram cache):  {cold:6.2f} s   (target < 12 s)")
    print(f"warm build (best of {RUNS}):           {warm:6.3f} s")
    print(f"floor: genanki alone (best of {RUNS}): {floor:6.3f} s")
    print(f"warm / floor:                      {warm / floor:6.2f}x  (target <= 1.5x)")
    print(f"`myodeck build` cold, whole process: {cli_cold:6.2f} s")
    warm_best, warm_median = min(cli_warm), statistics.median(cli_warm)
    floor_best, floor_median = min(floor_process), statistics.median(floor_process)
    print(f"`myodeck build` warm, whole process: best {warm_best:5.3f} s, median {warm_median:5.3f} s")
    print(f"floor: a process writing them with genanki alone: best {floor_best:5.3f} s, median {floor_median:5.3f} s")
    print(f"  ({PROCESS_PAIRS} runs of each, alternated)")
    print(
        f"warm whole process / floor:        {warm_best / floor_best:6.2f}x best, "
        f"{warm_median / floor_median:4.2f}x median  (target <= 1.5x)"
    )


if __name__ == "__main__":
    main()
