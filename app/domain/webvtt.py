"""WebVTT subtitles: read the cues (for the transcript panel) and say what is wrong with a
file that is not WebVTT, naming the line."""

import re
from dataclasses import dataclass

TIMING = re.compile(
    r"^(?P<start>(?:\d{2,}:)?\d{2}:\d{2}\.\d{3})\s+-->\s+(?P<end>(?:\d{2,}:)?\d{2}:\d{2}\.\d{3})"
    r"(?:\s+.*)?$")
TAG = re.compile(r"<[^>]*>")


class WebVttError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line, self.message = line, message


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def seconds(stamp: str) -> float:
    """"01:02.500" or "1:01:02.500" -> seconds."""
    parts = [float(p) for p in stamp.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    hours, minutes, secs = parts
    return hours * 3600 + minutes * 60 + secs


def parse_cues(text: str) -> list[Cue]:
    """The cues in order; raises WebVttError naming the first bad line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    if not lines or not (lines[0] == "WEBVTT" or lines[0].startswith(("WEBVTT ", "WEBVTT\t"))):
        raise WebVttError(1, "a WebVTT file starts with the line WEBVTT")
    cues: list[Cue] = []
    index = 1
    while index < len(lines):
        line = lines[index].strip()
        if not line or line.startswith(("NOTE", "STYLE", "REGION")):
            index = _skip_block(lines, index) if line else index + 1
            continue
        if "-->" not in line and index + 1 < len(lines) and "-->" in lines[index + 1]:
            index += 1  # a cue identifier
            line = lines[index].strip()
        match = TIMING.match(line)
        if match is None:
            raise WebVttError(index + 1, "expected a cue timing such as "
                                         "00:00:01.000 --> 00:00:04.000")
        start, end = seconds(match["start"]), seconds(match["end"])
        if end <= start:
            raise WebVttError(index + 1, "a cue must end after it starts")
        body_end = _skip_block(lines, index)
        words = " ".join(TAG.sub("", t).strip() for t in lines[index + 1:body_end]).strip()
        cues.append(Cue(start, end, words))
        index = body_end
    return cues


def _skip_block(lines: list[str], index: int) -> int:
    """The index of the blank line (or the end) after the block starting at ``index``."""
    while index < len(lines) and lines[index].strip():
        index += 1
    return index + 1 if index < len(lines) else index
