"""Authoring content on the web: the same rules as the course files, through services.

Who may edit: a course's owners (CourseOwner) and administrators; everyone else is
refused. Every service takes the acting user and flushes; the request commits.
"""


from app.domain.vocabulary import RoleName
from app.models import Course, User
from app.services.core.access import ensure_may_edit_course, find_taught_course
from app.services.core.errors import PermissionDenied

#: Owners and administrators edit a course (the rule lives in core, where video uploads,
#: which curriculum's course import calls, read it too).
ensure_may_edit = ensure_may_edit_course


def find_editable_course(code: str, *, actor: User) -> Course:
    """The course with this code if the actor may edit it (NotFound / PermissionDenied)."""
    if not (actor.has_role(RoleName.TRAINER) or actor.has_role(RoleName.ADMIN)):
        raise PermissionDenied("not an author")
    return find_taught_course(code, actor=actor)
