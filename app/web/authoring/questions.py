"""Authoring: questions (routes added by its author)."""
