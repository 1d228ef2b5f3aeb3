"""Course folders as plain values: every rule, with the line each problem points at."""

from decimal import Decimal

import pytest

from app.domain.course_files import (
    CourseSpec,
    LessonSpec,
    Problem,
    check_prerequisites,
    content_hash,
    parse_course_folder,
    serialize_course,
)
from app.domain.vocabulary import CompetencyArea, CourseKind, CourseStatus, CourseTier, Rank

PREFIX = "courses/TS101"
COURSE_YAML = """\
code: TS101
title: 测试课程
summary: 一门用于测试的课程。
tier: foundation
areas: [data, governance]
hours: 2.5
kind: required
status: draft
audience:
  ranks: [staff, grassroots]
  categories: []
prerequisites: [DC101]
"""
LESSON_1 = "---\ntitle: 第一课 读表\nminutes: 30\n---\n\n## 学习目标\n\n读懂一张表。\n"
LESSON_2 = "---\ntitle: 第二课 统计\nminutes: 45\n---\n\n正文。\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def folder(**changes) -> dict[str, bytes]:
    """The valid TS101 folder; keyword names are paths with / written as __ (None removes)."""
    files = {"course.yaml": COURSE_YAML, "lessons/01-intro.md": LESSON_1,
             "lessons/02-stats.md": LESSON_2}
    for key, value in changes.items():
        path = key.replace("__", "/").replace("_dot_", ".")
        if value is None:
            files.pop(path, None)
        else:
            files[path] = value
    return {path: data.encode() if isinstance(data, str) else data
            for path, data in files.items()}


def with_yaml(old: str, new: str) -> dict[str, bytes]:
    assert old in COURSE_YAML
    return folder(course_dot_yaml=COURSE_YAML.replace(old, new))


def problems(files: dict[str, bytes], name: str = "TS101") -> list[str]:
    result = parse_course_folder(files, folder=name, prefix=PREFIX)
    assert isinstance(result, list), "expected problems, got a spec"
    return [str(problem) for problem in result]


def parse(files: dict[str, bytes]) -> CourseSpec:
    result = parse_course_folder(files, folder="TS101", prefix=PREFIX)
    assert isinstance(result, CourseSpec), [str(p) for p in result]
    return result


def test_valid_folder_gives_the_spec():
    spec = parse(folder())
    assert (spec.code, spec.title, spec.summary) == ("TS101", "测试课程", "一门用于测试的课程。")
    assert spec.tier is CourseTier.FOUNDATION and spec.kind is CourseKind.REQUIRED
    assert spec.areas == [CompetencyArea.DATA, CompetencyArea.GOVERNANCE]
    assert spec.hours == Decimal("2.5") and spec.status is CourseStatus.DRAFT
    assert spec.audience_ranks == [Rank.STAFF, Rank.GRASSROOTS] and spec.audience_categories == []
    assert spec.prerequisites == ["DC101"] and spec.prerequisite_lines == {"DC101": 12}
    assert spec.source_file == "courses/TS101/course.yaml"
    assert spec.lessons[0] == LessonSpec(number=1, slug="intro", title="第一课 读表", minutes=30,
                                         body_markdown="## 学习目标\n\n读懂一张表。",
                                         path="lessons/01-intro.md")
    assert [lesson.number for lesson in spec.lessons] == [1, 2]


def test_optional_keys_default():
    text = COURSE_YAML.split("status:")[0]
    spec = parse(folder(course_dot_yaml=text))
    assert spec.status is CourseStatus.PUBLISHED
    assert (spec.audience_ranks, spec.audience_categories, spec.prerequisites) == ([], [], [])


def test_windows_line_ends_and_bom_are_accepted():
    spec = parse(folder(course_dot_yaml=("\ufeff" + COURSE_YAML).replace("\n", "\r\n"),
                        lessons__01_intro_dot_md=None,
                        **{"lessons__01-intro_dot_md": LESSON_1.replace("\n", "\r\n")}))
    assert spec.lessons[0].body_markdown == "## 学习目标\n\n读懂一张表。"


def test_missing_course_yaml():
    assert problems(folder(course_dot_yaml=None)) == [
        "courses/TS101/course.yaml: course.yaml is missing"]


def test_yaml_syntax_error_reports_its_line():
    found = problems(with_yaml("tier: foundation", "tier: [foundation"))
    assert found[0].startswith("courses/TS101/course.yaml:5: invalid YAML: ")
    assert "started on line 4" in found[0]


def test_course_yaml_must_be_a_mapping():
    assert problems(folder(course_dot_yaml="- code\n- title\n")) == [
        "courses/TS101/course.yaml:1: course.yaml must be a mapping of keys "
        "(code: ..., title: ..., ...)"]


def test_unknown_duplicate_and_missing_keys():
    text = COURSE_YAML.replace("kind: required\n", "colour: red\n").replace(
        "status: draft", "status: draft\ntitle: 又一个标题")
    found = problems(folder(course_dot_yaml=text))
    assert "courses/TS101/course.yaml:9: duplicate key 'title'" in found
    assert any(p.startswith("courses/TS101/course.yaml:7: unknown key 'colour' (allowed: code,")
               for p in found)
    assert "courses/TS101/course.yaml:1: missing required key 'kind'" in found


def test_unknown_audience_key_is_reported_with_its_path():
    found = problems(with_yaml("  categories: []", "  units: []"))
    assert found == ["courses/TS101/course.yaml:11: unknown key 'audience.units' "
                     "(allowed: ranks, categories)"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title: 测试课程", "title: 2024",
     "courses/TS101/course.yaml:2: title must be text, got the number 2024 (put it in quotes)"),
    ("title: 测试课程", "title: ''", "courses/TS101/course.yaml:2: title must not be empty"),
    ("hours: 2.5", "hours: four",
     "courses/TS101/course.yaml:6: hours must be a number such as 4 or 4.5, got the text 'four'"),
    ("hours: 2.5", "hours: 2.25", "courses/TS101/course.yaml:6: hours must be more than 0, "
                                  "at most 1000 and a multiple of 0.5, got 2.25"),
    ("hours: 2.5", "hours: 0", "courses/TS101/course.yaml:6: hours must be more than 0, "
                               "at most 1000 and a multiple of 0.5, got 0"),
    ("hours: 2.5", "hours: true", "courses/TS101/course.yaml:6: hours must be a number such as "
                                  "4 or 4.5, got true/false (true)"),
    ("areas: [data, governance]", "areas: data", "courses/TS101/course.yaml:5: areas must be a "
                                                 "list such as [mindset], got the text 'data'"),
    ("areas: [data, governance]", "areas: []", "courses/TS101/course.yaml:5: areas must name "
     "at least one of: mindset, data, governance, security, application"),
    ("areas: [data, governance]", "areas: [data, data]",
     "courses/TS101/course.yaml:5: area data is listed twice"),
    ("audience:\n  ranks: [staff, grassroots]\n  categories: []", "audience: everyone",
     "courses/TS101/course.yaml:9: audience must be a mapping with ranks and categories, "
     "got the text 'everyone'"),
])
def test_wrong_values_report_the_line_of_the_key(old, new, expected):
    assert problems(with_yaml(old, new)) == [expected]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("tier: foundation", "tier: expert", "courses/TS101/course.yaml:4: unknown tier 'expert'; "
                                         "allowed: foundation, intermediate, advanced"),
    ("kind: required", "kind: optional", "courses/TS101/course.yaml:7: unknown kind 'optional'; "
                                         "allowed: required, elective"),
    ("status: draft", "status: live", "courses/TS101/course.yaml:8: unknown status 'live'; "
                                      "allowed: draft, published, archived"),
    ("areas: [data, governance]", "areas:\n  - data\n  - citizen",
     "courses/TS101/course.yaml:7: unknown area 'citizen'; "
     "allowed: mindset, data, governance, security, application"),
    ("ranks: [staff, grassroots]", "ranks: [staff, mayor]",
     "courses/TS101/course.yaml:10: unknown rank 'mayor'; "
     "allowed: bureau, division, section, staff, grassroots"),
    ("categories: []", "categories: [farming]",
     "courses/TS101/course.yaml:11: unknown category 'farming'; allowed: administration, "
     "economy, social_governance, urban_emergency, public_service"),
])
def test_unknown_vocabulary_names_the_value_and_the_allowed_ones(old, new, expected):
    assert problems(with_yaml(old, new)) == [expected]


@pytest.mark.parametrize(("code", "message"), [
    ("TS102", "code TS102 does not match the folder name TS101"),
    ("ts101", "code must be 2-4 capital letters and 3 digits (e.g. DA110), got the text 'ts101'"),
    ("TESTS101", "code must be 2-4 capital letters and 3 digits (e.g. DA110), "
                 "got the text 'TESTS101'"),
])
def test_code_must_match_the_folder_and_the_pattern(code, message):
    assert problems(with_yaml("code: TS101", f"code: {code}")) == [
        f"courses/TS101/course.yaml:1: {message}"]


@pytest.mark.parametrize(("value", "message"), [
    ("[TS101]", "courses/TS101/course.yaml:12: a course cannot be its own prerequisite (TS101)"),
    ("[dc101]", "courses/TS101/course.yaml:12: prerequisite the text 'dc101' is not a course "
                "code (2-4 capital letters and 3 digits)"),
    ("\n  - DC101\n  - DA110\n  - DC101",
     "courses/TS101/course.yaml:15: prerequisite DC101 is listed twice"),
    ("DC101", "courses/TS101/course.yaml:12: prerequisites must be a list of course codes such "
              "as [DC101], got the text 'DC101'"),
])
def test_prerequisite_rules(value, message):
    assert problems(with_yaml("prerequisites: [DC101]", f"prerequisites: {value}")) == [message]


def test_prerequisites_are_sorted_and_keep_their_lines():
    spec = parse(with_yaml("prerequisites: [DC101]", "prerequisites:\n  - GV210\n  - DA110"))
    assert spec.prerequisites == ["DA110", "GV210"]
    assert spec.prerequisite_lines == {"GV210": 13, "DA110": 14}


# --- lessons ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["lessons/1-intro.md", "lessons/03-Intro.md",
                                  "lessons/03_intro.md", "lessons/03-intro.txt",
                                  "lessons/extra/03-intro.md"])
def test_lesson_file_names_must_fit(path):
    files = folder()
    files[path] = LESSON_2.encode()
    assert problems(files) == [f"courses/TS101/{path}: lesson files are named lessons/NN-slug.md:"
                               " NN from 01, slug of a-z, 0-9 and -"]


def test_lesson_without_front_matter():
    assert problems(folder(**{"lessons__02-stats_dot_md": "# 第二课\n\n正文。\n"})) == [
        "courses/TS101/lessons/02-stats.md:1: a lesson starts with front matter: a '---' line, "
        "'title: ...' and 'minutes: ...', then another '---' line"]


def test_front_matter_not_closed():
    assert problems(folder(**{"lessons__02-stats_dot_md": "---\ntitle: 第二课\nminutes: 5\n"})) \
        == ["courses/TS101/lessons/02-stats.md:1: front matter is not closed by a '---' line"]


@pytest.mark.parametrize(("front", "message"), [
    ("minutes: 30", ":2: missing required key 'title'"),
    ("title: ''\nminutes: 30", ":2: title must not be empty"),
    ("title: 第二课\nminutes: 0", ":3: minutes must be a whole number from 1 to 600, "
                                 "got the number 0"),
    ("title: 第二课\nminutes: '30'", ":3: minutes must be a whole number from 1 to 600, "
                                    "got the text '30'"),
    ("title: 第二课\nminutes: 30\nauthor: 王", ":4: unknown key 'author' (allowed: title, "
                                              "minutes, video, subtitles)"),
    ("title: 第二课\nminutes: [30", ":3: invalid YAML: expected ',' or ']', but got '<stream "
                                   "end>'"),
])
def test_front_matter_rules(front, message):
    found = problems(folder(**{"lessons__02-stats_dot_md": f"---\n{front}\n---\n\n正文。\n"}))
    assert found == [f"courses/TS101/lessons/02-stats.md{message}"]


def test_lesson_body_must_not_be_empty():
    assert problems(folder(**{"lessons__02-stats_dot_md": "---\ntitle: 二\nminutes: 5\n---\n\n"})) \
        == ["courses/TS101/lessons/02-stats.md:4: the lesson has no text after its front matter "
            "(only a lesson with a video may have none)"]


def test_duplicate_lesson_number_is_reported_on_the_second_file():
    files = folder(**{"lessons__02-zeta_dot_md": LESSON_2})
    assert problems(files) == ["courses/TS101/lessons/02-zeta.md: lesson number 02 is already "
                               "used by lessons/02-stats.md"]


def test_lesson_numbers_must_not_leave_gaps():
    files = folder(**{"lessons__02-stats_dot_md": None, "lessons__03-more_dot_md": LESSON_2})
    assert problems(files) == ["courses/TS101/lessons/03-more.md: lesson number 03 leaves a gap: "
                               "lessons are numbered from 01 without gaps (expected 02)"]


def test_lesson_numbers_start_at_one():
    files = folder(**{"lessons__00-preface_dot_md": LESSON_2})
    assert problems(files) == ["courses/TS101/lessons/00-preface.md: lesson number 00 leaves a "
                               "gap: lessons are numbered from 01 without gaps (expected 01)"]


def test_a_course_needs_a_lesson():
    files = folder(**{"lessons__01-intro_dot_md": None, "lessons__02-stats_dot_md": None})
    assert problems(files) == ["courses/TS101/lessons: a course needs at least one lesson: "
                               "lessons/01-<slug>.md"]


def test_text_files_must_be_utf8():
    data = "---\ntitle: 二\nminutes: 5\n---\n\n正文".encode("gbk")
    assert problems(folder(**{"lessons__02-stats_dot_md": data})) == [
        "courses/TS101/lessons/02-stats.md:2: not UTF-8 text; save the file as UTF-8"]


# --- assets and other files ----------------------------------------------------------


def test_assets_are_read_and_images_resolved():
    body = "---\ntitle: 二\nminutes: 5\n---\n\n图一：\n\n![图](../assets/chart.png)\n"
    spec = parse(folder(**{"lessons__02-stats_dot_md": body, "assets__chart_dot_png": PNG}))
    [asset] = spec.assets
    assert (asset.filename, asset.content_type, asset.data) == ("chart.png", "image/png", PNG)
    assert len(asset.sha256) == 64


def test_an_image_naming_a_missing_asset_is_reported_on_its_line():
    body = "---\ntitle: 二\nminutes: 5\n---\n\n图一：\n\n如图\n![图](assets/missing.png)\n"
    assert problems(folder(**{"lessons__02-stats_dot_md": body})) == [
        "courses/TS101/lessons/02-stats.md:9: image assets/missing.png not found: there is no "
        "assets/missing.png in this course"]


def test_images_must_be_assets_or_web_addresses():
    body = "---\ntitle: 二\nminutes: 5\n---\n\n![a](https://example.org/a.png)\n\n![b](img/b.png)\n"
    assert problems(folder(**{"lessons__02-stats_dot_md": body})) == [
        "courses/TS101/lessons/02-stats.md:8: image 'img/b.png' is neither a file in assets/ "
        "nor an http(s) address, so it would not be shown"]


@pytest.mark.parametrize(("path", "data", "message"), [
    ("assets/logo.svg", b"<svg onload=alert(1)/>", "asset type '.svg' is not allowed; use png, "
                                                   "jpg, jpeg, gif, webp (no SVG: it can carry "
                                                   "scripts)"),
    ("assets/page.html", b"<script>", "asset type '.html' is not allowed; use png, jpg, jpeg, "
                                      "gif, webp (no SVG: it can carry scripts)"),
    ("assets/big.png", PNG + b"\0" * (2 * 1024 * 1024), f"asset is {len(PNG) + 2 * 1024 * 1024} "
                                                        "bytes; at most 2 MiB"),
    ("assets/fake.png", b"<html><script>alert(1)</script>", "the file's content is not a PNG "
                                                            "image"),
    ("assets/sub/a.png", PNG, "assets sit directly in assets/, not in subfolders"),
    ("assets/图.png", PNG, "asset file names use only letters, digits, '.', '_' and '-' "
                          "(at most 120 characters)"),
])
def test_asset_rules(path, data, message):
    files = folder()
    files[path] = data
    assert problems(files) == [f"courses/TS101/{path}: {message}"]


@pytest.mark.parametrize(("name", "data"), [
    ("a.jpg", b"\xff\xd8\xff\xe0rest"), ("a.jpeg", b"\xff\xd8\xff\xe1rest"),
    ("a.gif", b"GIF89a..."), ("a.webp", b"RIFF\0\0\0\0WEBPVP8 "), ("A_b-1.PNG", PNG)])
def test_accepted_image_types(name, data):
    files = folder()
    files[f"assets/{name}"] = data
    assert [asset.filename for asset in parse(files).assets] == [name]


def test_the_readme_is_ignored_other_files_are_not():
    files = folder(README_dot_md="# 说明")
    assert parse(files).code == "TS101"
    files.update({"notes.txt": b"x", "lessons.md": b"x", "exercises/e1/data.csv": b"a,b"})
    unexpected = ("unexpected file; a course folder holds course.yaml, lessons/NN-slug.md, "
                  "assets/, media/ (lesson videos and subtitles), questions.yaml, "
                  "quizzes/<slug>.yaml and exercises/<slug>.yaml with "
                  "exercises/data/<name>.csv (README.md is left alone)")
    exercise_help = ("exercise files are named exercises/<slug>.yaml (slug of a-z, 0-9 and -, "
                     "at most 24 characters); datasets are exercises/data/<name>.csv")
    assert problems(files) == [f"courses/TS101/exercises/e1/data.csv: {exercise_help}",
                               f"courses/TS101/lessons.md: {unexpected}",
                               f"courses/TS101/notes.txt: {unexpected}"]


def test_all_problems_of_a_folder_are_reported_together():
    files = with_yaml("tier: foundation", "tier: expert")
    files["lessons/02-stats.md"] = b"no front matter"
    assert len(problems(files)) == 2


# --- hash and round trip ---------------------------------------------------------------


def test_content_hash_ignores_layout_but_not_content():
    spec = parse(folder())
    reformatted = COURSE_YAML.replace("areas: [data, governance]",
                                      "# 能力领域\nareas:\n  - data\n  - governance")
    assert content_hash(parse(folder(course_dot_yaml=reformatted))) == content_hash(spec)
    assert content_hash(parse(with_yaml("hours: 2.5", "hours: 2.50"))) == content_hash(spec)
    changed = parse(folder(**{"lessons__02-stats_dot_md": LESSON_2.replace("正文", "新正文")}))
    assert content_hash(changed) != content_hash(spec)
    assert content_hash(parse(with_yaml("status: draft", "status: published"))) != \
        content_hash(spec)


def test_hours_four_and_four_point_zero_hash_alike():
    spec = parse(with_yaml("hours: 2.5", "hours: 4"))
    same = CourseSpec(**{**spec.__dict__, "hours": Decimal("4.0")})
    assert content_hash(same) == content_hash(spec)


def test_serialize_then_parse_gives_the_same_spec():
    body = "---\ntitle: '\"141\"体系: 网格'\nminutes: 5\n---\n\n![图](assets/chart.png)\n"
    spec = parse(folder(**{"lessons__02-stats_dot_md": body, "assets__chart_dot_png": PNG}))
    files = serialize_course(spec)
    assert sorted(files) == ["assets/chart.png", "course.yaml", "lessons/01-intro.md",
                             "lessons/02-stats.md"]
    again = parse_course_folder(files, folder="TS101", prefix="elsewhere")
    assert again == spec and content_hash(again) == content_hash(spec)


def test_serialized_course_yaml_is_readable_and_in_documented_order():
    text = serialize_course(parse(folder()))["course.yaml"].decode()
    keys = [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")]
    assert keys == ["code", "title", "summary", "tier", "areas", "hours", "kind", "status",
                    "audience", "prerequisites"]
    assert "title: 测试课程" in text and "areas: [data, governance]" in text
    assert "hours: 2.5" in text and "ranks: [staff, grassroots]" in text
    lesson = serialize_course(parse(folder()))["lessons/01-intro.md"].decode()
    assert lesson.startswith("---\ntitle: 第一课 读表\nminutes: 30\n---\n\n## 学习目标")


# --- across courses --------------------------------------------------------------------


def _spec(code: str, prerequisites: list[str]) -> CourseSpec:
    yaml_text = COURSE_YAML.replace("TS101", code).replace(
        "prerequisites: [DC101]", "prerequisites:\n" + "".join(f"  - {p}\n" for p in prerequisites)
        if prerequisites else "prerequisites: []")
    files = folder(course_dot_yaml=yaml_text)
    result = parse_course_folder(files, folder=code, prefix=f"courses/{code}")
    assert isinstance(result, CourseSpec), result
    return result


def test_unknown_prerequisite_is_reported_on_its_line():
    specs = {"AB101": _spec("AB101", ["BC201", "ZZ999"])}
    assert [str(p) for p in check_prerequisites(specs, known_codes={"BC201"})] == [
        "courses/AB101/course.yaml:14: prerequisite ZZ999 is neither in this import nor in the "
        "database"]


def test_prerequisites_among_imported_courses_are_fine_in_any_order():
    specs = {"BC201": _spec("BC201", ["AB101"]), "AB101": _spec("AB101", [])}
    assert check_prerequisites(specs, known_codes=set()) == []


def test_cycle_between_imported_courses():
    specs = {"AB101": _spec("AB101", ["BC201"]), "BC201": _spec("BC201", ["AB101"])}
    assert check_prerequisites(specs, known_codes=set()) == [
        Problem("courses/AB101/course.yaml", 13, "prerequisite cycle AB101 → BC201 → AB101")]


def test_cycle_through_stored_courses_is_found():
    specs = {"AB101": _spec("AB101", ["CD301"])}
    edges = {"CD301": {"BC201"}, "BC201": {"AB101"}}
    [problem] = check_prerequisites(specs, known_codes={"BC201", "CD301"}, existing_edges=edges)
    assert str(problem) == ("courses/AB101/course.yaml:13: prerequisite cycle "
                            "AB101 → CD301 → BC201 → AB101")


def test_an_imported_course_replaces_its_stored_prerequisites():
    # Stored: AB101 needs BC201. The import drops that, so BC201 may now need AB101.
    specs = {"AB101": _spec("AB101", []), "BC201": _spec("BC201", ["AB101"])}
    assert check_prerequisites(specs, set(), existing_edges={"AB101": {"BC201"}}) == []


def test_a_cycle_among_stored_courses_only_is_not_this_imports_problem():
    specs = {"AB101": _spec("AB101", ["BC201"])}
    edges = {"BC201": {"CD301"}, "CD301": {"BC201"}}
    assert check_prerequisites(specs, {"BC201", "CD301"}, existing_edges=edges) == []
