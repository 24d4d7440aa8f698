"""The card's bar chart: records by source and by specialty, an SVG written from the manifest.

Plain SVG text from code, so the image is byte-identical for the same counts and needs no
plotting library; the Hub and any browser show it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

PATH = "images/records_by_source_and_specialty.svg"
ALT = "Bar chart: records by source and by specialty"

_WIDTH, _LABEL, _BAR, _ROW, _GAP = 720, 230, 400, 22, 30
_COLORS = {"source": "#4C78A8", "specialty": "#F58518"}


def _group(title: str, counts: dict[str, int], top: int, color: str) -> tuple[list[str], int]:
    """One titled group of horizontal bars, largest first; returns the SVG lines and the next y."""
    lines = [f'<text x="8" y="{top + 16}" font-weight="bold">{escape(title)}</text>']
    y = top + 28
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    most = max(counts.values(), default=0) or 1
    for name, n in items:
        width = max(1, round(_BAR * n / most)) if n else 0
        lines += [
            f'<text x="{_LABEL - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>',
            f'<rect x="{_LABEL}" y="{y + 3}" width="{width}" height="{_ROW - 6}" fill="{color}"/>',
            f'<text x="{_LABEL + width + 6}" y="{y + 15}">{n}</text>',
        ]
        y += _ROW
    return lines, y + _GAP


def svg(manifest: dict[str, Any]) -> str:
    """The chart for a build's counts (``counts.source`` and ``counts.specialty`` of the manifest)."""
    counts = manifest["counts"]
    body: list[str] = []
    y = 10
    for key, title in (("source", "Records by source"), ("specialty", "Records by specialty")):
        lines, y = _group(title, counts[key], y, _COLORS[key])
        body += lines
    height = y - _GAP + 10
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" font-family="Helvetica, Arial, sans-serif" font-size="13" '
        f'role="img" aria-label="{escape(ALT)}">'
    )
    return "\n".join(
        [
            head,
            f"<title>{escape(ALT)}</title>",
            f'<rect width="{_WIDTH}" height="{height}" fill="white"/>',
            *body,
            "</svg>",
            "",
        ]
    )


def write(folder: Path, manifest: dict[str, Any]) -> None:
    """Write the chart into a built folder (before it is sealed: the manifest lists it)."""
    path = folder / PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg(manifest), encoding="utf-8")
