"""Pure rules of lesson video files: the size a video is transcoded to, whether a probed
file is a video a lesson can play, and whether a subtitle file is WebVTT a browser reads."""

import re
from dataclasses import dataclass

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


# --- WebVTT ------------------------------------------------------------------------------

_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t].*)?$")


class SubtitleProblem(ValueError):
    """What is wrong with a subtitle file, and on which line (1-based; 0: the whole file)."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(f"{reason} (line {line})")
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Subtitles:
    text: str
    cues: int


def check_webvtt(text: str) -> Subtitles:
    """The file with Unix line ends if it is WebVTT with at least one cue whose timings
    parse and run forward; else SubtitleProblem ("header", "timing", "backwards", "cue_text",
    "no_cues") naming the line."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise SubtitleProblem("header", 1)
    cues, number = 0, 1
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        block_start = number
        while number < len(lines) and lines[number].strip():
            number += 1
        cues += _check_block(lines[block_start:number], block_start + 1)
    if not cues:
        raise SubtitleProblem("no_cues", 0)
    return Subtitles(text=text.rstrip("\n") + "\n", cues=cues)


def _check_block(block: list[str], first_line: int) -> int:
    """1 for a cue, 0 for a comment, style or region block."""
    if re.match(r"^(NOTE|STYLE|REGION)(?:[ \t].*)?$", block[0]):
        return 0
    timing_at = 0 if "-->" in block[0] else 1
    if timing_at >= len(block) or "-->" not in block[timing_at]:
        # No timing line: most likely the first line is one, misspelt ("->", ",000").
        raise SubtitleProblem("timing", first_line)
    match = _TIMING.match(block[timing_at].strip())
    if match is None:
        raise SubtitleProblem("timing", first_line + timing_at)
    start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
    if end <= start:
        raise SubtitleProblem("backwards", first_line + timing_at)
    if timing_at + 1 >= len(block):
        raise SubtitleProblem("cue_text", first_line + timing_at)
    return 1


def _seconds(parts) -> float:
    hours, minutes, seconds, millis = parts
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000
