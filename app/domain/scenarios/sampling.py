"""Small deterministic helpers the generators share: seeded streams, quotas, draws, times.

Planted findings rest on *quotas* (``allocate``) rather than on luck, so a finding
holds for every seed, even at small row counts; everything around them is drawn
from skewed, realistic distributions.
"""

import itertools
import math
import random
from bisect import bisect
from datetime import datetime, timedelta

from app.domain.demo_data import DISTRICTS
from app.domain.scenarios.base import ParamSpec, check_seed, resolve_params


def make_rng(scenario_key: str, seed: int) -> random.Random:
    """One stream per scenario and seed; string seeds hash with SHA-512, stable everywhere."""
    return random.Random(f"{scenario_key}:{seed}")


def begin(scenario_key: str, specs: dict[str, ParamSpec], seed,
          params: dict | None) -> tuple[dict, random.Random]:
    """What every generator starts with: checked parameters and its seeded stream."""
    return resolve_params(specs, params), make_rng(scenario_key, check_seed(seed))


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), summing exactly."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [math.floor(r) for r in raw]
    short = total - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for index in order[:short]:
        counts[index] += 1
    return counts


def expand(counts: list[int]) -> list[int]:
    """[2, 0, 1] → [0, 0, 2]: one index per unit of each count."""
    return [index for index, count in enumerate(counts) for _ in range(count)]


class Picker:
    """Weighted choice with the cumulative weights computed once."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]
        self.last = len(self.items) - 1

    def one(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.total, 0, self.last)]


def clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def gauss_clipped(rng: random.Random, sigma: float, limit: float = 3.5) -> float:
    """A normal deviate with mean 0, cut at ±limit·sigma so planted margins stay safe."""
    return clamp(rng.gauss(0.0, 1.0), -limit, limit) * sigma


def below(rng: random.Random, n: int) -> int:
    """A uniform integer in [0, n): ``randrange`` without its argument checks, for hot loops."""
    return int(rng.random() * n)


class Clock:
    """Times as whole seconds after ``origin`` (local time), formatted without datetime math.

    Generators work in integer seconds, which are cheap to add and compare, and turn
    them into 'YYYY-MM-DD HH:MM:SS' text only when a row is written.
    """

    def __init__(self, origin: datetime, days: int):
        self.origin = origin
        self.dates = [f"{origin + timedelta(days=day):%Y-%m-%d}" for day in range(days)]

    def seconds(self, moment: datetime) -> int:
        return int((moment - self.origin).total_seconds())

    def stamp(self, seconds: int) -> str:
        if seconds < 0:
            raise ValueError(f"{seconds} s is before the clock's origin {self.origin}")
        day, rest = divmod(int(seconds), 86400)
        hour, rest = divmod(rest, 3600)
        return f"{self.dates[day]} {hour:02d}:{rest // 60:02d}:{rest % 60:02d}"


def month_starts(first: datetime, count: int) -> list[datetime]:
    """The first day of ``count`` consecutive months from ``first``, plus the month after."""
    months = []
    year, month = first.year, first.month
    for _ in range(count + 1):
        months.append(datetime(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


#: (district code, district, street) for every street in the demo org tree.
STREETS: list[tuple[str, str, str]] = [
    (code, district, street) for code, district, streets in DISTRICTS for street in streets
]
#: (district code, district name) in GB/T 2260 order.
DISTRICT_NAMES: list[tuple[str, str]] = [(code, name) for code, name, _ in DISTRICTS]
