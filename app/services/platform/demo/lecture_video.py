"""A short lecture video made from a lesson's text, for the demo's video lessons.

The slides and sentences come from app.domain.lecture_script; each sentence is spoken by
espeak-ng's Mandarin voice, the slides are drawn with Pillow, and ffmpeg puts them together as
an H.264/AAC MP4 with the index at the front, plus WebVTT subtitles timed on the real speech.
The tools are Debian's ``ffmpeg`` and ``espeak-ng`` packages; ``lecture_tools_missing`` says
which are absent so a caller can say what to install instead of failing.
"""

import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from app.domain.lecture_script import Slide, lecture_slides, webvtt
from app.services.platform.demo.lecture_slides import cjk_font_path, render_slides

#: Each tool and the Debian package that installs it.
TOOLS = {"ffmpeg": "ffmpeg", "ffprobe": "ffmpeg", "espeak-ng": "espeak-ng"}
VOICE, WORDS_PER_MINUTE = "cmn", 170
SENTENCE_PAUSE = 0.3  # seconds of silence after each sentence
SLIDE_PAUSE = 0.7  # and a little more before the next slide
FRAMES_PER_SECOND = 5  # still images: a low rate keeps the file small and the encoding fast
TOOL_TIMEOUT = 120  # seconds; a whole lecture takes a few
STDERR_TAIL_LINES = 8


class LectureToolError(RuntimeError):
    """A tool failed or is missing; the message names it and ends with its stderr."""

    def __init__(self, tool: str, detail: str):
        super().__init__(f"{tool} failed while building the lecture video: {detail}")
        self.tool = tool


@dataclass(frozen=True)
class LectureFiles:
    video: Path  # MP4, H.264 and AAC
    subtitles_zh: Path  # WebVTT
    duration: float  # seconds


@dataclass(frozen=True)
class _Speech:
    wav: Path
    seconds: float


def lecture_tools_missing() -> list[str]:
    """The tools a lecture needs that are not on PATH (an empty list when it can be built)."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def build_lecture_video(markdown: str, title: str, out_dir: Path, *, course_title: str = "",
                        stem: str = "lecture", font_path: str = "") -> LectureFiles:
    """Write ``<stem>.mp4`` and ``<stem>.zh.vtt`` into ``out_dir`` and describe them.

    ``markdown`` is a lesson body (front matter is skipped if present), ``title`` the lesson's
    title for the opening slide, ``course_title`` the footer (the lesson title when empty).
    The same lesson always gives the same paths; existing files are replaced whole.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    slides = lecture_slides(title, markdown)
    font = cjk_font_path(font_path)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=f".{stem}-work-") as work_name:
        work = Path(work_name)
        images = render_slides(slides, course_title or title, work, font)
        speech = [[_speak(sentence, work / f"s{n:02d}-{i:02d}.wav")
                   for i, sentence in enumerate(slide.narration)]
                  for n, slide in enumerate(slides, start=1)]
        narration, slide_seconds, segments = _join_narration(slides, speech, work)
        duration = sum(slide_seconds)
        video = out_dir / f"{stem}.mp4"
        _compose(images, slide_seconds, narration, duration, video, work)
    subtitles = out_dir / f"{stem}.zh.vtt"
    _replace_text(subtitles, webvtt(segments))
    return LectureFiles(video=video, subtitles_zh=subtitles, duration=round(duration, 3))


def _speak(sentence: str, wav: Path) -> _Speech:
    # The text goes in on stdin so a sentence starting with "-" is never read as an option.
    _run(["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-b", "1", "-w", str(wav),
          "--stdin"], stdin=sentence)
    with wave.open(str(wav), "rb") as audio:
        return _Speech(wav, audio.getnframes() / audio.getframerate())


def _join_narration(slides: list[Slide], speech: list[list[_Speech]], work: Path):
    """One WAV of every sentence with pauses, each slide's seconds and the timed sentences.

    Time is counted in audio frames, so the slides and subtitles follow the sound exactly.
    """
    joined = work / "narration.wav"
    slide_seconds: list[float] = []
    segments: list[tuple[str, float, float]] = []
    with wave.open(str(joined), "wb") as out:
        params, frames = None, 0
        for slide, spoken in zip(slides, speech, strict=True):
            slide_start = frames
            for index, (sentence, part) in enumerate(zip(slide.narration, spoken, strict=True)):
                with wave.open(str(part.wav), "rb") as audio:
                    if params is None:
                        params = audio.getparams()
                        out.setparams(params)
                    elif audio.getparams()[:3] != params[:3]:
                        raise LectureToolError("espeak-ng", "the sentences came out in "
                                                            "different audio formats")
                    spoken_frames = audio.getnframes()
                    out.writeframes(audio.readframes(spoken_frames))
                segments.append((sentence, frames / params.framerate,
                                 (frames + spoken_frames) / params.framerate))
                pause = round(params.framerate * (
                    SENTENCE_PAUSE + (SLIDE_PAUSE if index == len(spoken) - 1 else 0)))
                out.writeframes(b"\x00" * (pause * params.sampwidth * params.nchannels))
                frames += spoken_frames + pause
            slide_seconds.append((frames - slide_start) / params.framerate)
    return joined, slide_seconds, segments


def _compose(images: list[Path], slide_seconds: list[float], narration: Path, duration: float,
             video: Path, work: Path) -> None:
    """Each image for its slide's seconds (the concat demuxer) with the narration as AAC."""
    listing = work / "slides.ffconcat"
    entries = [f"file '{image.name}'\nduration {seconds:.3f}"
               for image, seconds in zip(images, slide_seconds, strict=True)]
    # The demuxer ignores the last entry's duration unless the file is listed once more.
    entries.append(f"file '{images[-1].name}'")
    listing.write_text("ffconcat version 1.0\n" + "\n".join(entries) + "\n", encoding="utf-8")
    partial = work / "lecture.mp4"
    _run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
          "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(narration),
          "-map", "0:v:0", "-map", "1:a:0",
          "-vf", f"fps={FRAMES_PER_SECOND},format=yuv420p",
          "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "26",
          "-c:a", "aac", "-b:a", "64k", "-ac", "1",
          "-t", f"{duration:.3f}", "-movflags", "+faststart", "-f", "mp4", str(partial)])
    os.replace(partial, video)


def _replace_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _run(command: list[str], stdin: str | None = None) -> None:
    tool = command[0]
    try:
        result = subprocess.run(command, input=stdin, capture_output=True, text=True,
                                timeout=TOOL_TIMEOUT, check=False)
    except FileNotFoundError:
        raise LectureToolError(tool, f"{tool} is not installed (apt-get install "
                                     f"{TOOLS.get(tool, tool)})") from None
    except subprocess.TimeoutExpired:
        raise LectureToolError(tool, f"no result after {TOOL_TIMEOUT} s") from None
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-STDERR_TAIL_LINES:])
        raise LectureToolError(tool, f"exit status {result.returncode}: {tail or 'no output'}")
