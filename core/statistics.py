"""Published counts that name no one: small cells are suppressed, and cannot be worked back.

A count of 1 to 4 businesses in a kecamatan and sector can point at a
household. Such cells are published as suppressed; and where the total is
published too, one suppressed cell could be recovered as the total minus the
others, so a second cell (the next smallest) is suppressed with it.
"""

from dataclasses import dataclass

SUPPRESSION_THRESHOLD = 5


@dataclass
class Cell:
    key: str
    label: str
    count: int | None
    suppressed: bool = False


def suppress_small_cells(cells, threshold=SUPPRESSION_THRESHOLD):
    """``cells`` (key, label, count) as Cells, counts 1..threshold-1 hidden, safely.

    Zero is published: it names no one. A lone suppressed cell takes the
    smallest published non-zero cell with it.
    """
    result = [Cell(key, label, count) for key, label, count in cells]
    small = [cell for cell in result if 0 < cell.count < threshold]
    if len(small) == 1:
        others = sorted(
            (cell for cell in result if cell.count >= threshold), key=lambda c: (c.count, c.key)
        )
        if others:
            small.append(others[0])
    for cell in small:
        cell.count = None
        cell.suppressed = True
    return result
