"""WebVTT subtitles: check a file (naming the line of the first problem) and read its cues,
for the player's tracks, the transcript panel and the course files."""

import re
from dataclasses import dataclass

_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t].*)?$")
_TAG = re.compile(r"<[^>]*>")


class SubtitleProblem(ValueError):
    """What is wrong with a subtitle file, and on which line (1-based; 0: the whole file)."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(f"{reason} (line {line})")
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Subtitles:
    text: str
    cues: tuple[Cue, ...]


def check_webvtt(text: str) -> Subtitles:
    """The file with Unix line ends and its cues, if it is WebVTT with at least one cue whose
    timings parse and run forward; else SubtitleProblem ("header", "timing", "backwards",
    "cue_text", "no_cues") naming the line."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise SubtitleProblem("header", 1)
    cues: list[Cue] = []
    number = 1
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        block_start = number
        while number < len(lines) and lines[number].strip():
            number += 1
        cue = _read_block(lines[block_start:number], block_start + 1)
        if cue is not None:
            cues.append(cue)
    if not cues:
        raise SubtitleProblem("no_cues", 0)
    return Subtitles(text=text.rstrip("\n") + "\n", cues=tuple(cues))


def _read_block(block: list[str], first_line: int) -> Cue | None:
    """The cue of a block; None for a comment, style or region block."""
    if re.match(r"^(NOTE|STYLE|REGION)(?:[ \t].*)?$", block[0]):
        return None
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
    words = " ".join(_TAG.sub("", line).strip() for line in block[timing_at + 1:]).strip()
    return Cue(start, end, words)


def _seconds(parts) -> float:
    hours, minutes, seconds, millis = parts
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000
