"""Issue 19: course.yaml's hours_rule and the lessons' video and subtitles keys."""

from decimal import Decimal

import pytest

from app.domain.course_files import content_hash, parse_course_folder, serialize_course
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
