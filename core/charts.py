"""Small line charts drawn on the server as SVG: readable without JavaScript and in print.

Each chart sits beside the table of its numbers (the accessible form of it), so the
drawing only has to show the shape: where the line goes, its lowest and highest value.
"""

from dataclasses import dataclass, field

WIDTH, HEIGHT, PAD = 280, 96, 14


@dataclass
class LineChart:
    title: str
    points: str  # "x,y x,y ..." for <polyline>
    dots: list = field(default_factory=list)  # (x, y, tooltip)
    low: str = ""
    high: str = ""
    first: str = ""
    last: str = ""
    width: int = WIDTH
    height: int = HEIGHT


def line_chart(title, values, shown=str):
    """`values`: (label, number or None) in order; None is left out of the line.

    Fewer than two numbers make no line: None is returned and the table says it all.
    `shown(number)` writes a number the way the table does.
    """
    known = [(label, number) for label, number in values if number is not None]
    if len(known) < 2:
        return None
    numbers = [float(number) for _label, number in known]
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(known) - 1)
    dots = []
    for index, (label, number) in enumerate(known):
        x = round(PAD + index * step, 1)
        # A flat line is drawn across the middle, not along the floor.
        y = (
            HEIGHT / 2
            if high == low
            else HEIGHT - PAD - (float(number) - low) / span * (HEIGHT - 2 * PAD)
        )
        dots.append((x, round(y, 1), f"{label}: {shown(number)}"))
    return LineChart(
        title=title,
        points=" ".join(f"{x},{y}" for x, y, _t in dots),
        dots=dots,
        low=shown(min(number for _l, number in known)),
        high=shown(max(number for _l, number in known)),
        first=known[0][0],
        last=known[-1][0],
    )
