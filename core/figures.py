"""Live figures that apps offer to editors' pages (the "Statistik UMKM" block).

The block lives with the content pages, the numbers with the registry: an app registers
each figure here (`register`), and the block offers whatever is registered, so neither
imports the other. A figure's function returns its table with small cells already
suppressed (`core.statistics`): what it gives is what a visitor may read.
"""

from dataclasses import dataclass

_FIGURES = {}


@dataclass
class FigureTable:
    title: str
    rows: list  # core.statistics.Cell: key, label, count (None when suppressed), suppressed
    total: int
    definition: str
    as_of: object  # datetime of the data
    suppressed_any: bool = False


def register(key, label, compute):
    """Offer `compute()` -> FigureTable under `key` (kept in page content: never rename)."""
    _FIGURES[key] = (label, compute)


def choices():
    """(key, label) of every registered figure, for the block's drop-down."""
    return [(key, label) for key, (label, _compute) in sorted(_FIGURES.items())]


def table(key):
    """The figure's table now, or None for a key no app offers (any more)."""
    entry = _FIGURES.get(key)
    if entry is None:
        return None
    result = entry[1]()
    largest = max([cell.count or 0 for cell in result.rows] + [1])
    for cell in result.rows:  # its bar's width, in percent of the largest
        cell.bar = round(100.0 * (cell.count or 0) / largest, 1)
    result.suppressed_any = any(cell.suppressed for cell in result.rows)
    return result
