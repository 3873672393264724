"""A small bar chart of RAT compliance by regency, as a PNG that any mail client shows inline."""
from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

WIDTH, ROW, LABEL, TOP = 640, 22, 230, 34
BAR, TRACK, TEXT, BEST = (37, 99, 235), (229, 231, 235), (31, 41, 55), (22, 163, 74)


def compliance_chart(rows: Sequence[tuple[str, float | None]], title: str) -> bytes:
    """rows: (regency name, compliance rate in % or None), best first. Plain ASCII marks only:
    the built-in font has no em dash."""
    font = ImageFont.load_default(size=13)
    image = Image.new("RGB", (WIDTH, TOP + ROW * max(len(rows), 1) + 10), "white")
    draw = ImageDraw.Draw(image)
    draw.text((10, 8), title, fill=TEXT, font=ImageFont.load_default(size=15))
    span = WIDTH - LABEL - 70
    for index, (name, rate) in enumerate(rows):
        y = TOP + index * ROW
        draw.text((10, y + 3), name[:32], fill=TEXT, font=font)
        draw.rectangle((LABEL, y + 4, LABEL + span, y + ROW - 4), fill=TRACK)
        if rate is not None:
            draw.rectangle((LABEL, y + 4, LABEL + span * min(rate, 100) / 100, y + ROW - 4),
                           fill=BEST if index == 0 else BAR)
            draw.text((LABEL + span + 8, y + 3), f"{rate:.1f}%", fill=TEXT, font=font)
        else:
            draw.text((LABEL + span + 8, y + 3), "-", fill=TEXT, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
