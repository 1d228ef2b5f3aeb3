"""Pure rules of lesson video files: the size a video is transcoded to, whether a probed
file is a video a lesson can play, and whether a subtitle file is WebVTT a browser reads."""


#: The processed video is at most 720p: its shorter side at most this many pixels.
MAX_SHORT_SIDE = 720
#: A "video" shorter than this is a still picture or a broken file.
MIN_SECONDS = 0.5
#: Languages of subtitle tracks.
SUBTITLE_LANGUAGES = ("zh", "en")
#: A subtitle file larger than this is not a lecture's subtitles.
MAX_SUBTITLE_BYTES = 1024 * 1024
#: ffprobe's names of containers holding one picture, not a video.
STILL_IMAGE_FORMATS = ("image2", "_pipe", "apng", "webp")


def target_size(width: int, height: int, *, rotation: int = 0,
                sample_aspect: float = 1.0) -> tuple[int, int]:
    """The width and height to transcode to: as displayed (rotation and non-square pixels
    applied), the shorter side at most 720, never enlarged, both even (H.264's 4:2:0)."""
    shown_w, shown_h = width * sample_aspect, float(height)
    if abs(rotation) % 180 == 90:
        shown_w, shown_h = shown_h, shown_w
    scale = min(1.0, MAX_SHORT_SIDE / min(shown_w, shown_h))
    return _even(shown_w * scale), _even(shown_h * scale)


def _even(value: float) -> int:
    return max(2, int(round(value)) // 2 * 2)


def is_still_image_format(format_name: str) -> bool:
    return any(part in format_name for part in STILL_IMAGE_FORMATS)


def progress_percent(out_time_seconds: float, duration_seconds: float) -> int:
    """ffmpeg's position in the output as a whole percentage, 99 at most until it ends."""
    if duration_seconds <= 0:
        return 0
    return max(0, min(99, int(out_time_seconds * 100 / duration_seconds)))


def ends_early(output_seconds: float, source_seconds: float) -> bool:
    """A transcoded video much shorter than its source declared: the source was cut off
    (a truncated upload whose index still claims the full length)."""
    return output_seconds < source_seconds * 0.9 - 1.0
