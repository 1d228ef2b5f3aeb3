"""A course as a zip of its folder (<CODE>/course.yaml, lessons/, assets/, ...).

The files are the ones `flask courses export` writes, byte for byte, so unzipping the
archive into courses/ and importing it gives back the same course. Entries carry a fixed
date, so the same course always zips to the same bytes.
"""

import io
import zipfile

from app.domain.course_files import serialize_course
from app.models import Course, User
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.course_files.exporting import spec_from_course

#: The earliest date a zip entry can carry; any fixed date keeps the archive reproducible.
ENTRY_DATE = (1980, 1, 1, 0, 0, 0)


def course_zip_bytes(course: Course) -> bytes:
    files = serialize_course(spec_from_course(course))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            entry = zipfile.ZipInfo(f"{course.code}/{path}", date_time=ENTRY_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16  # rw-r--r-- when unzipped
            archive.writestr(entry, files[path])
    return buffer.getvalue()


def export_course_zip(course: Course, *, actor: User) -> tuple[str, bytes]:
    """The archive's file name and bytes, for someone who may edit the course."""
    ensure_may_edit(actor, course)
    return f"{course.code}-v{course.version}.zip", course_zip_bytes(course)
