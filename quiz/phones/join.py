"""How students reach the class: the laptop's address on the network, the join address and its QR code."""

from __future__ import annotations

import contextlib
import io
import socket
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"
ANY = "0.0.0.0"


def lan_address() -> str | None:
    """The address other devices on the network reach this computer at, or None off any network.

    A UDP socket "connected" to a public address makes the system choose the interface it
    would route through; no packet is sent.
    """
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never answers, and nothing is sent
        address = probe.getsockname()[0]
        if not address.startswith("127.") and address != ANY:
            return address
    return None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host  # an IPv6 address, as a URL writes it


@dataclass(frozen=True)
class JoinAddress:
    """Where phones and the projector page find the class."""

    host: str  # what phones type: the LAN address, or the --host given
    port: int
    code: str
    local: str  # what this computer's browser uses: loopback when listening everywhere
    warning: str | None = None  # why phones may not reach it (within 80 columns)
    screen_key: str = ""  # lets the projector page's buttons drive the class; students never see it

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}/?code={self.code}"

    @property
    def screen_url(self) -> str:
        key = f"&key={self.screen_key}" if self.screen_key else ""
        return f"http://{_url_host(self.local)}:{self.port}/screen?code={self.code}{key}"


def join_address(bound: str, port: int, code: str, screen_key: str = "") -> JoinAddress:
    """The address to show for a server bound to `bound` (ANY: every interface, so the LAN's address)."""
    if bound != ANY:
        local_only = bound.startswith("127.") or bound in ("localhost", "::1")
        warning = "Only this computer can join (--host)" if local_only else None
        return JoinAddress(bound, port, code, bound, warning, screen_key)
    lan = lan_address()
    if lan is None:
        warning = "⚠ No network found: only this computer can join (README: Wi-Fi)"
        return JoinAddress(LOOPBACK, port, code, LOOPBACK, warning, screen_key)
    return JoinAddress(lan, port, code, LOOPBACK, None, screen_key)


def qr_text(url: str) -> list[str]:
    """The QR code as lines of half blocks, for the terminal (dark modules drawn as spaces)."""
    import segno

    buffer = io.StringIO()
    segno.make(url, error="l").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue().rstrip("\n").split("\n")


def qr_svg(url: str) -> str:
    """The QR code as an SVG image for the projector page."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="l").save(buffer, kind="svg", scale=10, border=2, xmldecl=False)
    return buffer.getvalue().decode()
