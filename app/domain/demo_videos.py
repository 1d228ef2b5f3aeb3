"""Which shipped lessons the demo shows as video lessons (issue 19, part 7).

Their lecture videos are generated from the lessons' own text (slides, Mandarin narration and
subtitles; app.services.platform.demo.lecture_video), not committed: the demo builds them when
ffmpeg and espeak-ng are installed. Both are first lessons of the city plan's required courses
(app.domain.demo_study.DEMO_STUDY), so most demo cadres meet them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLecture:
    course_code: str
    lesson_number: int

    @property
    def folder(self) -> str:
        """Where its files go under the demo videos folder, e.g. ``DC101-01``."""
        return f"{self.course_code}-{self.lesson_number:02d}"


DEMO_LECTURES = (DemoLecture("DC101", 1), DemoLecture("SE220", 1))


#: Share of the cadres enrolled in a demo lecture's course who have watched some of it.
VIEWER_SHARE = 0.4
#: Of those, the share who watched to the end; the others stopped somewhere along the way,
#: more of them early than late (audience retention falls off in the first minutes).
FINISHER_SHARE = 0.65
#: The player's report interval, in seconds, as in the browser.
REPORT_SECONDS = 15


def demo_stop_point(rng, duration: float) -> float:
    """Where one demo viewer stopped watching (seconds into the video)."""
    if rng.random() < FINISHER_SHARE:
        return duration
    return round(duration * min(rng.random(), rng.random()), 1)


def report_windows(stop: float) -> list[tuple[float, float]]:
    """The windows a player reports while playing from the start to ``stop``."""
    windows, start = [], 0.0
    while start < stop:
        end = min(start + REPORT_SECONDS, stop)
        windows.append((start, end))
        start = end
    return windows
