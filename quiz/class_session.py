"""`myodeck class`: a live multiple-choice quiz on a projector, scored by team.

A state machine over the seeded `class_questions` list: show a question with a
countdown, reveal the answer, score it from an answer source (the instructor's
quick keys for which teams were right, or the students' phones), show the
leaderboard. Pause, skip, back and quit work at every key
prompt. The results file is rewritten (atomically) after every question, so
quitting, or a closed terminal, never loses what was scored; a save that fails is
shown on the screen and tried again after the next question and at the end.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from decks.words import counted
from quiz.classroom import LETTERS, ClassQuestion
from quiz.colors import ColorMode
from quiz.interrupts import interrupts_deferred

_BOLD, _GREEN, _DIM, _RESET = "\x1b[1m", "\x1b[1;32m", "\x1b[2m", "\x1b[0m"


class ClassConsole(Protocol):
    """The projector terminal: whole screens fitted to it, single keys, and keys that may time out."""

    color_mode: ColorMode

    def clear(self) -> None:
        """Start a new screen."""
        ...

    def write(self, text: str = "") -> None: ...

    def picture(self, spec: DiagramSpec) -> None:
        """Show a diagram on this screen (in place of one shown before on it)."""
        ...

    def status(self, text: str) -> None:
        """Show `text` on the screen's bottom line (the countdown, the keys), replacing what was there."""
        ...

    def key(self, allowed: str) -> str: ...

    def key_within(self, allowed: str, seconds: float | None) -> str | None:
        """A key among `allowed`, or None when `seconds` pass first."""
        ...

    def line(self, prompt: str) -> str:
        """A line typed by the instructor (a team's regions in a "paint it" question)."""
        ...


class Outcome(Enum):
    CORRECT = "correct"
    WRONG = "wrong"
    SKIPPED = "skipped"


@dataclass
class Scored:
    """What happened to one question: per team, right or wrong (or skipped), and the time used.

    `points` per team where answers earn more than one point for right (phones: speed, streaks,
    a team's mean); None: one point for each CORRECT.
    """

    question: ClassQuestion
    outcomes: dict[str, Outcome]
    seconds: float
    points: dict[str, float] | None = None

    def team_points(self, team: str) -> float:
        if self.points is not None:
            return self.points[team]
        return int(self.outcomes[team] is Outcome.CORRECT)


@dataclass
class ClassResults:
    teams: tuple[str, ...]
    scored: dict[int, Scored] = field(default_factory=dict)

    def scores(self) -> dict[str, float]:
        return {team: sum(s.team_points(team) for s in self.scored.values()) for team in self.teams}

    def leaderboard(self) -> list[tuple[str, float]]:
        scores = self.scores()
        return sorted(scores.items(), key=lambda item: (-item[1], self.teams.index(item[0])))

    def places(self) -> list[tuple[int, str, float]]:
        """(place, team, score), best first; tied teams share a place (1, 1, 3)."""
        board = self.leaderboard()
        return [(1 + sum(other > score for _, other in board), team, score) for team, score in board]

    @property
    def asked(self) -> int:
        """Questions scored, not skipped: what the final screen and the CSV's totals count."""
        return sum(any(o is not Outcome.SKIPPED for o in s.outcomes.values()) for s in self.scored.values())

    def to_csv(self) -> str:
        """One row per team and question, then one total row per team."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["number", "question_key", "kind", "prompt", "correct_answer", "team", "result", "seconds"])
        for number in sorted(self.scored):
            scored = self.scored[number]
            q = scored.question
            for team in self.teams:
                answer = f"{q.correct_letter}) {q.correct}" if q.choices else q.correct
                result = scored.outcomes[team].value
                writer.writerow([number, q.key, q.kind.value, q.prompt, answer, team, result, f"{scored.seconds:.1f}"])
        for team, score in self.leaderboard():  # "3 of 8", which no spreadsheet reads as a date
            writer.writerow(["", "TOTAL", "", "", "", team, f"{points_text(score)} of {self.asked}", ""])
        return buffer.getvalue()


class _Stop(Exception):
    """The instructor quit."""


def points_text(points: float) -> str:
    """A score as shown: 3, 2.75 (a team's mean or time-weighted points), never 2.7499999."""
    return f"{round(points, 2):g}"


KeyPrompt = Callable[[str, str], str]  # (allowed keys, hint) -> the key pressed; q quits


class AnswerSource(Protocol):
    """Where a question's answers come from: the instructor's keys, or the students' phones."""

    def ask(self, number: int, question: ClassQuestion) -> None:
        """The question is on the screen: answers open."""
        ...

    def countdown(self, remaining: int | None) -> str:
        """Seconds left (None: paused); returns a note for the countdown line ("12 of 30 answered")."""
        ...

    def score(self, number: int, question: ClassQuestion, teams: tuple[str, ...], key: KeyPrompt) -> Scored:
        """Answers locked and the answer revealed: what each team scored (seconds filled in by the session)."""
        ...

    def scored(self, number: int, results: ClassResults) -> list[str]:
        """The leaderboard is up; returns lines to show under it."""
        ...

    def finish(self, results: ClassResults) -> None: ...


class InstructorKeys:
    """The instructor keys in which teams were right: number keys toggle a team, Enter confirms; for a
    "paint it" question, types each team's called-out regions."""

    def __init__(self, console: ClassConsole) -> None:
        self.console = console

    def ask(self, number: int, question: ClassQuestion) -> None:
        pass

    def countdown(self, remaining: int | None) -> str:
        return ""

    def score(self, number: int, question: ClassQuestion, teams: tuple[str, ...], key: KeyPrompt) -> Scored:
        if question.paint is not None:
            return Scored(question, self._paintings(question, teams, key), 0.0)
        right: set[str] = set()
        keys = "".join(str(i) for i in range(1, len(teams) + 1))
        while True:
            marks = "   ".join(f"[{i}] {'✓' if t in right else '·'} {t}" for i, t in enumerate(teams, 1))
            pressed = key(keys + "\r", f"Who got it right?  {marks}   [Enter] done")
            if pressed == "\r":
                return Scored(question, {t: Outcome.CORRECT if t in right else Outcome.WRONG for t in teams}, 0.0)
            right ^= {teams[int(pressed) - 1]}

    def _paintings(self, question: ClassQuestion, teams: tuple[str, ...], key: KeyPrompt) -> dict[str, Outcome]:
        """Each team's called-out regions, typed by the instructor, graded as `myodeck quiz --paint`
        grades them: the whole essential zone and nothing outside it is right."""
        from quiz.paint import grade_painting, read_painting
        from quiz.scheduler import Rating

        assert question.paint is not None
        outcomes = {}
        for team in teams:
            painting = read_painting(self.console.line(f"{team}'s regions (commas between; Enter alone: none): "))
            result = grade_painting(painting.regions, question.paint)
            unknown = f" (not understood: {', '.join(painting.unknown)})" if painting.unknown else ""
            self.console.write(f"  {team}: {result.lines()[-1]}{unknown}")
            outcomes[team] = Outcome.CORRECT if result.rating is Rating.Good else Outcome.WRONG
        key("\r", "[Enter] leaderboard   [q] quit")  # every team's score stays up until then
        return outcomes

    def scored(self, number: int, results: ClassResults) -> list[str]:
        return []

    def finish(self, results: ClassResults) -> None:
        pass


@dataclass(frozen=True)
class ClassSettings:
    seconds_per_question: int = 30
    teams: tuple[str, ...] = ("Class",)
    seed: int | None = None  # shown on every screen, so the quiz can be repeated or printed from the start


class ResultsFile:
    """The results CSV, rewritten after every question; knows how much of the class it holds.

    `render` makes the file's text (the phone class writes one row per student instead of per
    team). `save` never raises for a file it cannot write: it returns the reason, and the
    session shows it and tries again after the next question.
    """

    def __init__(self, path: Path | None, render: Callable[[ClassResults], str] = ClassResults.to_csv) -> None:
        self.path = path
        self.render = render
        self.saved: int | None = None  # questions in the file as last written; None: never written
        self.error: str | None = None  # why the latest save failed; None once one succeeds
        self._written: str | None = None

    def save(self, results: ClassResults) -> str | None:
        if self.path is None:
            return None
        from decks.atomic import OutputError, write_atomically

        text = self.render(results)
        with interrupts_deferred():  # written and noted together: never reported unless written
            try:
                write_atomically(self.path, text.encode(), durable=True)
            except OutputError as error:
                self.error = str(error)
                return self.error
            self.saved, self.error, self._written = len(results.scored), None, text
        return None

    def report(self, results: ClassResults) -> str | None:
        """The last line about the file: what it holds, never more. Raises MyodeckError when the
        scored questions could not be saved."""
        if self.path is None:
            return None
        if self.error is not None:
            raise MyodeckError(f"results of {counted(len(results.scored), 'question')} not saved: {self.error}")
        if self.saved is None:
            return f"No question was scored, so {self.path} was not written"
        return f"Results of {counted(self.saved, 'question')} written to {self.path}"

    def behind(self, results: ClassResults) -> bool:
        """True when something was scored that the file does not hold (a failed or interrupted save)."""
        return self.path is not None and bool(results.scored) and self.render(results) != self._written


class ClassSession:
    def __init__(
        self,
        questions: Sequence[ClassQuestion],
        settings: ClassSettings,
        console: ClassConsole,
        clock: Callable[[], float],
        save: Callable[[ClassResults], str | None],
        answers: AnswerSource | None = None,
    ) -> None:
        self.questions = questions
        self.settings = settings
        self.console = console
        self.clock = clock
        self.save = save
        self.answers = answers if answers is not None else InstructorKeys(console)
        self.results = ClassResults(settings.teams)

    def run(self) -> ClassResults:
        """Ask the questions in order; back goes one question back, quit ends with what was scored."""
        number = 1
        try:
            while number <= len(self.questions):
                step = self._question(number)
                number = max(1, number + step)
        except (_Stop, KeyboardInterrupt, EOFError):
            pass
        self.answers.finish(self.results)
        self._final_screen()
        return self.results

    # -- one question ----------------------------------------------------------------------

    def _question(self, number: int) -> int:
        """Ask question `number`; return +1 to go on, -1 to go back, 0 to ask it again."""
        question = self.questions[number - 1]
        self._screen(number, question)
        self.answers.ask(number, question)
        action, seconds = self._countdown()
        if action == "b":
            return -1
        if action == "s":
            if number not in self.results.scored:  # skipping a question scored before keeps its scores
                skipped = dict.fromkeys(self.settings.teams, Outcome.SKIPPED)
                self.results.scored[number] = Scored(question, skipped, seconds)
                self._save()
            return +1
        self._reveal(number, question)
        scored = self.answers.score(number, question, self.settings.teams, self._key)
        self.results.scored[number] = Scored(question, scored.outcomes, seconds, scored.points)
        self._save()
        self._leaderboard_screen(number)
        for line in self.answers.scored(number, self.results):
            self.console.write(line)
        again = self._key("\r b", "[Enter] next question   [b] back to this question   [q] quit") == "b"
        return 0 if again else +1

    def _save(self) -> None:
        if problem := self.save(self.results):
            self.console.write(
                self._style(f"⚠ Results not saved: {problem}; trying again after the next question", _BOLD)
            )

    def _countdown(self) -> tuple[str, float]:
        """Tick down; space reveals early, p pauses, s skips, b goes back; time out reveals.

        Returns what ended it and the seconds the question was shown, paused time left out.
        """
        remaining = self.settings.seconds_per_question
        shown, paused_at = 0.0, None
        started = self.clock()
        while True:
            if paused_at is None:
                note = self.answers.countdown(remaining)  # phones: "12/30 answered"
                gap = " " if note else "   "  # within 80 columns either way
                keys = gap.join(("[space] reveal", "[p] pause", "[s] skip", "[b] back", "[q] quit"))
                self.console.status("   ".join((f"⏱ {remaining:>3} s", *([note] if note else []), keys)))
                pressed = self.console.key_within(" \rpsbq", 1.0)
            else:
                self.answers.countdown(None)
                self.console.status("PAUSED   [p] resume   [q] quit")  # only the keys that work now
                pressed = self.console.key("pq")
            if pressed == "q":
                raise _Stop
            if pressed == "p":
                if paused_at is None:
                    shown, paused_at = shown + self.clock() - started, self.clock()
                else:
                    started, paused_at = self.clock(), None
                continue
            if pressed is None:
                remaining -= 1
                if remaining > 0:
                    continue
                pressed = "reveal"
            action = "reveal" if pressed in (" ", "\r", "reveal") else pressed
            return action, shown + self.clock() - started

    def _reveal(self, number: int, question: ClassQuestion) -> None:
        self._header(number, "Answer")
        self._prompt(question)
        for index, choice in enumerate(question.choices):
            if index == question.correct_index:
                self.console.write(self._style(f"  ✓ {LETTERS[index]}) {choice}", _GREEN))
            else:
                self.console.write(self._style(f"    {LETTERS[index]}) {choice}", _DIM))
        self._picture(question.reveal_picture)
        self.console.write(question.explanation)

    # -- screens ---------------------------------------------------------------------------

    def _screen(self, number: int, question: ClassQuestion) -> None:
        self._header(number, question.kind.value)
        self._prompt(question)
        if question.paint is not None:
            self.console.write("Teams, call out the regions where it refers pain!")
        self._picture(question.picture)
        for index, choice in enumerate(question.choices):
            self.console.write(self._style(f"  {LETTERS[index]}) {choice}", _BOLD))

    def _header(self, number: int, label: str) -> None:
        self.console.clear()
        board = "  ".join(f"{team} {points_text(score)}" for team, score in self.results.leaderboard())
        seed = f" · seed {self.settings.seed}" if self.settings.seed is not None else ""
        self.console.write(f"Question {number}/{len(self.questions)} · {label}{seed}    {board}")
        self.console.write("")

    def _prompt(self, question: ClassQuestion) -> None:
        self.console.write(self._style(question.prompt, _BOLD))
        self.console.write("")

    def _leaderboard_screen(self, number: int) -> None:
        question = self.questions[number - 1]
        self._header(number, "Leaderboard")
        self._prompt(question)
        letter = f"{question.correct_letter}) " if question.correct_letter else ""  # a painting has no letter
        self.console.write(self._style(f"  ✓ {letter}{question.correct}", _GREEN))
        self.console.write("")
        self.console.write(self._style(f"Leaderboard after question {number}", _BOLD))
        for place, team, score in self.results.places():
            self.console.write(f"  {place}. {team:<16} {points_text(score)}")

    def _final_screen(self) -> None:
        self.console.clear()
        asked = self.results.asked
        self.console.write(self._style(f"Final scores ({asked} of {len(self.questions)} questions)", _BOLD))
        for place, team, score in self.results.places():
            self.console.write(f"  {place}. {team:<16} {points_text(score)}")

    def _picture(self, spec: DiagramSpec | None) -> None:
        if spec is not None:
            self.console.picture(spec)

    def _key(self, allowed: str, hint: str) -> str:
        self.console.status(hint)
        pressed = self.console.key(allowed + "q")
        if pressed == "q":
            raise _Stop
        return pressed

    def _style(self, text: str, style: str) -> str:
        return text if self.console.color_mode is ColorMode.NONE else f"{style}{text}{_RESET}"


def run_class(
    questions: Sequence[ClassQuestion],
    settings: ClassSettings,
    console: ClassConsole,
    clock: Callable[[], float],
    results: ResultsFile,
    answers: AnswerSource | None = None,
) -> ClassResults:
    """Run the class quiz over `questions`; the results file is current after every question that saved.

    A save that failed is tried once more at the end; `results` then tells what the file holds.
    """
    if not questions:
        raise MyodeckError("no questions to ask (choose more muscles or kinds)")
    final = ClassSession(questions, settings, console, clock, results.save, answers).run()
    if results.behind(final):
        results.save(final)
    return final
