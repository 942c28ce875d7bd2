"""The phone class's web server: the phone page, the projector page, their WebSockets and pictures.

aiohttp on its own thread and event loop, so the terminal's class session keeps its
blocking key reads; the two meet in `PhoneGame` (locked) and in `publish`, which wakes
the connections that must show a change. Every connection has one sender task that
sends the latest view, so a burst of changes costs one message and a slow phone never
holds up the others. Nothing is served without the session's code.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import secrets
import socket
import threading
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from aiohttp import WSMsgType, web

from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from quiz.phones.game import Phase, PhoneGame, Refused

MAX_MESSAGE = 1024  # bytes: a join or an answer is far smaller
MAX_CONNECTIONS = 1000
_BUTTON_KEYS = ("\r", " ", "p", "s")  # start / next, reveal, pause / resume, skip
_STATIC = {
    "phone.js": "text/javascript",
    "screen.js": "text/javascript",
    "style.css": "text/css",
    "phone.html": "text/html",
    "screen.html": "text/html",
}


@dataclass(eq=False)
class _Connection:
    websocket: web.WebSocketResponse
    screen: bool
    controls: bool = False  # a projector page opened with the screen key: its buttons press keys
    token: str | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    notes: list[dict[str, Any]] = field(default_factory=list)  # one-off messages (joined, refused)


class PhoneServer:
    """Serves one class on `host:port` (port 0: any free port) while in its `with` block.

    The server listens first, so a port in use is reported before any picture is drawn.
    """

    def __init__(
        self,
        game: PhoneGame,
        code: str,
        host: str,
        port: int,
    ) -> None:
        self.game, self.code, self.host, self.port = game, code, host, port
        self.screen_key = secrets.token_urlsafe(9)  # 12 characters: the address fits 80 columns
        self.key_presses, self._key_sink = os.pipe()  # the page's buttons, read as the terminal's keys
        self.pictures: dict[DiagramSpec, bytes] = {}  # the questions' PNGs, set once drawn
        self.join_url, self.qr_svg = "", ""  # known once listening (port 0 picks the port)
        self._connections: set[_Connection] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    # -- lifetime (called from the terminal's thread) ----------------------------------------

    def __enter__(self) -> PhoneServer:
        started = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._start())
            except OSError as error:
                failure.append(error)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._stop())
            loop.close()

        self._thread = threading.Thread(target=serve, name="phone-server", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            error = failure[0]
            if getattr(error, "errno", None) == errno.EADDRINUSE:
                raise MyodeckError(f"port {self.port} is in use (choose another with --port)")
            reason = os.strerror(error.errno) if getattr(error, "errno", None) else str(error)
            raise MyodeckError(f"cannot listen on {self.host} port {self.port}: {reason} (check --host)")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        os.close(self._key_sink)
        os.close(self.key_presses)

    def publish(self, everyone: bool = True, token: str | None = None) -> None:
        """Show the game's change: on every connection, or on one player's phones and the screens."""
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the class is over
                self._loop.call_soon_threadsafe(self._wake, everyone, token)

    # -- on the server's loop ---------------------------------------------------------------

    async def _start(self) -> None:
        app = web.Application(client_max_size=MAX_MESSAGE)
        app.router.add_get("/", self._page("phone.html"))
        app.router.add_get("/screen", self._page("screen.html"))
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/ws", self._socket)
        app.router.add_get("/picture/{number}/{which}.png", self._picture)
        app.router.add_get("/qr.svg", self._qr)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listening = socket.create_server((self.host, self.port), family=family)  # OSError (port taken) at once
        self.port = listening.getsockname()[1]  # port 0: the one the system chose
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.SockSite(self._runner, listening).start()

    async def _stop(self) -> None:
        for connection in list(self._connections):
            await connection.websocket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def _wake(self, everyone: bool, token: str | None) -> None:
        for connection in self._connections:
            if everyone or connection.screen or connection.token == token:
                connection.wake.set()

    def _authorised(self, request: web.Request) -> None:
        if request.query.get("code", "").upper() != self.code:
            raise web.HTTPForbidden(text="Wrong or missing class code: scan the QR code on the screen again.")

    def _page(self, name: str) -> Any:
        async def handler(request: web.Request) -> web.StreamResponse:
            return self._file(name)

        return handler

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in _STATIC:
            raise web.HTTPNotFound()
        return self._file(name)

    def _file(self, name: str) -> web.Response:
        body = files("quiz.phones").joinpath("static", name).read_bytes()
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        return web.Response(body=body, content_type=_STATIC[name], charset="utf-8", headers=headers)

    async def _qr(self, request: web.Request) -> web.StreamResponse:
        self._authorised(request)
        return web.Response(text=self.qr_svg, content_type="image/svg+xml")

    async def _picture(self, request: web.Request) -> web.StreamResponse:
        """The open question's picture (`question`), or its answer's once revealed (`answer`)."""
        self._authorised(request)
        game = self.game
        question = game.question
        if question is None or request.match_info["number"] != str(game.number) or game.phase is Phase.LOBBY:
            raise web.HTTPNotFound()
        which = request.match_info["which"]
        spec = question.picture if which == "question" else None
        if which == "answer" and game.phase in (Phase.REVEAL, Phase.FINAL):
            spec = question.reveal_picture
        if spec is None or spec not in self.pictures:
            raise web.HTTPNotFound()
        return web.Response(body=self.pictures[spec], content_type="image/png", headers={"Cache-Control": "private"})

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        self._authorised(request)
        if len(self._connections) >= MAX_CONNECTIONS:
            raise web.HTTPServiceUnavailable(text="Too many connections.")
        websocket = web.WebSocketResponse(max_msg_size=MAX_MESSAGE, heartbeat=20, compress=False)
        await websocket.prepare(request)
        screen = request.query.get("role") == "screen"
        controls = screen and secrets.compare_digest(request.query.get("key", ""), self.screen_key)
        connection = _Connection(websocket, screen, controls)
        self._connections.add(connection)
        sender = asyncio.create_task(self._send_views(connection))
        if connection.screen:
            connection.wake.set()
        try:
            async for message in websocket:
                if message.type is not WSMsgType.TEXT:
                    break
                if not connection.screen:
                    self._receive(connection, message.data)
                elif connection.controls:
                    self._press(message.data)
        finally:
            self._connections.discard(connection)
            sender.cancel()
        return websocket

    def _receive(self, connection: _Connection, data: str) -> None:
        """A phone's message: hello (with the token it kept), join, or answer."""
        try:
            message = json.loads(data)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        kind = message.get("type")
        try:
            if kind == "hello":
                player = self.game.player(message.get("token"))
                connection.token = player.token if player else None
                if player is None:
                    connection.notes.append({"type": "join", "teams": list(self.game.teams)})
            elif kind == "join" and connection.token is None:
                player = self.game.join(message.get("name"), message.get("team"))
                connection.token = player.token
                connection.notes.append({"type": "joined", "token": player.token})
                self._wake(everyone=False, token=None)  # the screens' list of who joined
            elif kind == "answer" and connection.token is not None:
                self.game.answer(connection.token, message.get("number"), message.get("choice"))
                self._wake(everyone=False, token=connection.token)  # all of this player's phones
        except Refused as refused:
            connection.notes.append({"type": "refused", "message": str(refused)})
        connection.wake.set()

    def _press(self, data: str) -> None:
        """A projector page button: its key, as if pressed on the terminal (quitting stays there)."""
        with contextlib.suppress(ValueError):
            message = json.loads(data)
            if isinstance(message, dict) and message.get("key") in _BUTTON_KEYS:
                os.write(self._key_sink, message["key"].encode())

    async def _send_views(self, connection: _Connection) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError, asyncio.CancelledError):
            while not connection.websocket.closed:
                await connection.wake.wait()
                connection.wake.clear()
                notes, connection.notes = connection.notes, []
                for note in notes:
                    await connection.websocket.send_str(json.dumps(note))
                if connection.screen:
                    view = {**self.game.screen_view(), "join": self.join_url, "controls": connection.controls}
                    await connection.websocket.send_str(json.dumps({"type": "state", "view": view}))
                elif connection.token is not None:
                    await connection.websocket.send_str(self.game.phone_message(connection.token))
