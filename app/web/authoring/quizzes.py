"""Authoring: quizzes (routes added by its author)."""
