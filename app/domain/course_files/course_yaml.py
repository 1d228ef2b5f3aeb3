"""course.yaml: the course's metadata, checked key by key with the line of every problem."""

from decimal import Decimal

import yaml

from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.spec import COURSE_CODE, Problem
from app.domain.course_files.yaml_nodes import Located, YamlSyntaxError, describe, load_located
from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    HoursRule,
    Rank,
    WorkCategory,
)

#: The documented order, also the order export writes.
KEYS = ("code", "title", "summary", "tier", "areas", "hours", "hours_rule", "kind", "core",
        "status", "audience", "prerequisites")
#: ``hours`` too, unless hours_rule is video_length (then the videos' length sets them).
REQUIRED_KEYS = ("code", "title", "summary", "tier", "areas", "kind")
AUDIENCE_KEYS = ("ranks", "categories")
MAX_TITLE = 200  # the column's length
MAX_SUMMARY = 4000
MAX_HOURS = Decimal(1000)


def parse_course_yaml(text: str, file: str, folder: str) -> tuple[dict, list[Problem]]:
    """The course's fields (keyword arguments of CourseSpec) and the problems found."""
    try:
        data, node = load_located(text, file)
    except YamlSyntaxError as error:
        return {}, [error.problem]
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        line = 1 if node is None else node.start_mark.line + 1
        return {}, [Problem(file, line, "course.yaml must be a mapping of keys "
                                        "(code: ..., title: ..., ...)")]
    check = FieldChecker(file, Located.of(node), data)
    check.keys(KEYS, REQUIRED_KEYS)
    fields = {
        "code": _code(check, folder),
        "title": check.text("title", MAX_TITLE, allow_empty=False),
        "summary": check.text("summary", MAX_SUMMARY, allow_empty=True),
        "tier": check.choice("tier", CourseTier),
        "areas": check.choices("areas", CompetencyArea, at_least_one=True),
        **_hours(check),
        "kind": check.choice("kind", CourseKind),
        # Optional: a core course of its tier (the tier certificate needs every core course).
        "core": bool(check.boolean("core")),
        "status": check.choice("status", CourseStatus) or CourseStatus.PUBLISHED,
    }
    fields.update(_audience(check))
    fields.update(_prerequisites(check, folder))
    return fields, check.problems


def _hours(check: FieldChecker) -> dict:
    """The hours rule (optional: declared) and the declared hours it needs, or none."""
    rule = check.choice("hours_rule", HoursRule) if check.has("hours_rule") else None
    if check.has("hours_rule") and rule is None:
        return {}  # the choice reported the bad value
    rule = rule or HoursRule.DECLARED
    if rule is HoursRule.VIDEO_LENGTH:
        if check.has("hours"):
            check.add(check.line("hours"), "hours are computed from the videos' length when "
                                           "hours_rule is video_length; remove hours")
        return {"hours_rule": rule, "hours": None}
    if not check.has("hours"):
        check.add(check.located.start_line, "missing required key 'hours' (or set "
                                             "hours_rule: video_length)")
        return {"hours_rule": rule}
    return {"hours_rule": rule, "hours": check.half_steps("hours", MAX_HOURS)}


def _code(check: FieldChecker, folder: str) -> str | None:
    if not check.has("code"):
        return None
    value = check.get("code")
    if not isinstance(value, str) or not COURSE_CODE.match(value):
        check.add(check.line("code"), "code must be 2-4 capital letters and 3 digits "
                                      f"(e.g. DA110), got {describe(value)}")
        return None
    if value != folder:
        check.add(check.line("code"), f"code {value} does not match the folder name {folder}")
        return None
    return value


def _audience(check: FieldChecker) -> dict:
    """Ranks and work categories; a missing audience (or list) means everyone."""
    if not check.has("audience"):
        return {"audience_ranks": [], "audience_categories": []}
    nested = check.located.nested("audience")
    value = check.get("audience")
    if nested is None or not isinstance(value, dict):
        check.add(check.line("audience"), "audience must be a mapping with ranks and "
                                          f"categories, got {describe(value)}")
        return {}
    inner = FieldChecker(check.file, nested, value, check.problems)
    inner.keys(AUDIENCE_KEYS, (), where="audience.")
    return {"audience_ranks": inner.choices("ranks", Rank),
            "audience_categories": inner.choices("categories", WorkCategory)}


def _prerequisites(check: FieldChecker, folder: str) -> dict:
    """Codes of courses to finish first, with the line of each for cross-course problems."""
    if not check.has("prerequisites"):
        return {"prerequisites": [], "prerequisite_lines": {}}
    items = check.get("prerequisites")
    if not isinstance(items, list):
        check.add(check.line("prerequisites"), "prerequisites must be a list of course codes "
                                               f"such as [DC101], got {describe(items)}")
        return {}
    lines: dict[str, int] = {}
    for item, line in zip(items, check.located.item_lines("prerequisites"), strict=True):
        if not isinstance(item, str) or not COURSE_CODE.match(item):
            check.add(line, f"prerequisite {describe(item)} is not a course code "
                            "(2-4 capital letters and 3 digits)")
        elif item == folder:
            check.add(line, f"a course cannot be its own prerequisite ({item})")
        elif item in lines:
            check.add(line, f"prerequisite {item} is listed twice")
        else:
            lines[item] = line
    return {"prerequisites": sorted(lines), "prerequisite_lines": lines}
