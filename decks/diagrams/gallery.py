"""A contact sheet of every diagram with its caption, for proof-reading in a browser."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

from decks.diagrams.batch import DiagramJob
from decks.regions import REGIONS


def _zones(names: tuple[str, ...]) -> str:
    return ", ".join(REGIONS[name].name for name in names) or "none"


def gallery_html(jobs: Sequence[DiagramJob], pngs: Sequence[bytes], title: str = "myodeck diagrams") -> str:
    """One self-contained HTML page: per trigger point, its pictures and its facts in words."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>",
        "body{font-family:sans-serif;margin:2em;color:#222} figure{display:inline-block;margin:0 1em 1em 0;"
        "vertical-align:top} img{width:360px;border:1px solid #ccc} figcaption{font-size:.85em;color:#555}"
        " .dark img{background:#2f2f31} section{border-top:1px solid #ddd;padding-top:.5em}",
        "</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    previous: DiagramJob | None = None
    for job, png in zip(jobs, pngs, strict=True):
        muscle, trp = job.muscle, job.trigger_point
        if previous is None or previous.muscle.id != muscle.id:
            parts.append(f"<h2>{html.escape(muscle.name)}</h2>")
        if previous is None or previous.trigger_point is not trp:
            parts.append(
                f"<section><h3>{html.escape(trp.name)} <small>({html.escape(f'{muscle.id}/{trp.id}')})</small></h3>"
                f"<p>{html.escape(trp.location)}<br><b>Essential:</b> {html.escape(_zones(trp.referral.essential))}"
                f"<br><b>Spillover:</b> {html.escape(_zones(trp.referral.spillover))}</p></section>"
            )
        data = base64.b64encode(png).decode()
        parts.append(
            f"<figure><img alt='{html.escape(job.file_name)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{html.escape(job.variant.value)} · {html.escape(job.file_name)}</figcaption></figure>"
        )
        previous = job
    parts.append("</body></html>")
    return "\n".join(parts)
