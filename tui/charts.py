"""Charts drawn with text, for the terminal (80x24, over SSH, with NO_COLOR).

``column_chart`` draws one column per value on a fixed 0–100 scale with the
eight block heights, so four lines of text give 32 steps: enough to see a
subject's trend, and the same scale for every subject.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

BLOCKS = " ▁▂▃▄▅▆▇█"
SPARKS = "▁▂▃▄▅▆▇█"


def _centre(text: str, width: int) -> str:
    pad = max(0, width - cell_len(text))
    return set_cell_size(" " * (pad // 2) + text, width)


def column_chart(columns: list[tuple[str, float, str]], *, height: int = 4,
                 bar: int = 3, slot: int = 7, axis: tuple[str, str] = ("100", "0"),
                 style: str = "") -> Text:
    """``columns``: ``(label under the column, value 0-100, text under the label)``."""
    pad = max(cell_len(a) for a in axis)
    text = Text(no_wrap=True, overflow="crop")
    for row in range(height):
        level = height - 1 - row  # the bottom row is level 0
        tick = axis[0] if row == 0 else axis[1] if row == height - 1 else ""
        text.append(f"{tick:>{pad}}" + ("┤" if tick else "│"), style="dim")
        for _, value, _ in columns:
            eighths = round(max(0.0, min(100.0, value)) / 100 * height * 8)
            cell = BLOCKS[max(0, min(8, eighths - level * 8))]
            if level == 0 and eighths == 0:
                cell = "▁"  # a zero still shows where the column is
            text.append(_centre(cell * bar, slot), style=style)
        text.append("\n")
    text.append(" " * (pad + 1))
    for label, _, _ in columns:
        text.append(_centre(label, slot), style="dim")
    text.append("\n" + " " * (pad + 1))
    for _, _, under in columns:
        text.append(_centre(under, slot))
    return text


def sparkline(values: list[float], low: float, high: float) -> str:
    """One character per value on the scale ``low``–``high``."""
    span = (high - low) or 1
    return "".join(SPARKS[max(0, min(7, round((v - low) / span * 7)))] for v in values)
