"""Every authoring page module, imported so its routes join the blueprint."""

from app.web.authoring import (  # noqa: F401 - importing registers the routes
    courses,
    exercises,
    lessons,
    preview,
    questions,
    quizzes,
)
from app.web.authoring import bp

__all__ = ["bp"]
