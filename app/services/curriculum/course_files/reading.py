"""Course folders and the shared question bank from disk, as {relative posix path: bytes}.

One import reads a course folder, a folder of course folders (which may hold the
shared bank, shared-bank/), or the shared-bank folder itself. Links are refused, and
everything read is counted against one size limit. Lesson videos (media/*.mp4 …) are not
read into memory: each is described by its size and SHA-256, read in blocks, and kept by
path for the import to copy; each may be as large as an uploaded video (VIDEO_MAX_BYTES).
"""

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_app_context

from app.domain.course_files import COURSE_CODE, COURSE_FILE, SHARED_BANK_DIR, Problem, is_ignored
from app.domain.course_files.media import MediaFile, is_video_path
from app.services.core.errors import ServiceError

#: Everything one import reads; far above the curriculum, far below trouble.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
#: VIDEO_MAX_BYTES's default, for reading outside an app.
DEFAULT_VIDEO_MAX_BYTES = 2 * 1024**3


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
    #: Each course's lesson videos, not read: {folder name: {relative path: file}}.
    video_files: dict[str, dict[str, Path]] = field(default_factory=dict)
    #: ... and their size and SHA-256, for the checks and the content hash.
    videos: dict[str, dict[str, MediaFile]] = field(default_factory=dict)


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
    videos = {name: {relative: file for relative, file in files if is_video_path(relative)}
              for name, files in listed.items()}
    listed = {name: [(relative, file) for relative, file in files
                     if relative not in videos[name]] for name, files in listed.items()}
    problems.extend(_oversized_videos(dirs, videos))
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
        shared=_read(shared_listed) if shared_listed is not None else None,
        video_files=videos,
        videos={name: {relative: _describe(file) for relative, file in files.items()}
                for name, files in videos.items()})


def _oversized_videos(dirs: dict[str, Path],
                      videos: dict[str, dict[str, Path]]) -> list[Problem]:
    if not any(videos.values()):
        return []
    # Reading works without an app too (course checks in tests); then the default limit.
    limit = (current_app.config["VIDEO_MAX_BYTES"] if has_app_context()
             else DEFAULT_VIDEO_MAX_BYTES)
    return [Problem((dirs[name] / relative).as_posix(), None,
                    f"the video is {file.stat().st_size} bytes; a lesson video may have at "
                    f"most {limit // (1024 * 1024)} MiB (VIDEO_MAX_BYTES)")
            for name, files in videos.items() for relative, file in files.items()
            if file.stat().st_size > limit]


def _describe(file: Path) -> MediaFile:
    """Size and SHA-256 of a video, read in blocks (it may be gigabytes)."""
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        while block := stream.read(1024 * 1024):
            digest.update(block)
    return MediaFile(size=file.stat().st_size, sha256=digest.hexdigest())


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
