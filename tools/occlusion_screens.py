"""Screenshots of Image Occlusion cards as Anki shows them, to look at after changing the pictures.

    python tools/occlusion_screens.py WEB_DIR -o DIR

Anki draws the masks with its reviewer script and style, which only ship with the desktop
app: WEB_DIR is its `_aqt/data/web` folder (in an Anki install, or in the `aqt` wheel:
`pip download --no-deps aqt` and unzip it). The bundled facts' occlusion notes are built, imported into
a fresh collection with the official `anki` package, and two of them (a view's muscles, a
muscle's trigger points) are rendered with `card.question()` and `card.answer()` in headless
Chromium at desktop and phone size, and on a phone in night mode:
`DIR/<note>-<question|answer>-<desktop|phone|phone-night>.png`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from decks.anki_package import build_package, note_guid
from decks.cache_dir import cache_dir
from decks.diagrams.batch import DiagramCache
from decks.loader import load_facts
from source_facts import bundled_facts_dir

CHROMIUM = "/usr/bin/chromium"
NOTES = {
    "view": ("occlusion/posterior/superficial", 7),
    "trigger-points": ("gastrocnemius/occlusion/trigger-points", 2),
}
SCREENS = {  # name: width, height, the classes Anki gives the page
    "desktop": (1000, 900, "card"),
    "phone": (390, 844, "card mobile"),
    "phone-night": (390, 844, "card mobile nightMode night_mode"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("web_dir", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        package = build_package(
            load_facts(bundled_facts_dir()), work / "occlusion.apkg", (), DiagramCache(cache_dir("diagrams")),
            occlusion=True,
        ).path  # fmt: skip
        (work / "student").mkdir()
        col = Collection(str(work / "student" / "collection.anki2"))
        try:
            col.import_anki_package(
                ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
            )
            for media in Path(col.media.dir()).iterdir():
                shutil.copy(media, work)
            shutil.copy(args.web_dir / "js" / "reviewer.js", work)
            shutil.copy(args.web_dir / "css" / "reviewer.css", work)
            for name, (key, number) in NOTES.items():
                nid = col.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid(key))
                card = col.get_card(col.db.scalar("SELECT id FROM cards WHERE nid = ? AND ord = ?", nid, number - 1))
                for side, html in (("question", card.question()), ("answer", card.answer())):
                    for screen, (width, height, classes) in SCREENS.items():
                        page = work / f"{name}-{side}-{screen}.html"
                        page.write_text(
                            '<!doctype html><html><head><meta charset="utf-8">'
                            '<link rel="stylesheet" href="reviewer.css"><script src="reviewer.js"></script></head>'
                            f'<body class="{classes}"><div id="qa">{html}</div></body></html>'
                        )
                        shot = args.output / f"{name}-{side}-{screen}.png"
                        subprocess.run(
                            [
                                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                f"--window-size={width},{height}", "--virtual-time-budget=4000",
                                f"--screenshot={shot.absolute()}", page.as_uri(),
                            ],
                            check=True, capture_output=True,
                        )  # fmt: skip
                        print(shot)
        finally:
            col.close()


if __name__ == "__main__":
    main()
