"""60 simulated phones over real WebSockets (aiohttp's client) against the real server on loopback:
every phone joins, gets the question, answers once and sees it confirmed, the reveal counts them all."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from decks.cards import CardKind
from quiz.class_session import ClassResults
from quiz.classroom import ClassQuestion
from quiz.colors import ColorMode
from quiz.phones.game import PhoneGame, Rules
from quiz.phones.live import PhoneAnswers
from quiz.phones.server import PhoneServer

PHONES = 60
CODE = "TEST23"
QUESTION = ClassQuestion("soleus/innervation", CardKind.INNERVATION, "Which nerve supplies Soleus?",
                         ("Tibial nerve", "Femoral nerve", "Sural nerve", "Obturator nerve"), 0, "Tibial.")  # fmt: skip


class LogConsole:
    """The projector terminal, as lines in a list (this test drives the class through the core API)."""

    color_mode = ColorMode.NONE

    def __init__(self) -> None:
        self.lines: list[str] = []

    def clear(self) -> None:
        self.lines.clear()

    def write(self, text: str = "") -> None:
        self.lines.append(text)

    def picture(self, spec: object) -> None:
        pass

    def status(self, text: str) -> None:
        self.lines.append(text)

    def key(self, allowed: str) -> str:
        return "\r"

    def key_within(self, allowed: str, seconds: float | None) -> str | None:
        return None


@pytest.fixture
def served() -> Iterator[tuple[PhoneGame, PhoneServer, PhoneAnswers]]:
    import time

    game = PhoneGame(Rules(seconds=30), ("Red", "Blue"), 1, time.monotonic)
    with PhoneServer(game, CODE, "127.0.0.1", 0) as server:
        yield game, server, PhoneAnswers(game, server, LogConsole())


async def next_state(ws: aiohttp.ClientWebSocketResponse, wanted: Any) -> dict[str, Any]:
    """The first state message whose view `wanted` accepts (earlier ones are superseded views)."""
    while True:
        message = await asyncio.wait_for(ws.receive_json(), timeout=20)
        if message["type"] == "state" and wanted(message["view"]):
            return message["view"]


def test_sixty_phones_join_answer_and_are_counted(served: tuple[PhoneGame, PhoneServer, PhoneAnswers]) -> None:
    game, server, answers = served
    base = f"http://127.0.0.1:{server.port}"

    async def phone(session: aiohttp.ClientSession, index: int) -> tuple[aiohttp.ClientWebSocketResponse, str]:
        ws = await session.ws_connect(f"{base}/ws?code={CODE}")
        await ws.send_json({"type": "hello", "token": None})
        assert (await ws.receive_json())["type"] == "join"
        await ws.send_json({"type": "join", "name": f"Student {index}", "team": ("Red", "Blue")[index % 2]})
        joined = await ws.receive_json()
        assert joined["type"] == "joined"
        await next_state(ws, lambda v: v["phase"] == "lobby")
        return ws, joined["token"]

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            refused = await session.get(f"{base}/ws?code=WRONG1")
            assert refused.status == 403
            phones = await asyncio.gather(*(phone(session, i) for i in range(PHONES)))
            assert len(game.players) == PHONES
            answers.ask(1, QUESTION)
            views = await asyncio.gather(*(next_state(ws, lambda v: v["phase"] == "question") for ws, _ in phones))
            assert {v["prompt"] for v in views} == {QUESTION.prompt}
            for index, (ws, _) in enumerate(phones):  # a quarter right (A), the rest spread over B-D
                await ws.send_json({"type": "answer", "number": 1, "choice": index % 4})
            confirmed = await asyncio.gather(
                *(next_state(ws, lambda v: v.get("chosen") is not None) for ws, _ in phones)
            )
            assert [v["chosen"] for v in confirmed] == [i % 4 for i in range(PHONES)]
            await phones[0][0].send_json({"type": "answer", "number": 1, "choice": 0})  # a second answer
            assert await asyncio.wait_for(phones[0][0].receive_json(), 10) == {
                "type": "refused",
                "message": "You have answered already.",
            }
            scored = answers.score(1, QUESTION, ("Red", "Blue"), lambda allowed, hint: "\r")
            revealed = await asyncio.gather(*(next_state(ws, lambda v: v["phase"] == "reveal") for ws, _ in phones))
            assert [v["right"] for v in revealed] == [i % 4 == 0 for i in range(PHONES)]
            assert scored.points == {"Red": 0.5, "Blue": 0.0}  # Red: even students, half of them on A
            lines = answers.scored(1, ClassResults(("Red", "Blue")))
            assert lines[1] == "Answers: A 15 ✓  B 15  C 15  D 15   (60 of 60 answered)"
            # A phone that lost its connection comes back with its token: the same player, the same score.
            await phones[4][0].close()
            ws = await session.ws_connect(f"{base}/ws?code={CODE}")
            await ws.send_json({"type": "hello", "token": phones[4][1]})
            again = await next_state(ws, lambda v: True)
            assert (again["name"], again["score"], again["chosen"], again["right"]) == ("Student 4", "1", 0, True)
            screen = await session.ws_connect(f"{base}/ws?code={CODE}&role=screen")
            view = await next_state(screen, lambda v: True)
            assert view["histogram"] == [15, 15, 15, 15]
            assert view["answered"] == PHONES
            for ws, _ in phones:
                await ws.close()

    asyncio.run(run())
    results = ClassResults(("Red", "Blue"))
    results.scored[1] = game.reveal()
    rows = list(csv.DictReader(io.StringIO(game.results_csv(results, 1, "2026-12-05"))))
    answered = [r for r in rows if r["number"] == "1"]
    assert len(answered) == PHONES
    assert sum(r["correct"] == "yes" for r in answered) == PHONES // 4


def test_pictures_codes_and_message_sizes(facts) -> None:
    """Nothing without the class's code; a picture only for the question open now (its answer's once
    revealed); a message over 1 kB closes the connection."""
    import time

    from quiz.classroom import class_questions

    question = class_questions(facts, 1, seed=1)[0]  # a pattern question: a picture, and its answer's
    assert question.picture is not None and question.reveal_picture is not None
    game = PhoneGame(Rules(seconds=30), ("Class",), 1, time.monotonic)
    with PhoneServer(game, CODE, "127.0.0.1", 0) as server:
        server.pictures = {question.picture: b"question-png", question.reveal_picture: b"answer-png"}
        answers = PhoneAnswers(game, server, LogConsole())
        base = f"http://127.0.0.1:{server.port}"

        async def run() -> None:
            async with aiohttp.ClientSession() as session:

                async def get(path: str) -> tuple[int, bytes]:
                    async with session.get(base + path) as response:
                        return response.status, await response.read()

                assert (await get(f"/picture/1/question.png?code={CODE}"))[0] == 404  # nothing asked yet
                answers.ask(1, question)
                assert await get(f"/picture/1/question.png?code={CODE}") == (200, b"question-png")
                assert (await get("/picture/1/question.png?code=AAAAAA"))[0] == 403
                assert (await get("/qr.svg"))[0] == 403
                assert (await get(f"/picture/1/answer.png?code={CODE}"))[0] == 404  # not before the reveal
                assert (await get(f"/picture/2/question.png?code={CODE}"))[0] == 404
                assert (await get("/static/../game.py"))[0] == 404
                answers.score(1, question, ("Class",), lambda allowed, hint: "\r")
                assert await get(f"/picture/1/answer.png?code={CODE}") == (200, b"answer-png")
                ws = await session.ws_connect(f"{base}/ws?code={CODE}")
                await ws.send_str('{"type": "join", "name": "' + "x" * 2000 + '"}')
                closing = await asyncio.wait_for(ws.receive(), 10)
                assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
                assert game.players == {}

        asyncio.run(run())
