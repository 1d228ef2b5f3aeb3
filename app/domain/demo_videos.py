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
