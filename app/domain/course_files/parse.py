"""One course folder, given as {relative posix path: bytes}, to a CourseSpec or problems."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.course_files.assets import parse_asset
from app.domain.course_files.course_yaml import parse_course_yaml
from app.domain.course_files.lessons import (
    LessonName,
    lesson_name,
    numbering_problems,
    parse_lesson,
)
from app.domain.course_files.spec import (
    ASSETS_DIR,
    COURSE_FILE,
    IGNORED_FILES,
    LESSONS_DIR,
    MAX_TEXT_BYTES,
    RESERVED_DIRS,
    AssetSpec,
    CourseSpec,
    Problem,
)

UNEXPECTED_FILE = ("unexpected file; a course folder holds course.yaml, lessons/NN-slug.md "
                   "and assets/ (README.md, quizzes/ and exercises/ are left alone)")


def is_ignored(path: str) -> bool:
    """Files the importer skips: the folder's README and folders reserved for later issues."""
    return path in IGNORED_FILES or path.split("/", 1)[0] in RESERVED_DIRS


@dataclass
class _Sorted:
    lessons: dict[str, LessonName] = field(default_factory=dict)
    assets: list[str] = field(default_factory=list)


def parse_course_folder(files: Mapping[str, bytes], *, folder: str,
                        prefix: str) -> CourseSpec | list[Problem]:
    """Parse the folder named `folder`; problems name files as f"{prefix}/{path}"."""

    def file_of(path: str) -> str:
        return f"{prefix}/{path}"

    problems: list[Problem] = []
    found = _sort_files(files, file_of, problems)
    assets = _assets(files, found.assets, file_of, problems)
    fields = _course_fields(files, folder, file_of, problems)
    problems.extend(numbering_problems(found.lessons, file_of))
    asset_names = {asset.filename for asset in assets}
    lessons = []
    for path in sorted(found.lessons):
        text = _text(files[path], file_of(path), problems)
        if text is None:
            continue
        lesson, lesson_problems = parse_lesson(path, text, file_of(path), asset_names)
        problems.extend(lesson_problems)
        if lesson is not None:
            lessons.append(lesson)
    if problems:
        return problems
    return CourseSpec(**fields, lessons=lessons, assets=assets,
                      source_file=file_of(COURSE_FILE))


def _sort_files(files: Mapping[str, bytes], file_of, problems: list[Problem]) -> _Sorted:
    found = _Sorted()
    for path in sorted(files):
        top = path.split("/", 1)[0]
        if path == COURSE_FILE or is_ignored(path):
            continue
        if top == LESSONS_DIR:
            name = lesson_name(path)
            if name is None:
                problems.append(Problem(file_of(path), None, "lesson files are named "
                                        "lessons/NN-slug.md: NN from 01, slug of a-z, 0-9 and -"))
            else:
                found.lessons[path] = name
        elif top == ASSETS_DIR and "/" in path:
            found.assets.append(path)
        else:
            problems.append(Problem(file_of(path), None, UNEXPECTED_FILE))
    return found


def _assets(files, paths: list[str], file_of, problems: list[Problem]) -> list[AssetSpec]:
    assets = []
    for path in paths:
        result = parse_asset(path, files[path], file_of(path))
        if isinstance(result, Problem):
            problems.append(result)
        else:
            assets.append(result)
    return sorted(assets, key=lambda asset: asset.filename)


def _course_fields(files, folder: str, file_of, problems: list[Problem]) -> dict:
    if COURSE_FILE not in files:
        problems.append(Problem(file_of(COURSE_FILE), None, "course.yaml is missing"))
        return {}
    text = _text(files[COURSE_FILE], file_of(COURSE_FILE), problems)
    if text is None:
        return {}
    fields, found = parse_course_yaml(text, file_of(COURSE_FILE), folder)
    problems.extend(found)
    return fields


def _text(data: bytes, file: str, problems: list[Problem]) -> str | None:
    """UTF-8 text with Unix line ends (a BOM or Windows line ends are not worth a problem)."""
    if len(data) > MAX_TEXT_BYTES:
        problems.append(Problem(file, None, f"file is {len(data)} bytes; text files may have "
                                            f"at most {MAX_TEXT_BYTES // 1024} KiB"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(file, line, "not UTF-8 text; save the file as UTF-8"))
        return None
    return text.replace("\r\n", "\n")
