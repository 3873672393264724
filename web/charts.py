"""Chart geometry for inline SVG drawn by the templates: no JavaScript, no images."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  #: 0 to 100
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per regency, longest first; the template places labels left of `bar_x`."""

    width: int
    height: int
    bar_x: int
    bar_height: int
    bar_space: int
    bars: list[Bar]


def compliance_bars(rows: list[dict[str, Any]], width: int = 720, label_width: int = 230,
                    bar_height: int = 16, gap: int = 6) -> BarChart:
    ranked = [row for row in rows if row.get("compliance_rate") is not None]
    space = width - label_width - 60
    bars = [Bar(f"{row['rank']}. {row['name']}", row["compliance_rate"], 10 + i * (bar_height + gap),
                round(space * row["compliance_rate"] / 100, 1))
            for i, row in enumerate(ranked)]
    return BarChart(width, 20 + len(bars) * (bar_height + gap), label_width, bar_height, space, bars)


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    #: "x,y x,y ..." for a <polyline>.
    points: str
    dots: list[dict[str, Any]]


def trend_line(trend: list[dict[str, Any]], width: int = 720, height: int = 200, margin: int = 40) -> TrendChart | None:
    """Weekly compliance (0-100%) as a line; None when fewer than one week has a rate."""
    weeks = [point for point in trend if point.get("compliance_rate") is not None]
    if not weeks:
        return None
    step = (width - 2 * margin) / max(len(weeks) - 1, 1)
    plot_height = height - 2 * margin
    dots = [
        {"x": round(margin + i * step, 1), "y": round(height - margin - plot_height * w["compliance_rate"] / 100, 1),
         "week": w["week"], "rate": w["compliance_rate"]}
        for i, w in enumerate(weeks)
    ]
    return TrendChart(width, height, " ".join(f"{d['x']},{d['y']}" for d in dots), dots)
