"""The phone class's state: players, the question open now, its answers, and every scored question.

Pure and thread-safe: the web server (its own thread) joins players and takes answers,
the class session (the terminal's thread) opens, locks and scores questions; both go
through one lock. Time comes from the `clock` passed in; nothing here knows about
sockets or the terminal. Scores are recomputed from the scored questions, so asking a
question again and scoring it anew never counts it twice.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from quiz.class_session import ClassResults, Outcome, Scored, points_text
from quiz.classroom import LETTERS, ClassQuestion

MAX_NAME = 24
MAX_PLAYERS = 400
STREAK_BONUS, STREAK_CAP = 0.1, 5  # --streaks: +0.1 a point for each right answer before, up to +0.5
NO_TEAM = ""
_COLUMNS = ("date", "seed", "number", "question_key", "prompt", "correct_answer", "student", "team", "chosen",
            "correct", "milliseconds", "points")  # fmt: skip
_CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread from a projector


class Phase(Enum):
    LOBBY = "lobby"
    QUESTION = "question"
    PAUSED = "paused"
    REVEAL = "reveal"
    FINAL = "final"


class Refused(Exception):
    """A join or an answer the game does not take; the message is shown on the phone."""


@dataclass(frozen=True)
class Rules:
    seconds: int
    speed: bool = False  # a right answer earns 1 point at once, down to 0.5 at the last second
    streaks: bool = False


@dataclass
class Player:
    token: str
    name: str
    team: str  # NO_TEAM: only in the individual ranking
    score: float = 0.0
    streak: int = 0  # right answers in a row, up to the last scored question


@dataclass(frozen=True)
class Answer:
    choice: int
    milliseconds: int


@dataclass
class Record:
    """One scored question: every answer, and the points each player earned with it."""

    question: ClassQuestion
    answers: dict[str, Answer]
    points: dict[str, float] = field(default_factory=dict)


def session_code() -> str:
    """The code in the join address: 6 characters, 32⁶ (10⁹) possibilities, none misread when typed."""
    return "".join(secrets.choice(_CODE_LETTERS) for _ in range(6))


def clean_name(raw: object, limit: int = MAX_NAME) -> str:
    """A name as typed, without control or invisible characters, spaces collapsed, at most `limit` long."""
    if not isinstance(raw, str):
        return ""
    kept = "".join(c for c in raw[: 4 * limit] if unicodedata.category(c)[0] != "C")
    return re.sub(r"\s+", " ", kept).strip()[:limit].strip()


class PhoneGame:
    """Who has joined, what is asked, who answered what and when, and the scores."""

    def __init__(self, rules: Rules, teams: tuple[str, ...], total: int, clock: Callable[[], float]) -> None:
        self.rules = rules
        self.teams = teams
        self.total = total  # questions in the class, for "Question 3 of 10"
        self.clock = clock
        self.players: dict[str, Player] = {}
        self.records: dict[int, Record] = {}
        self.phase = Phase.LOBBY
        self.number = 0
        self.question: ClassQuestion | None = None
        self.answers: dict[str, Answer] = {}
        self.remaining: int | None = None
        self.version = 0  # bumped by every change a phone or the screen shows
        self._lock = threading.RLock()
        self._opened = 0.0  # when the question opened, moved on by paused time
        self._paused_at: float | None = None
        self._deadline: float | None = None
        self._shared_json: tuple[int, str] | None = None
        self._ranking: tuple[int, list[tuple[int, Player]], dict[str, int]] | None = None

    def _changed(self) -> None:
        self.version += 1

    # -- players ---------------------------------------------------------------------------

    def join(self, name: object, team: object) -> Player:
        """A new player; Refused for an empty or taken name, an unknown team or a full class."""
        with self._lock:
            cleaned = clean_name(name)
            if not cleaned:
                raise Refused("Type your name (up to 24 characters).")
            if any(p.name.casefold() == cleaned.casefold() for p in self.players.values()):
                raise Refused(f"{cleaned} has joined already: add an initial.")
            chosen = team if isinstance(team, str) else NO_TEAM
            if chosen != NO_TEAM and chosen not in self.teams:
                raise Refused("Choose one of the teams.")
            if len(self.players) >= MAX_PLAYERS:
                raise Refused("The class is full.")
            player = Player(secrets.token_urlsafe(18), cleaned, chosen)
            self.players[player.token] = player
            self._changed()
            return player

    def names(self) -> list[str]:
        """Everyone who has joined, in the order they joined."""
        with self._lock:
            return [p.name for p in self.players.values()]

    def player(self, token: object) -> Player | None:
        with self._lock:
            return self.players.get(token) if isinstance(token, str) else None

    # -- the question ----------------------------------------------------------------------

    def open(self, number: int, question: ClassQuestion) -> None:
        with self._lock:
            self.phase, self.number, self.question = Phase.QUESTION, number, question
            self.answers = {}
            self.remaining, self._deadline = self.rules.seconds, self.clock() + self.rules.seconds
            self._opened, self._paused_at = self.clock(), None
            self._changed()

    def countdown(self, remaining: int | None) -> bool:
        """The terminal's countdown: seconds left, or None while paused (answers wait, time stops).

        Returns whether the phones' view changed (a tick repeating the seconds shown needs no message)."""
        with self._lock:
            now = self.clock()
            shown = (self.phase, self.remaining)
            if remaining is None:
                if self.phase is Phase.QUESTION:
                    self.phase, self._paused_at, self._deadline = Phase.PAUSED, now, None
            else:
                if self.phase is Phase.PAUSED and self._paused_at is not None:
                    self._opened += now - self._paused_at
                    self.phase, self._paused_at = Phase.QUESTION, None
                if self.phase is Phase.QUESTION:
                    self.remaining, self._deadline = remaining, now + remaining
            if (self.phase, self.remaining) == shown:
                return False
            self._changed()
            return True

    def answer(self, token: str, number: object, choice: object) -> Answer:
        """Record a player's one answer to the open question; Refused once locked or already answered."""
        with self._lock:
            now = self.clock()
            if number != self.number or self.phase is not Phase.QUESTION or self.question is None:
                raise Refused("Answers are closed.")
            if self._deadline is not None and now > self._deadline:
                raise Refused("Time is up.")
            if token not in self.players:
                raise Refused("Join first.")
            if token in self.answers:
                raise Refused("You have answered already.")
            if not isinstance(choice, int) or isinstance(choice, bool) or not 0 <= choice < len(self.question.choices):
                raise Refused("Choose A, B, C or D.")
            answer = Answer(choice, max(0, round((now - self._opened) * 1000)))
            self.answers[token] = answer
            self._changed()
            return answer

    def answered(self) -> int:
        with self._lock:
            return len(self.answers)

    def reveal(self) -> Scored:
        """Lock the answers and score the question: each team's points are its members' mean."""
        with self._lock:
            assert self.question is not None
            self.records[self.number] = Record(self.question, dict(self.answers))
            self.phase, self.remaining, self._deadline = Phase.REVEAL, None, None
            self._rescore()
            self._changed()
            record = self.records[self.number]
            points = {team: self._team_mean(team, record.points) for team in self.teams}
            outcomes = {t: Outcome.CORRECT if p > 0 else Outcome.WRONG for t, p in points.items()}
            return Scored(self.question, outcomes, 0.0, points)

    def finish(self) -> None:
        with self._lock:
            self.phase = Phase.FINAL
            self._changed()

    def _points(self, question: ClassQuestion, answer: Answer | None, streak: int) -> float:
        if answer is None or answer.choice != question.correct_index:
            return 0.0
        points = 1.0
        if self.rules.speed:
            points -= 0.5 * min(1.0, answer.milliseconds / (1000 * self.rules.seconds))
        if self.rules.streaks:
            points += STREAK_BONUS * min(streak, STREAK_CAP)
        return round(points, 2)

    def _rescore(self) -> None:
        """Every player's points on every scored question, in question order (streaks run in that order)."""
        for player in self.players.values():
            player.score, player.streak = 0.0, 0
        for number in sorted(self.records):
            record = self.records[number]
            record.points = {}
            for token, player in self.players.items():
                points = self._points(record.question, record.answers.get(token), player.streak)
                record.points[token] = points
                player.score = round(player.score + points, 2)
                player.streak = player.streak + 1 if points > 0 else 0

    def _team_mean(self, team: str, points: dict[str, float]) -> float:
        members = [token for token, p in self.players.items() if p.team == team]
        return round(sum(points.get(t, 0.0) for t in members) / len(members), 2) if members else 0.0

    # -- what the phones and the screen show ------------------------------------------------

    def ranking(self) -> list[tuple[int, Player]]:
        """(place, player), best first; ties share a place (1, 1, 3)."""
        return self._ranked()[0]

    def _ranked(self) -> tuple[list[tuple[int, Player]], dict[str, int]]:
        """The ranking and each token's place, worked out once per change: every phone asks for its place."""
        with self._lock:
            if self._ranking is None or self._ranking[0] != self.version:
                board = sorted(self.players.values(), key=lambda p: (-p.score, p.name.casefold()))
                ranking: list[tuple[int, Player]] = []
                for index, player in enumerate(board):
                    tied = ranking and ranking[-1][1].score == player.score
                    ranking.append((ranking[-1][0] if tied else index + 1, player))
                self._ranking = (self.version, ranking, {p.token: place for place, p in ranking})
            return self._ranking[1], self._ranking[2]

    def team_scores(self) -> list[tuple[str, float, int]]:
        """(team, mean score of its members, members), best first; empty without teams to choose."""
        with self._lock:
            if len(self.teams) < 2:
                return []
            scores = {p.token: p.score for p in self.players.values()}
            rows = [
                (t, self._team_mean(t, scores), sum(p.team == t for p in self.players.values())) for t in self.teams
            ]
            return sorted(rows, key=lambda row: (-row[1], self.teams.index(row[0])))

    def histogram(self) -> list[int]:
        """How many chose each letter of the question open or just revealed."""
        with self._lock:
            counts = [0] * (len(self.question.choices) if self.question else 0)
            for answer in self.answers.values():
                counts[answer.choice] += 1
            return counts

    def phone_message(self, token: str) -> str:
        """What one player's phone shows now, as the JSON state message: sent whole, so a phone that
        reconnects is up to date; the part every phone shares is encoded once per change."""
        with self._lock:
            if self._shared_json is None or self._shared_json[0] != self.version:
                self._shared_json = (self.version, json.dumps(self._common())[1:-1])
            personal = json.dumps(self._personal(token))[1:-1]
            return '{"type": "state", "view": {' + self._shared_json[1] + ", " + personal + "}}"

    def _personal(self, token: str) -> dict[str, object]:
        player = self.players[token]
        mine = self.answers.get(token)
        view: dict[str, object] = {"name": player.name, "team": player.team, "score": points_text(player.score)}
        view["chosen"] = mine.choice if mine else None
        if self.phase is Phase.REVEAL and self.question is not None:
            view["earned"] = points_text(self.records[self.number].points.get(token, 0.0))
            view["right"] = mine is not None and mine.choice == self.question.correct_index
        if self.phase in (Phase.REVEAL, Phase.FINAL):
            view["place"], view["players"] = self._ranked()[1][token], len(self.players)
        return view

    def screen_view(self) -> dict[str, object]:
        """What the projector page shows now."""
        with self._lock:
            view = self._common()
            view["players"] = len(self.players)
            view["answered"] = len(self.answers)
            if self.phase is Phase.LOBBY:
                view["joined"] = sorted((p.name for p in self.players.values()), key=str.casefold)[-60:]
            if self.phase in (Phase.REVEAL, Phase.FINAL):
                view["histogram"] = self.histogram()
                view["ranking"] = [
                    {"place": place, "name": p.name, "team": p.team, "score": points_text(p.score)}
                    for place, p in self.ranking()[:10]
                ]
                view["teams"] = [{"name": t, "score": points_text(s), "members": n} for t, s, n in self.team_scores()]
            return view

    def _common(self) -> dict[str, object]:
        view: dict[str, object] = {"phase": self.phase.value, "total": self.total, "teams": list(self.teams)}
        if self.question is not None and self.phase is not Phase.LOBBY:
            q = self.question
            view.update(
                number=self.number,
                prompt=q.prompt,
                choices=[{"letter": LETTERS[i], "text": c} for i, c in enumerate(q.choices)],
                picture=q.picture is not None,
                remaining=self.remaining,
            )
            if self.phase is Phase.REVEAL:
                view.update(correct=q.correct_index, explanation=q.explanation)
                view["answer_picture"] = q.reveal_picture is not None
        return view

    # -- the results file ------------------------------------------------------------------

    def results_csv(self, results: ClassResults, seed: int | None, date: str) -> str:
        """One row per student and scored question (chosen letter, right, milliseconds, points), then each
        student's and each team's total; the seed and the date on every row, so any row says which class."""
        with self._lock:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(_COLUMNS)
            common = [date, "" if seed is None else seed]
            players = sorted(self.players.values(), key=lambda p: p.name.casefold())
            for number in sorted(results.scored):
                record = self.records.get(number)
                if record is None:
                    continue  # skipped: nobody answered
                q = record.question
                for p in players:
                    answer = record.answers.get(p.token)
                    chosen = LETTERS[answer.choice] if answer else ""
                    right = "yes" if answer and answer.choice == q.correct_index else "no"
                    ms = answer.milliseconds if answer else ""
                    correct = f"{q.correct_letter}) {q.correct}"
                    row = [number, q.key, q.prompt, correct, _cell(p.name), _cell(p.team), chosen, right, ms]
                    writer.writerow([*common, *row, points_text(record.points.get(p.token, 0.0))])
            blank = ["", "", ""]
            for place, p in self.ranking():
                total = ["", "TOTAL", f"place {place}", "", _cell(p.name), _cell(p.team), *blank]
                writer.writerow([*common, *total, points_text(p.score)])
            for team, score, members in self.team_scores():
                size = f"{members} student{'' if members == 1 else 's'}"
                writer.writerow([*common, "", "TEAM", size, "", "", _cell(team), *blank, points_text(score)])
            return buffer.getvalue()


def _cell(text: str) -> str:
    """A name as a spreadsheet shows it: one typed as a formula (=, +, -, @) is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
