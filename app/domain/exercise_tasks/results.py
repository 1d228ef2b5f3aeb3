"""Comparing result sets: column count, rows as a multiset (or in order), numeric tolerance."""

import math
from collections import Counter


def _normal(value, tolerance: float):
    """A cell in a comparable form: numbers rounded to the tolerance grid, text stripped."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if tolerance > 0:
            return round(value / tolerance)
        return value
    if isinstance(value, str):
        return value.strip()
    return value


def _row_key(row, tolerance: float) -> tuple:
    return tuple(_normal(cell, tolerance) for cell in row)


def _close(expected, actual, tolerance: float) -> bool:
    if isinstance(expected, int | float) and isinstance(actual, int | float) \
            and not isinstance(expected, bool) and not isinstance(actual, bool):
        return abs(expected - actual) <= tolerance + 1e-9 * max(1.0, abs(expected))
    return _normal(expected, 0) == _normal(actual, 0)


def rows_match(expected: list, actual: list, *, ordered: bool, tolerance: float) -> bool:
    """Same column count, same rows (as a multiset unless ``ordered``), numbers within tolerance."""
    if len(expected) != len(actual):
        return False
    if expected and len(expected[0]) != len(actual[0]):
        return False
    if ordered:
        return all(len(e) == len(a) and all(_close(x, y, tolerance) for x, y in zip(e, a,
                                                                                   strict=True))
                   for e, a in zip(expected, actual, strict=True))
    if tolerance == 0:
        return Counter(_row_key(r, 0) for r in expected) == Counter(_row_key(r, 0)
                                                                     for r in actual)
    remaining = list(actual)
    for row in sorted(expected, key=lambda r: _row_key(r, tolerance)):
        match = next((i for i, other in enumerate(remaining) if len(other) == len(row)
                      and all(_close(x, y, tolerance) for x, y in zip(row, other, strict=True))),
                     None)
        if match is None:
            return False
        remaining.pop(match)
    return True
