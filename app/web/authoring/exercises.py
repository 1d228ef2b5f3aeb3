"""Authoring: exercises (routes added by its author)."""
