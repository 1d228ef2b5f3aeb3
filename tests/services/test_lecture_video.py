import json
import re
import subprocess
import wave

import pytest

from app.services.platform.demo import lecture_video
from app.services.platform.demo.lecture_video import (
    LectureToolError,
    build_lecture_video,
    lecture_tools_missing,
)

MISSING = lecture_tools_missing()
needs_tools = pytest.mark.skipif(
    bool(MISSING), reason=f"{', '.join(MISSING)} not installed (apt-get install ffmpeg espeak-ng)")

LESSON = """## 学习目标

- 了解数据分类分级的意义；
- 会给一张表定级。

## 一、为什么要分级

数据越来越多，保护要有重点。分级就是回答这个问题的方法。

## 小结

- 先分类，再分级；
- 个人信息单独识别。
"""

CUE = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")


def _seconds(h, m, s, ms):
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def _probe(path):
    result = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                             "format=duration:stream=codec_type,codec_name,width,height,pix_fmt",
                             "-of", "json", str(path)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def _cue_times(vtt_text):
    lines = vtt_text.split("\n")
    assert lines[0] == "WEBVTT"
    times = []
    for line in lines:
        match = CUE.match(line)
        if match:
            times.append((_seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])))
    return times


@needs_tools
def test_a_lecture_is_an_h264_aac_mp4_as_long_as_its_narration_with_subtitles(tmp_path,
                                                                              monkeypatch):
    spoken = []
    speak = lecture_video._speak

    def recording_speak(sentence, wav):
        speech = speak(sentence, wav)
        with wave.open(str(wav), "rb") as audio:
            spoken.append(audio.getnframes() / audio.getframerate())
        return speech

    monkeypatch.setattr(lecture_video, "_speak", recording_speak)
    files = build_lecture_video(LESSON, "第一课 数据分类分级", tmp_path / "out",
                                course_title="SE220 数据安全")

    assert files.video == tmp_path / "out" / "lecture.mp4"
    assert files.subtitles_zh == tmp_path / "out" / "lecture.zh.vtt"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["lecture.mp4",
                                                                    "lecture.zh.vtt"]
    probe = _probe(files.video)
    streams = {s["codec_type"]: s for s in probe["streams"]}
    assert streams["video"]["codec_name"] == "h264"
    assert streams["video"]["pix_fmt"] == "yuv420p"
    assert (streams["video"]["width"], streams["video"]["height"]) == (1280, 720)
    assert streams["audio"]["codec_name"] == "aac"
    duration = float(probe["format"]["duration"])
    # The narration plus its pauses (0.3 s a sentence, 0.7 s more a slide) is the whole video.
    pauses = len(spoken) * lecture_video.SENTENCE_PAUSE + 4 * lecture_video.SLIDE_PAUSE
    assert abs(duration - (sum(spoken) + pauses)) < 1.0
    assert abs(duration - files.duration) < 0.5
    assert 10 < sum(spoken) < duration

    cues = _cue_times(files.subtitles_zh.read_text(encoding="utf-8"))
    assert len(cues) >= len(spoken) > 0
    assert all(start < end for start, end in cues)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(cues, cues[1:], strict=False))
    assert cues[-1][1] <= duration + 0.5


@needs_tools
def test_building_again_replaces_the_files_at_the_same_paths(tmp_path):
    first = build_lecture_video(LESSON, "课", tmp_path, stem="SE220-01")
    second = build_lecture_video(LESSON, "课", tmp_path, stem="SE220-01")
    assert (first.video, first.subtitles_zh) == (second.video, second.subtitles_zh)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["SE220-01.mp4", "SE220-01.zh.vtt"]


def test_missing_tools_are_named(monkeypatch):
    monkeypatch.setattr(lecture_video.shutil, "which",
                        lambda tool: None if tool == "espeak-ng" else f"/usr/bin/{tool}")
    assert lecture_tools_missing() == ["espeak-ng"]


@needs_tools
def test_a_failing_tool_is_named_with_the_end_of_its_error_output():
    with pytest.raises(LectureToolError) as error:
        lecture_video._run(["ffmpeg", "-hide_banner", "-i", "/nonexistent/input.mp4"])
    assert error.value.tool == "ffmpeg"
    assert "ffmpeg failed" in str(error.value)
    assert "/nonexistent/input.mp4" in str(error.value)


def test_a_tool_that_is_not_installed_says_what_to_install(monkeypatch):
    def not_found(*args, **kwargs):
        raise FileNotFoundError("espeak-ng")

    monkeypatch.setattr(lecture_video.subprocess, "run", not_found)
    with pytest.raises(LectureToolError, match=r"espeak-ng is not installed \(apt-get install "
                                               r"espeak-ng\)"):
        lecture_video._run(["espeak-ng", "--version"])
