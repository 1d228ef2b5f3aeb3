"""Medians of the rounds and the Markdown table for benchmarks/README.md."""

import datetime
import os
import platform
import statistics
from dataclasses import dataclass

from benchmarks.load.wrk import RoundResult


@dataclass(frozen=True)
class RowSummary:
    label: str
    rate: float  # median req/s of the rounds
    p50_ms: float
    p95_ms: float
    ratio: float | None  # median of each round's req/s over the /healthz req/s next to it
    healthz_rate: float | None
    errors: int  # over every round
    exhausted: int  # submits that found no prepared attempt left (counted in errors)
    seconds: list[float]  # each round's length


def summarise(label: str, rounds: list[tuple[RoundResult | None, RoundResult]]) -> RowSummary:
    """Medians over rounds of (the /healthz round next to it or None, the row's round)."""
    rows = [r for _, r in rounds]
    ratios = [r.rate / h.rate for h, r in rounds if h is not None and h.rate]
    healthz = [h.rate for h, _ in rounds if h is not None]
    return RowSummary(
        label=label, rate=statistics.median(r.rate for r in rows),
        p50_ms=statistics.median(r.p50_ms for r in rows),
        p95_ms=statistics.median(r.p95_ms for r in rows),
        ratio=statistics.median(ratios) if ratios else None,
        healthz_rate=statistics.median(healthz) if healthz else None,
        errors=sum(r.error_count for r in rows),
        exhausted=sum(r.errors["exhausted"] for r in rows),
        seconds=[r.seconds for r in rows])


def format_number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def format_ratio(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}" if value >= 0.001 else f"{value:.4f}"


def table(rows: list[RowSummary]) -> str:
    lines = ["| request | req/s | p50 / p95 ms | ratio to /healthz | errors |",
             "|---|---|---|---|---|"]
    for row in rows:
        errors = f"{row.errors:,}"
        if row.exhausted:
            errors += f" ({row.exhausted:,} found no attempt left)"
        lines.append(f"| {row.label} | {format_number(row.rate)} | {format_number(row.p50_ms)} / "
                     f"{format_number(row.p95_ms)} | {format_ratio(row.ratio)} | {errors} |")
    return "\n".join(lines)


def machine(dataset: dict[str, str]) -> str:
    """One paragraph: date, cores, memory, database version, data-set counts."""
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    counts = ", ".join(f"{k} {v}" for k, v in dataset.items() if k != "database")
    return (f"{datetime.date.today().isoformat()}, {platform.machine()} with "
            f"{len(os.sched_getaffinity(0))} cores (nproc), {pages / 2**30:.1f} GiB memory, "
            f"{dataset['database']}; data set: {counts}.")
