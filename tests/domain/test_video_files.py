"""Pure rules of lesson video files: the transcoded size, progress, WebVTT."""

import pytest

from app.domain.video_files import (
    ends_early,
    is_still_image_format,
    progress_percent,
    target_size,
)
from app.domain.webvtt import SubtitleProblem, check_webvtt


@pytest.mark.parametrize(("given", "expected"), [
    ((1920, 1080, 0, 1.0), (1280, 720)),
    ((3840, 2160, 0, 1.0), (1280, 720)),
    ((1280, 720, 0, 1.0), (1280, 720)),
    ((640, 360, 0, 1.0), (640, 360)),  # never enlarged
    ((321, 241, 0, 1.0), (320, 240)),  # even for 4:2:0
    ((1920, 1080, 90, 1.0), (720, 1280)),  # a phone held upright
    ((1080, 1920, 0, 1.0), (720, 1280)),
    ((720, 576, 0, 64 / 45), (1024, 576)),  # PAL widescreen's wide pixels
])
def test_the_target_size_is_at_most_720p_as_displayed(given, expected):
    width, height, rotation, aspect = given
    assert target_size(width, height, rotation=rotation, sample_aspect=aspect) == expected


def test_progress_stays_below_100_until_the_end_and_truncation_is_seen():
    assert progress_percent(1.5, 3.0) == 50
    assert progress_percent(3.5, 3.0) == 99 and progress_percent(1, 0) == 0
    assert ends_early(2.0, 6.0) and not ends_early(5.9, 6.0) and not ends_early(0.5, 1.2)
    assert is_still_image_format("jpeg_pipe") and is_still_image_format("image2")
    assert not is_still_image_format("mov,mp4,m4a,3gp,3g2,mj2")


def test_webvtt_with_notes_identifiers_and_hours_is_accepted():
    text = ("\ufeffWEBVTT - 第一课\r\n\r\nNOTE 讲稿\r\n\r\nintro\r\n00:00.000 --> 00:02.000 "
            "align:start\r\n同志们好。\r\n\r\n01:00:00.000 --> 01:00:01.000\r\n结束。")
    checked = check_webvtt(text)
    assert len(checked.cues) == 2 and checked.text.startswith("WEBVTT - 第一课\n")
    assert "\r" not in checked.text and checked.text.endswith("结束。\n")


@pytest.mark.parametrize(("text", "reason", "line"), [
    ("1\n00:00:01,000 --> 00:00:02,000\nSRT\n", "header", 1),
    ("WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nSRT commas\n", "timing", 3),
    ("WEBVTT\n\n00:01.000 -> 00:02.000\nHello\n", "timing", 3),
    ("WEBVTT\n\nid\n00:01.000 --> 00:62.000\nHello\n", "timing", 4),
    ("WEBVTT\n\n00:02.000 --> 00:01.000\nbackwards\n", "backwards", 3),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\n", "cue_text", 3),
    ("WEBVTT\n\nNOTE only a note\n", "no_cues", 0),
])
def test_bad_webvtt_names_the_line(text, reason, line):
    with pytest.raises(SubtitleProblem) as problem:
        check_webvtt(text)
    assert (problem.value.reason, problem.value.line) == (reason, line)
