"""Every authoring page module, imported so its routes join the blueprint."""

from app.web.authoring import bp, courses, exercises, lessons, preview, questions, quizzes

#: The page modules, listed so that importing them (which registers the routes) is explicit.
PAGES = (courses, lessons, questions, quizzes, exercises, preview)

__all__ = ["PAGES", "bp"]
