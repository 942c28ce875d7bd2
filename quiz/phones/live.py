"""A class answered on phones: the server runs, students join, and the class session asks.

`run_phone_class` is the core of `myodeck class --phones`: it draws the pictures, starts
the server, shows the join address and QR code until the instructor starts, then runs
the ordinary class session with the phones as its answer source. The server stops when
the class ends, however it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from quiz.class_session import (
    ClassConsole,
    ClassResults,
    ClassSettings,
    KeyPrompt,
    ResultsFile,
    Scored,
    points_text,
    run_class,
)
from quiz.classroom import LETTERS, ClassQuestion
from quiz.phones.game import PhoneGame, Rules, session_code
from quiz.phones.join import ANY, JoinAddress, join_address, qr_svg, qr_text
from quiz.phones.server import PhoneServer


class PhoneConsole(ClassConsole, Protocol):
    """The projector terminal, taking key presses from the projector page's buttons too."""

    def also_keys_from(self, fd: int) -> None: ...


@dataclass(frozen=True)
class PhoneOptions:
    host: str = ANY
    port: int = 8765  # 0: any free port
    speed: bool = False
    streaks: bool = False


class PhoneAnswers:
    """The class session's answer source when students answer on their phones."""

    def __init__(self, game: PhoneGame, server: PhoneServer, console: ClassConsole) -> None:
        self.game = game
        self.server = server
        self.console = console

    def ask(self, number: int, question: ClassQuestion) -> None:
        self.game.open(number, question)
        self.server.publish()

    def countdown(self, remaining: int | None) -> str:
        if self.game.countdown(remaining):
            self.server.publish()
        return f"{self.game.answered()}/{len(self.game.players)} answered"

    def score(self, number: int, question: ClassQuestion, teams: tuple[str, ...], key: KeyPrompt) -> Scored:
        scored = self.game.reveal()
        self.server.publish()
        # The reveal is drawn before the leaderboard replaces it (no key is waited for here, and a
        # screen's lines not yet drawn would move onto the next one).
        self.console.status("Answers locked")
        return scored

    def scored(self, number: int, results: ClassResults) -> list[str]:
        """How many chose each letter, and the top students, under the teams' leaderboard."""
        question = self.game.question
        assert question is not None
        counts = self.game.histogram()
        bars = "  ".join(f"{LETTERS[i]} {n}{' ✓' if i == question.correct_index else ''}" for i, n in enumerate(counts))
        top = [f"  {place}. {player.name:<24} {points_text(player.score)}" for place, player in self.game.ranking()[:5]]
        return ["", f"Answers: {bars}   ({sum(counts)} of {len(self.game.players)} answered)", "Top students:", *top]

    def finish(self, results: ClassResults) -> None:
        self.game.finish()
        self.server.publish()


def lobby(console: ClassConsole, address: JoinAddress, game: PhoneGame, questions: int, seed: int | None) -> bool:
    """The join screen until the instructor presses Enter (True) or q (False)."""
    console.clear()
    console.write(f"Phone class · {questions} questions · seed {seed}")
    console.write("")
    console.write(f"Students join at  {address.url}")
    if address.warning:
        console.write(address.warning)
    console.write(f"Projector page:   {address.screen_url}")
    for line in qr_text(address.url):
        console.write(f"  {line}")
    while True:
        names = game.names()
        shown = ", ".join(names[-6:]) + (" …" if len(names) > 6 else "")
        console.status(f"{len(names)} joined{': ' + shown if names else ''}   [Enter] start   [q] quit")
        try:
            pressed = console.key_within("\rq", 1.0)
        except (KeyboardInterrupt, EOFError):  # Ctrl-C or a closed terminal: as q, like the class itself
            return False
        if pressed in ("\r", "q"):
            return pressed == "\r"


def run_phone_class(
    questions: Sequence[ClassQuestion],
    settings: ClassSettings,
    options: PhoneOptions,
    console: PhoneConsole,
    clock: Callable[[], float],
    results_path: Path | None,
    date: str,
) -> tuple[ClassResults, ResultsFile]:
    """Serve the class to phones while it runs; returns what was scored and the results file (one row
    per student and question, with `date` and the seed)."""
    if not questions:
        raise MyodeckError("no questions to ask (choose more muscles or kinds)")
    game = PhoneGame(Rules(settings.seconds_per_question, options.speed, options.streaks), settings.teams,
                     len(questions), clock)  # fmt: skip
    results = ResultsFile(results_path, lambda scored: game.results_csv(scored, settings.seed, date))
    code = session_code()
    with PhoneServer(game, code, options.host, options.port) as server:
        address = join_address(options.host, server.port, code, server.screen_key)
        console.also_keys_from(server.key_presses)
        server.join_url, server.qr_svg = address.url, qr_svg(address.url)
        server.pictures = _pictures(questions)
        if not lobby(console, address, game, len(questions), settings.seed):
            return ClassResults(settings.teams), results
        return run_class(questions, settings, console, clock, results, PhoneAnswers(game, server, console)), results


def _pictures(questions: Sequence[ClassQuestion]) -> dict[DiagramSpec, bytes]:
    """Every picture the class shows, drawn (or taken from the cache) before anyone joins."""
    from decks.cache_dir import cache_dir
    from decks.diagrams.batch import DiagramCache, render_many

    specs = list(dict.fromkeys(s for q in questions for s in (q.picture, q.reveal_picture) if s is not None))
    return dict(zip(specs, render_many(specs, DiagramCache(cache_dir("diagrams"))), strict=True))
