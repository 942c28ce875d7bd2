"""Benchmark: `myodeck class --phones` with 300 simulated phones over WebSockets, on loopback.

The real command runs in a pseudo-terminal (its own process, as in a class); 300 aiohttp
clients in this process join, then for each question the instructor's key is pressed and
every phone answers at once. Prints the delivery latency percentiles (key press → the
question on every phone; answer → its confirmation; key press → the reveal on every phone)
and the server process's CPU time and memory. Goal: p95 under 100 ms on a 2-core machine.
The phones share the machine's cores with the server, so the figures are pessimistic.
Run: python bench/bench_phones.py [--phones N] [--questions N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import aiohttp
import pexpect


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def memory_mb(pid: int) -> tuple[float, float]:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


class Phone:
    """One simulated phone: joins, records when each view first arrived, answers on request."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.seen: dict[tuple[str, int | None], float] = {}  # (phase, number) -> arrival
        self.confirmed: dict[int, float] = {}  # question -> when its answer was confirmed
        self.ws: aiohttp.ClientWebSocketResponse | None = None

    async def run(self, session: aiohttp.ClientSession, base: str, code: str, ready: asyncio.Event) -> None:
        self.ws = await session.ws_connect(f"{base}/ws?code={code}")
        await self.ws.send_json({"type": "hello", "token": None})
        await self.ws.receive_json()
        await self.ws.send_json({"type": "join", "name": f"Phone {self.index}", "team": ""})
        async for message in self.ws:
            data = message.json()
            if data["type"] != "state":
                continue
            view, now = data["view"], time.perf_counter()
            self.seen.setdefault((view["phase"], view.get("number")), now)
            if view.get("chosen") is not None:
                self.confirmed.setdefault(view["number"], now)
            if view["phase"] == "lobby":
                ready.set()

    async def answer(self, number: int) -> float:
        assert self.ws is not None
        sent = time.perf_counter()
        await self.ws.send_json({"type": "answer", "number": number, "choice": self.index % 4})
        return sent


async def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("phones did not all receive the view")
        await asyncio.sleep(0.005)


async def bench(phone_count: int, questions: int) -> None:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe, "install myodeck first (pip install -e '.[test]')"
    args = ["class", "--phones", "--host", "127.0.0.1", "--port", "0", "-n", str(questions), "--time", "60"]
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(exe, [*args, "--seed", "1", "--images", "none"], env=env, encoding="utf-8", timeout=120)
    child.setwinsize(45, 160)
    await asyncio.to_thread(child.expect, r"Students join at  (http://\S+)/\?code=([A-Z2-9]{6})")
    base, code = child.match.group(1), child.match.group(2)
    # The terminal's output must be read, or the server's process blocks writing its countdown.
    drain = asyncio.create_task(asyncio.to_thread(drain_forever, child))
    phones = [Phone(i) for i in range(phone_count)]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        events = [asyncio.Event() for _ in phones]
        tasks = [asyncio.create_task(p.run(session, base, code, e)) for p, e in zip(phones, events, strict=True)]
        joined_at = time.perf_counter()
        await asyncio.gather(*(e.wait() for e in events))
        join_seconds = time.perf_counter() - joined_at
        cpu_start = cpu_seconds(child.pid)
        delivered: list[float] = []
        confirmed: list[float] = []
        revealed: list[float] = []
        wall_start = time.perf_counter()
        for number in range(1, questions + 1):
            pressed = time.perf_counter()
            child.send("\r")  # lobby: start; after a reveal: next question
            await wait_for(lambda n=number: all(("question", n) in p.seen for p in phones))
            delivered += [p.seen[("question", number)] - pressed for p in phones]
            sent = await asyncio.gather(*(p.answer(number) for p in phones))
            await wait_for(lambda n=number: all(n in p.confirmed for p in phones))
            confirmed += [p.confirmed[number] - s for p, s in zip(phones, sent, strict=True)]
            pressed = time.perf_counter()
            child.send(" ")
            await wait_for(lambda n=number: all(("reveal", n) in p.seen for p in phones))
            revealed += [p.seen[("reveal", number)] - pressed for p in phones]
        wall = time.perf_counter() - wall_start
        cpu = cpu_seconds(child.pid) - cpu_start
        rss, peak = memory_mb(child.pid)
        child.send("q")
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.wait_for(drain, 30)  # the class has ended and its server stopped
    print(f"{phone_count} phones, {questions} questions; all joined in {join_seconds * 1000:.0f} ms")
    for label, values in (
        ("question delivered (key press → phone)", delivered),
        ("answer confirmed (tap → phone)", confirmed),
        ("reveal delivered (key press → phone)", revealed),
    ):
        ms = [v * 1000 for v in values]
        print(f"  {label:<42} p50 {percentile(ms, 0.5):6.1f} ms   p95 {percentile(ms, 0.95):6.1f} ms"
              f"   max {max(ms):6.1f} ms   (mean {statistics.fmean(ms):.1f})")  # fmt: skip
    print(f"  server process: {cpu:.2f} s CPU over {wall:.1f} s of questions ({100 * cpu / wall:.0f}% of a core);"
          f" memory {rss:.0f} MB (peak {peak:.0f} MB)")  # fmt: skip


def drain_forever(child: pexpect.spawn) -> None:
    while True:
        try:
            child.read_nonblocking(65536, timeout=0.2)
        except pexpect.TIMEOUT:
            continue
        except pexpect.EOF:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--questions", type=int, default=5)
    options = parser.parse_args()
    asyncio.run(bench(options.phones, options.questions))


if __name__ == "__main__":
    main()
