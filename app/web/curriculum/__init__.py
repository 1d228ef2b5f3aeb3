"""Trainer authoring pages (under /teaching): courses, lessons, question banks, quizzes,
data exercises, preview as a learner. One blueprint; each part in its own module."""

from flask import Blueprint

bp = Blueprint("authoring", __name__)

#: Who may open any authoring page; which course they may edit is the services' check.
from flask_babel import lazy_gettext as _l  # noqa: E402

from app.domain.vocabulary import RoleName  # noqa: E402

AUTHORS = (RoleName.TRAINER, RoleName.ADMIN)
#: What a trainer sees when the course is not theirs to edit.
OWNERS_ONLY = _l("Only the course's owners and administrators edit it.")
