"""Authoring: lessons (routes added by its author)."""
