"""Authoring: courses (routes added by its author)."""
