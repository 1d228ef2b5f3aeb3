"""Credit hours from a course's total video length, by the buckets an admin sets.

One published rule of a provincial cadre online academy (docs/video.md): a course of 30
minutes of video or more earns 1 学时, one of more than 15 and under 30 minutes 0.5, a
micro-course of 15 minutes or less 0.25, and passing its test another 0.5.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class HoursBuckets:
    long_min_minutes: int = 30
    long_hours: Decimal = Decimal("1")
    middle_hours: Decimal = Decimal("0.5")
    short_max_minutes: int = 15
    short_hours: Decimal = Decimal("0.25")
    test_bonus_hours: Decimal = Decimal("0.5")

    def problems(self) -> list[str]:
        """What makes these buckets unusable, in English message ids (empty when fine)."""
        found = []
        if not 0 < self.short_max_minutes < self.long_min_minutes:
            found.append("The micro-course limit must be below the long-course limit.")
        if min(self.long_hours, self.middle_hours, self.short_hours) <= 0:
            found.append("Every bucket must earn more than 0 hours.")
        if not self.short_hours <= self.middle_hours <= self.long_hours:
            found.append("Longer courses may not earn fewer hours than shorter ones.")
        if self.test_bonus_hours < 0:
            found.append("The test bonus may not be negative.")
        return found


def hours_by_video_length(total_seconds: float, *, has_graded_test: bool,
                          buckets: HoursBuckets) -> Decimal:
    """The hours a course earns for its videos' total length (a course without a ready
    video yet counts as a micro-course), plus the bonus when it has a graded test."""
    minutes = Decimal(str(total_seconds)) / 60
    if minutes >= buckets.long_min_minutes:
        hours = buckets.long_hours
    elif minutes <= buckets.short_max_minutes:
        hours = buckets.short_hours
    else:
        hours = buckets.middle_hours
    if has_graded_test:
        hours += buckets.test_bonus_hours
    return hours.quantize(Decimal("0.01"))
