"""Every authoring page module, imported so its routes join the blueprint."""

from app.web.curriculum import bp, courses, exercises, lessons, preview, questions, quizzes

#: The page modules, listed so that importing them (which registers the routes) is explicit.
PAGES = (courses, lessons, questions, quizzes, exercises, preview)

__all__ = ["PAGES", "bp"]
