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
from app.domain.course_files.questions import parse_question_file
from app.domain.course_files.quizzes import parse_quiz_file
from app.domain.course_files.spec import (
    ASSETS_DIR,
    COURSE_FILE,
    IGNORED_FILES,
    LESSONS_DIR,
    MAX_TEXT_BYTES,
    QUESTIONS_FILE,
    QUIZ_SLUG,
    QUIZZES_DIR,
    RESERVED_DIRS,
    AssetSpec,
    CourseSpec,
    Problem,
    QuestionSpec,
    QuizSpec,
)

UNEXPECTED_FILE = ("unexpected file; a course folder holds course.yaml, lessons/NN-slug.md, "
                   "assets/, questions.yaml and quizzes/<slug>.yaml (README.md and exercises/ "
                   "are left alone)")
QUIZ_NAME_HELP = "quiz files are named quizzes/<slug>.yaml: slug of a-z, 0-9 and -"


def is_ignored(path: str) -> bool:
    """Files the importer skips: the folder's README and folders reserved for later issues."""
    return path in IGNORED_FILES or path.split("/", 1)[0] in RESERVED_DIRS


@dataclass
class _Sorted:
    lessons: dict[str, LessonName] = field(default_factory=dict)
    assets: list[str] = field(default_factory=list)
    #: slug -> path of each quiz file.
    quizzes: dict[str, str] = field(default_factory=dict)


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
        text = decode_text(files[path], file_of(path), problems)
        if text is None:
            continue
        lesson, lesson_problems = parse_lesson(path, text, file_of(path), asset_names)
        problems.extend(lesson_problems)
        if lesson is not None:
            lessons.append(lesson)
    questions = _questions(files, folder, file_of, problems)
    quizzes = _quizzes(files, found.quizzes, folder, file_of, problems)
    if problems:
        return problems
    return CourseSpec(**fields, lessons=lessons, assets=assets, questions=questions,
                      quizzes=quizzes, source_file=file_of(COURSE_FILE))


def _sort_files(files: Mapping[str, bytes], file_of, problems: list[Problem]) -> _Sorted:
    found = _Sorted()
    for path in sorted(files):
        top = path.split("/", 1)[0]
        if path in (COURSE_FILE, QUESTIONS_FILE) or is_ignored(path):
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
        elif top == QUIZZES_DIR and "/" in path:
            slug = path.removeprefix(f"{QUIZZES_DIR}/").removesuffix(".yaml")
            if path.endswith(".yaml") and QUIZ_SLUG.match(slug):
                found.quizzes[slug] = path
            else:
                problems.append(Problem(file_of(path), None, QUIZ_NAME_HELP))
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
    text = decode_text(files[COURSE_FILE], file_of(COURSE_FILE), problems)
    if text is None:
        return {}
    fields, found = parse_course_yaml(text, file_of(COURSE_FILE), folder)
    problems.extend(found)
    return fields


def _questions(files, folder: str, file_of, problems: list[Problem]) -> list[QuestionSpec]:
    if QUESTIONS_FILE not in files:
        return []
    text = decode_text(files[QUESTIONS_FILE], file_of(QUESTIONS_FILE), problems)
    if text is None:
        return []
    questions, found = parse_question_file(text, file_of(QUESTIONS_FILE),
                                           id_prefix=f"{folder}-")
    problems.extend(found)
    return questions


def _quizzes(files, paths: dict[str, str], folder: str, file_of,
             problems: list[Problem]) -> list[QuizSpec]:
    quizzes = []
    for slug in sorted(paths):
        text = decode_text(files[paths[slug]], file_of(paths[slug]), problems)
        if text is None:
            continue
        quiz, found = parse_quiz_file(text, file_of(paths[slug]), course_code=folder, slug=slug)
        problems.extend(found)
        if quiz is not None:
            quizzes.append(quiz)
    return quizzes


def decode_text(data: bytes, file: str, problems: list[Problem]) -> str | None:
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
