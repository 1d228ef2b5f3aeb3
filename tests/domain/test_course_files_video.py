"""Issue 19: course.yaml's hours_rule and the lessons' video and subtitles keys."""

from decimal import Decimal

import pytest

from app.domain.course_files import content_hash, parse_course_folder, serialize_course
from app.domain.course_files.media import MediaFile
from app.domain.vocabulary import HoursRule
from tests.domain.test_course_files import COURSE_YAML, PREFIX, folder, parse, problems

VIDEO_YAML = COURSE_YAML.replace("hours: 2.5\n", "hours_rule: video_length\n")


def test_hours_rule_defaults_to_the_declared_hours():
    spec = parse(folder())
    assert spec.hours_rule is HoursRule.DECLARED and spec.hours == Decimal("2.5")
    explicit = parse(folder(course_dot_yaml=COURSE_YAML.replace(
        "hours: 2.5\n", "hours: 2.5\nhours_rule: declared\n")))
    assert explicit == spec and content_hash(explicit) == content_hash(spec)


def test_video_length_needs_no_hours_and_round_trips():
    spec = parse(folder(course_dot_yaml=VIDEO_YAML))
    assert spec.hours_rule is HoursRule.VIDEO_LENGTH and spec.hours is None
    files = serialize_course(spec)
    text = files["course.yaml"].decode()
    assert "hours_rule: video_length\n" in text and "hours:" not in text
    assert text.index("areas:") < text.index("hours_rule:") < text.index("kind:")
    again = parse_course_folder(files, folder="TS101", prefix=PREFIX)
    assert again == spec and content_hash(again) == content_hash(spec)


def test_changing_the_rule_changes_the_content_hash():
    assert content_hash(parse(folder())) != content_hash(parse(folder(
        course_dot_yaml=VIDEO_YAML)))


@pytest.mark.parametrize(("yaml", "expected"), [
    (COURSE_YAML.replace("hours: 2.5\n", ""),
     "courses/TS101/course.yaml:1: missing required key 'hours' (or set hours_rule: "
     "video_length)"),
    (COURSE_YAML.replace("hours: 2.5\n", "hours_rule: declared\n"),
     "courses/TS101/course.yaml:1: missing required key 'hours' (or set hours_rule: "
     "video_length)"),
    (COURSE_YAML.replace("hours: 2.5\n", "hours: 2.5\nhours_rule: video_length\n"),
     "courses/TS101/course.yaml:6: hours are computed from the videos' length when "
     "hours_rule is video_length; remove hours"),
    (COURSE_YAML.replace("hours: 2.5\n", "hours: 2.5\nhours_rule: minutes\n"),
     "courses/TS101/course.yaml:7: unknown hours_rule 'minutes'; allowed: declared, "
     "video_length"),
])
def test_hours_rule_problems_name_their_line(yaml, expected):
    assert problems(folder(course_dot_yaml=yaml)) == [expected]


VTT_ZH = "WEBVTT\n\n00:00.000 --> 00:02.000\n大家好。\n"
VTT_EN = "WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n"
VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
VIDEO_LESSON = ("---\ntitle: 第二课 统计\nminutes: 45\nvideo: media/stats.mp4\n"
                "subtitles:\n  zh: media/stats.vtt\n  en: media/stats.en.vtt\n---\n\n正文。\n")


def video_folder(lesson=VIDEO_LESSON, **changes):
    return folder(**{"lessons__02-stats_dot_md": lesson, "media__stats_dot_mp4": VIDEO,
                     "media__stats_dot_vtt": VTT_ZH, "media__stats_dot_en_dot_vtt": VTT_EN,
                     **changes})


def test_a_lesson_names_its_video_and_subtitles():
    lesson = parse(video_folder()).lessons[1]
    assert lesson.video.path == "media/stats.mp4" and lesson.video.size == len(VIDEO)
    assert lesson.video.subtitles == (("en", "media/stats.en.vtt", VTT_EN),
                                      ("zh", "media/stats.vtt", VTT_ZH))
    assert lesson.body_markdown == "正文。"
    assert parse(folder()).lessons[1].video is None


def test_videos_need_not_be_read_into_memory():
    files = video_folder()
    del files["media/stats.mp4"]
    described = MediaFile(size=123_456_789, sha256="ab" * 32)
    spec = parse_course_folder(files, folder="TS101", prefix=PREFIX,
                               videos={"media/stats.mp4": described})
    assert spec.lessons[1].video.sha256 == "ab" * 32 and spec.lessons[1].video.size == 123_456_789


def test_a_video_lesson_may_have_no_text_and_round_trips():
    lesson = VIDEO_LESSON.replace("\n\n正文。\n", "\n")
    spec = parse(video_folder(lesson))
    assert spec.lessons[1].body_markdown == ""
    files = serialize_course(spec)
    assert files["lessons/02-stats.md"].decode() == (
        "---\ntitle: 第二课 统计\nminutes: 45\nvideo: media/stats.mp4\nsubtitles:\n"
        "  en: media/stats.en.vtt\n  zh: media/stats.vtt\n---\n")
    assert files["media/stats.vtt"].decode() == VTT_ZH and "media/stats.mp4" not in files
    again = parse_course_folder(files, folder="TS101", prefix=PREFIX,
                                videos={"media/stats.mp4": MediaFile.of(VIDEO)})
    assert again == spec and content_hash(again) == content_hash(spec)


def test_the_video_and_its_subtitles_are_content():
    plain, with_video = parse(folder()), parse(video_folder())
    assert content_hash(plain) != content_hash(with_video)
    other_video = parse(video_folder(media__stats_dot_mp4=VIDEO + b"\x01"))
    assert content_hash(other_video) != content_hash(with_video)
    longer = VTT_ZH + "\n00:03.000 --> 00:04.000\n好\n"
    other_text = parse(video_folder(media__stats_dot_vtt=longer))
    assert content_hash(other_text) != content_hash(with_video)
    # The file's name is not content: export renames it media/NN-slug.mp4.
    lesson = VIDEO_LESSON.replace("media/stats.mp4", "media/02-stats.mp4")
    renamed = parse(video_folder(lesson, **{"media__stats_dot_mp4": None,
                                            "media__02-stats_dot_mp4": VIDEO}))
    assert content_hash(renamed) == content_hash(with_video)


def test_the_course_hash_of_lessons_without_video_is_unchanged():
    # Pinned: a lesson without a video hashes as before videos existed (no version bump of
    # every course on the first import after this change): the hash main computed before.
    assert content_hash(parse(folder())) == (
        "876ca32819b3ad443f45b5c8ec89ff1603332c2f1c8c4e90d3db707c021c7534")


LESSON = "courses/TS101/lessons/02-stats.md"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("video: media/stats.mp4", "video: /srv/stats.mp4",
     ":4: video must be a path relative to the course folder (media/<file>), got '/srv/stats.mp4'"),
    ("video: media/stats.mp4", "video: media/../../etc/passwd.mp4",
     ":4: video must be a path relative to the course folder (media/<file>), got "
     "'media/../../etc/passwd.mp4'"),
    ("video: media/stats.mp4", "video: assets/stats.mp4",
     ":4: video must be a file directly in media/ (media/<file>), got 'assets/stats.mp4'"),
    ("video: media/stats.mp4", "video: media/sub/stats.mp4",
     ":4: video must be a file directly in media/ (media/<file>), got 'media/sub/stats.mp4'"),
    ("video: media/stats.mp4", "video: media/stats.avi",
     ":4: video type '.avi' is not allowed; use .mp4, .mov, .m4v, .webm, .mkv"),
    ("video: media/stats.mp4", "video: media/other.mp4",
     ":4: video media/other.mp4 not found: there is no such file in this course"),
    ("video: media/stats.mp4", "video: 3",
     ":4: video must be a path such as media/<file>, got the number 3"),
    ("  zh: media/stats.vtt", "  zh: media/stats.srt",
     ":6: subtitles.zh type '.srt' is not allowed; use .vtt"),
    ("  zh: media/stats.vtt", "  zh: media/missing.vtt",
     ":6: subtitles.zh media/missing.vtt not found: there is no such file in this course"),
    ("  en: media/stats.en.vtt", "  fr: media/stats.en.vtt",
     ":7: unknown subtitles language 'fr'; allowed: zh, en"),
    ("subtitles:\n  zh: media/stats.vtt\n  en: media/stats.en.vtt", "subtitles: media/stats.vtt",
     ":5: subtitles must be a mapping of language to file, such as {zh: media/intro.vtt}, "
     "got the text 'media/stats.vtt'"),
    ("video: media/stats.mp4\n", "",
     ":4: subtitles need a video: add video: media/<file> (or remove subtitles)"),
])
def test_video_and_subtitle_problems_name_their_line(old, new, expected):
    assert old in VIDEO_LESSON
    files = video_folder(VIDEO_LESSON.replace(old, new))
    found = problems(files)
    assert f"{LESSON}{expected}" in found, found


def test_subtitles_must_be_webvtt():
    found = problems(video_folder(media__stats_dot_vtt="1\n00:00:00,000 --> 00:00:02,000\n好\n"))
    assert found == [f"{LESSON}:6: subtitles.zh media/stats.vtt is not WebVTT: the file must "
                     "start with WEBVTT"]


def test_a_subtitle_cue_that_does_not_parse_is_named_by_its_line():
    broken = "WEBVTT\n\n00:00.000 --> 00:02.000\n大家好。\n\n00:05,000 --> 00:06.000\n再见。\n"
    found = problems(video_folder(media__stats_dot_vtt=broken))
    assert found == [f"{LESSON}:6: subtitles.zh media/stats.vtt line 6: expected a cue timing "
                     "such as 00:00:01.000 --> 00:00:04.000"]


def test_a_lesson_without_video_still_needs_text():
    found = problems(folder(**{"lessons__02-stats_dot_md": "---\ntitle: 二\nminutes: 5\n---\n"}))
    assert found == [f"{LESSON}:4: the lesson has no text after its front matter (only a lesson "
                     "with a video may have none)"]


@pytest.mark.parametrize(("path", "message"), [
    ("media/stats.txt", "media/ holds lesson videos (.mp4, .mov, .m4v, .webm, .mkv) and WebVTT "
                        "subtitles (.vtt), directly in media/"),
    ("media/sub/stats.mp4", "media/ holds lesson videos (.mp4, .mov, .m4v, .webm, .mkv) and "
                            "WebVTT subtitles (.vtt), directly in media/"),
    ("media/unused.mp4", "no lesson uses this file (name it in a lesson's video or subtitles)"),
])
def test_media_files_must_fit_and_be_used(path, message):
    files = video_folder()
    files[path] = VIDEO
    assert problems(files) == [f"courses/TS101/{path}: {message}"]
