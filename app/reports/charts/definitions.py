"""Chart definitions: small frozen dataclasses, the same for a web page and a PDF.

Sequences are stored as tuples and numbers as floats, so a definition built from query rows
(lists, Decimals, None) is immutable and safe to cache.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field


def _labels(values: Sequence) -> tuple[str, ...]:
    return tuple("" if value is None else str(value) for value in values or ())


def _numbers(values: Sequence) -> tuple[float, ...]:
    return tuple(max(0.0, float(value or 0)) for value in values or ())


def _measures(values: Sequence) -> tuple[float | None, ...]:
    """Like _numbers, but None (no data, no evidence) stays None: it is not drawn as 0."""
    return tuple(None if value is None else max(0.0, float(value)) for value in values or ())


def _fix(chart, **fields) -> None:
    for name, value in fields.items():
        object.__setattr__(chart, name, value)


def _check_lengths(chart, labels, values) -> None:
    if len(labels) != len(values):
        raise ValueError(
            f"{type(chart).__name__} {chart.title!r}: {len(labels)} labels for {len(values)} values"
        )


@dataclass(frozen=True)
class BarChart:
    """One bar per label: completion % by unit, hours by unit. Long labels are cut with …
    A None value has no data: no bar, and 暂无数据 where the bar would be."""

    title: str
    labels: Sequence[str]
    values: Sequence[float | None]
    value_suffix: str = ""
    max_value: float | None = None  # 100 for percentages; the largest value otherwise
    horizontal: bool = True

    def __post_init__(self):
        _fix(self, labels=_labels(self.labels), values=_measures(self.values))
        _check_lengths(self, self.labels, self.values)

    @property
    def empty(self) -> bool:
        return not any(self.values)


@dataclass(frozen=True)
class DistributionChart:
    """Counts per bucket, drawn as adjacent columns: the score distribution."""

    title: str
    bucket_labels: Sequence[str]
    counts: Sequence[int]

    def __post_init__(self):
        _fix(self, bucket_labels=_labels(self.bucket_labels), counts=_numbers(self.counts))
        _check_lengths(self, self.bucket_labels, self.counts)

    @property
    def empty(self) -> bool:
        return not any(self.counts)


Histogram = DistributionChart


@dataclass(frozen=True)
class RadarChart:
    """Mastery (0–100) per competency area, one axis each (fewer than 3 draw as bars).
    None is no evidence: the axis is marked 证据不足, not drawn as 0."""

    title: str
    labels: Sequence[str]
    values: Sequence[float | None]
    max_value: float = 100

    def __post_init__(self):
        _fix(self, labels=_labels(self.labels), values=_measures(self.values))
        _check_lengths(self, self.labels, self.values)

    @property
    def empty(self) -> bool:
        return not any(self.values)


#: 优秀 / 合格 / 基本合格 / 不合格 / 免考核, in that order, unless a chart gives its own.
RATING_COLOURS = ("#3A9D5D", "#2F6DB5", "#E0A526", "#C8553D", "#9AA5B1")


@dataclass(frozen=True)
class RatingChart:
    """How many people got each rating: one stacked bar with a legend of counts and shares."""

    title: str
    labels: Sequence[str]
    counts: Sequence[int]
    colours: Sequence[str] = field(default=RATING_COLOURS)  # hex, one per label, cycled

    def __post_init__(self):
        _fix(self, labels=_labels(self.labels), counts=_numbers(self.counts),
             colours=tuple(self.colours) or RATING_COLOURS)
        _check_lengths(self, self.labels, self.counts)

    @property
    def empty(self) -> bool:
        return not any(self.counts)


Chart = BarChart | DistributionChart | RadarChart | RatingChart
