"""One course folder, given as {relative posix path: bytes}, to a CourseSpec or problems."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.course_files.assets import parse_asset
from app.domain.course_files.course_yaml import parse_course_yaml
from app.domain.course_files.exercises import parse_exercise_file
from app.domain.course_files.lessons import (
    LessonName,
    lesson_name,
    numbering_problems,
    parse_lesson,
)
from app.domain.course_files.media import (
    MEDIA_DIR,
    MEDIA_NAME_HELP,
    SUBTITLE_EXTENSION,
    MediaFile,
    MediaIndex,
    extension,
    is_media_file,
)
from app.domain.course_files.questions import parse_question_file
from app.domain.course_files.quizzes import parse_quiz_file
from app.domain.course_files.spec import (
    ASSETS_DIR,
    COURSE_FILE,
    DATASETS_DIR,
    EXERCISE_SLUG,
    EXERCISES_DIR,
    IGNORED_FILES,
    LESSONS_DIR,
    MAX_TEXT_BYTES,
    QUESTIONS_FILE,
    QUIZ_SLUG,
    QUIZZES_DIR,
    AssetSpec,
    CourseSpec,
    ExerciseSpec,
    Problem,
    QuestionSpec,
    QuizSpec,
)

UNEXPECTED_FILE = ("unexpected file; a course folder holds course.yaml, lessons/NN-slug.md, "
                   "assets/, media/ (lesson videos and subtitles), questions.yaml, "
                   "quizzes/<slug>.yaml and exercises/<slug>.yaml with "
                   "exercises/data/<name>.csv (README.md is left alone)")
QUIZ_NAME_HELP = "quiz files are named quizzes/<slug>.yaml: slug of a-z, 0-9 and -"
EXERCISE_NAME_HELP = ("exercise files are named exercises/<slug>.yaml (slug of a-z, 0-9 and -, "
                      "at most 24 characters); datasets are exercises/data/<name>.csv")


def is_ignored(path: str) -> bool:
    """Files the importer skips: the folder's README."""
    return path in IGNORED_FILES


@dataclass
class _Sorted:
    lessons: dict[str, LessonName] = field(default_factory=dict)
    assets: list[str] = field(default_factory=list)
    #: slug -> path of each quiz file.
    quizzes: dict[str, str] = field(default_factory=dict)
    #: slug -> path of each exercise file, and the dataset CSVs they may name.
    exercises: dict[str, str] = field(default_factory=dict)
    datasets: list[str] = field(default_factory=list)
    #: media/ files: videos and subtitle tracks.
    media: list[str] = field(default_factory=list)


def parse_course_folder(files: Mapping[str, bytes], *, folder: str, prefix: str,
                        videos: Mapping[str, MediaFile] | None = None,
                        ) -> CourseSpec | list[Problem]:
    """Parse the folder named `folder`; problems name files as f"{prefix}/{path}".

    ``videos`` are the media/ videos the caller did not read (by path); a video given in
    ``files`` (small ones, in tests) is described from its bytes.
    """

    def file_of(path: str) -> str:
        return f"{prefix}/{path}"

    problems: list[Problem] = []
    found = _sort_files({**files, **dict.fromkeys(videos or {}, b"")}, file_of, problems)
    media = _media(files, videos or {}, found.media, file_of, problems)
    assets = _assets(files, found.assets, file_of, problems)
    fields = _course_fields(files, folder, file_of, problems)
    problems.extend(numbering_problems(found.lessons, file_of))
    asset_names = {asset.filename for asset in assets}
    lessons = []
    for path in sorted(found.lessons):
        text = decode_text(files[path], file_of(path), problems)
        if text is None:
            continue
        lesson, lesson_problems = parse_lesson(path, text, file_of(path), asset_names, media)
        problems.extend(lesson_problems)
        if lesson is not None:
            lessons.append(lesson)
    if not problems:
        problems.extend(_unused_media(found.media, lessons, file_of))
    questions = _questions(files, folder, file_of, problems)
    quizzes = _quizzes(files, found.quizzes, folder, file_of, problems)
    exercises = _exercises(files, found, folder, file_of, problems)
    for exercise in exercises:
        if exercise.slug in found.quizzes:
            problems.append(Problem(exercise.source_file, None, f"quizzes/{exercise.slug}.yaml "
                                    "has the same name; an exercise and a quiz of a course "
                                    "need different names"))
    if problems:
        return problems
    return CourseSpec(**fields, lessons=lessons, assets=assets, questions=questions,
                      quizzes=quizzes, exercises=exercises, source_file=file_of(COURSE_FILE))


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
        elif top == MEDIA_DIR and "/" in path:
            if is_media_file(path):
                found.media.append(path)
            else:
                problems.append(Problem(file_of(path), None, MEDIA_NAME_HELP))
        elif top == EXERCISES_DIR and "/" in path:
            _sort_exercise_file(path, found, file_of, problems)
        elif top == QUIZZES_DIR and "/" in path:
            _sort_quiz_file(path, found, file_of, problems)
        else:
            problems.append(Problem(file_of(path), None, UNEXPECTED_FILE))
    return found


def _sort_quiz_file(path: str, found: _Sorted, file_of, problems: list[Problem]) -> None:
    slug = path.removeprefix(f"{QUIZZES_DIR}/").removesuffix(".yaml")
    if path.endswith(".yaml") and QUIZ_SLUG.match(slug):
        found.quizzes[slug] = path
    else:
        problems.append(Problem(file_of(path), None, QUIZ_NAME_HELP))


def _sort_exercise_file(path: str, found: _Sorted, file_of, problems: list[Problem]) -> None:
    parts = path.split("/")
    if len(parts) == 3 and parts[1] == "data" and parts[2].endswith(".csv"):
        found.datasets.append(path)
        return
    slug = parts[-1].removesuffix(".yaml")
    if len(parts) == 2 and parts[1].endswith(".yaml") and EXERCISE_SLUG.match(slug):
        found.exercises[slug] = path
    else:
        problems.append(Problem(file_of(path), None, EXERCISE_NAME_HELP))


def _exercises(files, found: _Sorted, folder: str, file_of,
               problems: list[Problem]) -> list[ExerciseSpec]:
    data_files = {path: files[path] for path in found.datasets}
    exercises = []
    for slug in sorted(found.exercises):
        path = found.exercises[slug]
        text = decode_text(files[path], file_of(path), problems)
        if text is None:
            continue
        exercise, found_problems = parse_exercise_file(
            text, file_of(path), course_code=folder, slug=slug, data_files=data_files)
        problems.extend(found_problems)
        if exercise is not None:
            exercises.append(exercise)
    used = {f"{DATASETS_DIR}/{table.file}" for exercise in exercises
            for table in exercise.dataset}
    if not problems:
        for path in sorted(set(found.datasets) - used):
            problems.append(Problem(file_of(path), None, "no exercise uses this dataset"))
    return exercises


def _media(files, videos: Mapping[str, MediaFile], paths: list[str], file_of,
           problems: list[Problem]) -> MediaIndex:
    """Videos by path (from ``videos``, or described from their bytes) and subtitle texts."""
    found_videos: dict[str, MediaFile] = {}
    subtitles: dict[str, str] = {}
    for path in paths:
        if extension(path) != SUBTITLE_EXTENSION:
            found_videos[path] = videos.get(path) or MediaFile.of(files[path])
            continue
        text = decode_text(files[path], file_of(path), problems)
        if text is not None:
            subtitles[path] = text
    return MediaIndex(found_videos, subtitles)


def _unused_media(paths: list[str], lessons, file_of) -> list[Problem]:
    """A media file no lesson names would be lost by the import: say so."""
    used = {lesson.video.path for lesson in lessons if lesson.video is not None}
    used |= {path for lesson in lessons if lesson.video is not None
             for _language, path, _text in lesson.video.subtitles}
    return [Problem(file_of(path), None, "no lesson uses this file (name it in a lesson's "
                                         "video or subtitles)")
            for path in paths if path not in used]


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
