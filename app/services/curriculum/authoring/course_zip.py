"""A course as a zip of its folder (<CODE>/course.yaml, lessons/, assets/, ...).

The files are the ones `flask courses export` writes, byte for byte, so unzipping the
archive into courses/ and importing it gives back the same course. Entries carry a fixed
date, so the same course always zips to the same bytes. Lesson videos are copied in from
their files in blocks and stored uncompressed (they are compressed already).
"""

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from app.domain.course_files import serialize_course
from app.models import Course, User
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.course_files.exporting import spec_from_course
from app.services.curriculum.course_files.videos import lesson_video_files

#: The earliest date a zip entry can carry; any fixed date keeps the archive reproducible.
ENTRY_DATE = (1980, 1, 1, 0, 0, 0)


#: A zip larger than this (a course with videos) is spooled to a temporary file on disk.
SPOOL_BYTES = 32 * 1024 * 1024


def course_zip_bytes(course: Course) -> bytes:
    buffer = io.BytesIO()
    write_course_zip(course, buffer)
    return buffer.getvalue()


def write_course_zip(course: Course, target: BinaryIO) -> None:
    files = serialize_course(spec_from_course(course))
    videos = lesson_video_files(course)
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted({*files, *videos}):
            if path in videos:
                _write_video(archive, f"{course.code}/{path}", videos[path])
            else:
                archive.writestr(_entry(f"{course.code}/{path}", zipfile.ZIP_DEFLATED),
                                 files[path])


def _entry(name: str, compression: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=ENTRY_DATE)
    entry.compress_type = compression
    entry.external_attr = 0o644 << 16  # rw-r--r-- when unzipped
    return entry


def _write_video(archive: zipfile.ZipFile, name: str, source: Path) -> None:
    entry = _entry(name, zipfile.ZIP_STORED)
    entry.file_size = source.stat().st_size  # lets zipfile choose ZIP64 for large videos
    with source.open("rb") as stream, archive.open(entry, "w") as target:
        shutil.copyfileobj(stream, target, 1024 * 1024)


def export_course_zip(course: Course, *, actor: User) -> tuple[str, BinaryIO]:
    """The archive's file name and the archive, for someone who may edit the course: in
    memory while small, in a temporary file once videos make it large (a course of
    lecture videos can be gigabytes); read from the start, closed by whoever sends it."""
    ensure_may_edit(actor, course)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller closes it
    write_course_zip(course, spool)
    spool.seek(0)
    return f"{course.code}-v{course.version}.zip", spool
