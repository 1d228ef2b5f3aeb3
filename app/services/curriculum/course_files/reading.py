"""Course folders and the shared question bank from disk, as {relative posix path: bytes}.

One import reads a course folder, a folder of course folders (which may hold the
shared bank, shared-bank/), or the shared-bank folder itself. Links are refused, and
everything read is counted against one size limit.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from app.domain.course_files import COURSE_CODE, COURSE_FILE, SHARED_BANK_DIR, Problem, is_ignored
from app.services.core.errors import ServiceError

#: Everything one import reads; far above the curriculum, far below trouble.
MAX_IMPORT_BYTES = 64 * 1024 * 1024


class CourseImportError(ServiceError):
    """The course files have problems; nothing was written. `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the course files")
        self.problems = problems


@dataclass
class CourseTree:
    """What one import reads. Folders keep the path as given, for messages."""

    folders: dict[str, Path]
    courses: dict[str, dict[str, bytes]]
    shared_folder: Path | None = None
    shared: dict[str, bytes] | None = None


def locate(path: Path) -> tuple[dict[str, Path], Path | None]:
    """(course folders by name, the shared-bank folder or None) under path."""
    if (path / COURSE_FILE).is_file():
        return {path.resolve().name: path}, None
    if not path.is_dir():
        raise CourseImportError([Problem(path.as_posix(), None, "no such folder")])
    if path.resolve().name == SHARED_BANK_DIR:
        return {}, path
    # A folder named like a course code is a course even without course.yaml, so a
    # forgotten file is reported rather than the course silently skipped.
    dirs = {child.name: child for child in sorted(path.iterdir())
            if child.is_dir() and ((child / COURSE_FILE).is_file()
                                   or COURSE_CODE.match(child.name))}
    shared = path / SHARED_BANK_DIR
    shared = shared if shared.is_dir() else None
    if not dirs and shared is None:
        raise CourseImportError([Problem(path.as_posix(), None, "no course folders found "
                                         "(folders holding a course.yaml)")])
    return dirs, shared


def find_course_folders(path: Path) -> dict[str, Path]:
    """Course folders under path, by name, keeping path as given for messages."""
    return locate(path)[0]


def read_course_tree(path: Path) -> CourseTree:
    dirs, shared_folder = locate(path)
    problems: list[Problem] = []
    listed = {name: _list_files(folder, problems) for name, folder in dirs.items()}
    shared_listed = _list_files(shared_folder, problems) if shared_folder is not None else None
    if problems:
        raise CourseImportError(problems)
    everything = [file for files in listed.values() for _, file in files]
    everything += [file for _, file in shared_listed or ()]
    total = sum(file.stat().st_size for file in everything)
    if total > MAX_IMPORT_BYTES:
        raise CourseImportError([Problem(
            path.as_posix(), None, f"the course files hold {total} bytes; one import reads "
            f"at most {MAX_IMPORT_BYTES // (1024 * 1024)} MiB, import fewer courses at a time")])
    return CourseTree(
        folders=dirs,
        courses={name: _read(files) for name, files in listed.items()},
        shared_folder=shared_folder,
        shared=_read(shared_listed) if shared_listed is not None else None)


def read_course_folders(path: Path) -> dict[str, dict[str, bytes]]:
    """{folder name: {relative posix path: bytes}} of one course folder or a tree of them."""
    return read_course_tree(path).courses


def _read(files: list[tuple[str, Path]]) -> dict[str, bytes]:
    return {relative: file.read_bytes() for relative, file in files}


def _list_files(folder: Path, problems: list[Problem]) -> list[tuple[str, Path]]:
    """(relative posix path, file) of the files import reads; links become problems."""
    found = []
    for directory, subdirs, names in os.walk(folder):
        base = Path(directory)
        subdirs[:] = sorted(d for d in subdirs
                            if not is_ignored((base / d).relative_to(folder).as_posix()))
        # os.walk lists linked folders but does not enter them; they are reported too.
        for name in sorted(names) + [d for d in subdirs if (base / d).is_symlink()]:
            file = base / name
            relative = file.relative_to(folder).as_posix()
            if is_ignored(relative):
                continue
            if file.is_symlink() or not file.is_file():
                # A link could point anywhere on the machine; its target is not course content.
                problems.append(Problem((folder / relative).as_posix(), None,
                                        "links and special files are not read; copy the file"))
            else:
                found.append((relative, file))
    return found
