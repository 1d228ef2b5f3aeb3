"""The video part of the lesson page: the player's state and the transcript."""

from dataclasses import dataclass

from app.domain.webvtt import Cue, SubtitleProblem, check_webvtt
from app.models import LessonVideo, User
from app.services.video.hours import complete_percent
from app.services.video.watching import WatchState, describe_video_watch


@dataclass(frozen=True)
class VideoPanel:
    video: LessonVideo
    #: The viewer's standing; None when previewing without an enrollment (nothing recorded).
    watch: WatchState | None
    transcript: list[Cue]
    complete_percent: int

    @property
    def languages(self) -> list[str]:
        return [s.language for s in self.video.subtitles]


def lesson_video_panel(view, actor: User) -> VideoPanel | None:
    """For app.services.learning.course_page.LessonView: None when the lesson has no video."""
    video = view.lesson.video
    if video is None:
        return None
    watch = describe_video_watch(video, actor) if view.enrollment and video.is_ready else None
    return VideoPanel(video, watch, _transcript(video), complete_percent())


def _transcript(video: LessonVideo) -> list[Cue]:
    """The first subtitle track's cues (Chinese first); none when it does not parse."""
    for track in sorted(video.subtitles, key=lambda s: s.language != "zh"):
        try:
            return list(check_webvtt(track.vtt).cues)
        except SubtitleProblem:
            continue
    return []
